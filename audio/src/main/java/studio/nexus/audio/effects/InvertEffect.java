package studio.nexus.audio.effects;

/** {@code invert}: flips polarity. */
final class InvertEffect extends BlockEffect {
    InvertEffect(EffectSettings settings) {}

    @Override
    protected void allocate(Spec spec) {}

    @Override
    protected void clearState() {}

    @Override
    protected void updateControls(double seconds) {}

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        for (int c = 0; c < channelCount; c++) {
            float[] x = ch[c];
            for (int i = offset, end = offset + frames; i < end; i++) {
                x[i] = -x[i];
            }
        }
    }
}
