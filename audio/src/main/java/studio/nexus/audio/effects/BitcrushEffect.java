package studio.nexus.audio.effects;

/**
 * {@code bitcrush}: rounds to a grid of 2^(bit_depth−1) steps per unit, i.e. the resolution of a
 * signed integer of {@code bit_depth} bits. Fractional depths are allowed (as in pedalboard).
 */
final class BitcrushEffect extends BlockEffect {
    private final Automation bitDepth;
    private double scale;

    BitcrushEffect(EffectSettings settings) {
        bitDepth = settings.number("bit_depth");
    }

    @Override
    protected void allocate(Spec spec) {}

    @Override
    protected void clearState() {}

    @Override
    protected void updateControls(double seconds) {
        scale = Math.pow(2.0, bitDepth.valueAt(seconds) - 1.0);
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        double s = scale;
        double inv = 1.0 / s;
        for (int c = 0; c < channelCount; c++) {
            float[] x = ch[c];
            for (int i = offset, end = offset + frames; i < end; i++) {
                x[i] = (float) (Math.rint(x[i] * s) * inv);
            }
        }
    }
}
