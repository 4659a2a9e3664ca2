package studio.nexus.audio.effects;

/**
 * {@code pan}: constant-power pan law normalised to unity at centre: left gain √2·cos θ, right gain
 * √2·sin θ with θ = (pan + 1)·π/4. Hard left therefore lifts the left channel by +3 dB and mutes the right.
 * Applies to channels 0 and 1; mono streams and channels beyond the first two pass unchanged.
 */
final class PanEffect extends BlockEffect {
    private final Automation pan;
    private final Ramp left = new Ramp();
    private final Ramp right = new Ramp();
    private final double[] leftGains = new double[CONTROL_INTERVAL];
    private final double[] rightGains = new double[CONTROL_INTERVAL];

    PanEffect(EffectSettings settings) {
        pan = settings.number("pan");
    }

    private static double theta(double pan) {
        return (pan + 1) * Math.PI / 4;
    }

    @Override
    protected void allocate(Spec spec) {}

    @Override
    protected void clearState() {
        double t = theta(pan.valueAt(0));
        left.jumpTo(Math.sqrt(2) * Math.cos(t));
        right.jumpTo(Math.sqrt(2) * Math.sin(t));
    }

    @Override
    protected void updateControls(double seconds) {
        double t = theta(pan.valueAt(seconds));
        left.rampTo(Math.sqrt(2) * Math.cos(t));
        right.rampTo(Math.sqrt(2) * Math.sin(t));
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        if (channelCount < 2) {
            return;
        }
        left.fill(leftGains, frames);
        right.fill(rightGains, frames);
        float[] l = ch[0];
        float[] r = ch[1];
        for (int i = 0; i < frames; i++) {
            l[offset + i] = (float) (l[offset + i] * leftGains[i]);
            r[offset + i] = (float) (r[offset + i] * rightGains[i]);
        }
    }
}
