package studio.nexus.audio.effects;

/** {@code clipping}: hard clip at ±{@code threshold_db} (dBFS). */
final class ClippingEffect extends BlockEffect {
    private final Automation thresholdDb;
    private float ceiling;

    ClippingEffect(EffectSettings settings) {
        thresholdDb = settings.number("threshold_db");
    }

    @Override
    protected void allocate(Spec spec) {}

    @Override
    protected void clearState() {}

    @Override
    protected void updateControls(double seconds) {
        ceiling = (float) dbToGain(thresholdDb.valueAt(seconds));
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        float hi = ceiling;
        float lo = -ceiling;
        for (int c = 0; c < channelCount; c++) {
            float[] x = ch[c];
            for (int i = offset, end = offset + frames; i < end; i++) {
                x[i] = Math.max(lo, Math.min(hi, x[i]));
            }
        }
    }
}
