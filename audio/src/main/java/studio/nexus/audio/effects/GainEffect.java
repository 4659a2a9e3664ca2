package studio.nexus.audio.effects;

/** {@code gain}: multiplies by {@code gain_db}, ramped per sample so automation never clicks. */
final class GainEffect extends BlockEffect {
    private final Automation gainDb;
    private final Ramp gain = new Ramp();
    private final double[] gains = new double[CONTROL_INTERVAL];

    GainEffect(EffectSettings settings) {
        gainDb = settings.number("gain_db");
    }

    @Override
    protected void allocate(Spec spec) {}

    @Override
    protected void clearState() {
        gain.jumpTo(dbToGain(gainDb.valueAt(0)));
    }

    @Override
    protected void updateControls(double seconds) {
        gain.rampTo(dbToGain(gainDb.valueAt(seconds)));
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        gain.fill(gains, frames);
        for (int c = 0; c < channelCount; c++) {
            float[] x = ch[c];
            for (int i = 0; i < frames; i++) {
                x[offset + i] = (float) (x[offset + i] * gains[i]);
            }
        }
    }
}
