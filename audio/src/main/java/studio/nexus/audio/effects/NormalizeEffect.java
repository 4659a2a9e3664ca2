package studio.nexus.audio.effects;

import studio.nexus.audio.analysis.LoudnessMeter;

/**
 * {@code normalize}: a two-pass effect. While {@link #isMeasuring()} it passes audio unchanged and
 * meters what reaches it (sample peak or BS.1770 integrated loudness); {@link #finishMeasurement()}
 * then fixes a constant gain = target − measured (dB), capped at +60 dB; digital silence gets unity.
 *
 * <p>{@code OfflineRenderer} drives the passes: it renders the whole input once per normalize effect
 * (discarding output) and finishes the first still-measuring one in chain order after each pass, then
 * renders for real. {@link #reset()} clears the meter but keeps a finished gain. Used without the
 * renderer, the effect stays transparent. Loudness mode does not prevent clipping: add a limiter after it.
 */
public final class NormalizeEffect extends BlockEffect {
    private static final double MAX_GAIN_DB = 60;
    private final boolean loudness;
    private final double targetDb;
    private LoudnessMeter meter;
    private boolean measuring = true;
    private double gain = 1.0;

    NormalizeEffect(EffectSettings s) {
        loudness = s.choice("mode").equals("loudness");
        targetDb = s.number("target_db").initialValue();
    }

    public boolean isMeasuring() {
        return measuring;
    }

    /** Ends the analysis pass; from now on the effect applies the computed gain. */
    public void finishMeasurement() {
        LoudnessMeter.Measurement m = meter.result();
        double measured = loudness ? m.integratedLufs() : m.samplePeakDbfs();
        double db = Double.isInfinite(measured) ? 0.0 : Math.min(MAX_GAIN_DB, targetDb - measured);
        gain = dbToGain(db);
        measuring = false;
    }

    /** Returns to analysis mode (e.g. to re-render with different input). */
    public void restartMeasurement() {
        measuring = true;
        gain = 1.0;
        if (meter != null) {
            meter.reset();
        }
    }

    /** The applied linear gain (1.0 while measuring). */
    public double appliedGain() {
        return gain;
    }

    @Override
    protected void allocate(Spec spec) {
        meter = new LoudnessMeter(spec.sampleRate(), spec.channels());
    }

    @Override
    protected void clearState() {
        meter.reset();
    }

    @Override
    protected void updateControls(double seconds) {}

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        if (measuring) {
            meter.accept(ch, offset, frames);
            return;
        }
        float g = (float) gain;
        for (int c = 0; c < channelCount; c++) {
            float[] x = ch[c];
            for (int i = offset, end = offset + frames; i < end; i++) {
                x[i] *= g;
            }
        }
    }
}
