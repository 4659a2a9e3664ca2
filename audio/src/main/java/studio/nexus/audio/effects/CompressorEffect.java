package studio.nexus.audio.effects;

/**
 * {@code compressor}: feed-forward, stereo-linked peak compressor (JUCE/pedalboard style). A peak
 * envelope of max |x| across channels follows with {@code attack_ms}/{@code release_ms}; above
 * {@code threshold_db} the level is reduced by (level − threshold) × (1 − 1/ratio) dB. Hard knee, no
 * make-up gain, so its static curve is out = threshold + (in − threshold) / ratio above threshold.
 */
final class CompressorEffect extends BlockEffect {
    private final Automation thresholdDb;
    private final Automation ratio;
    private final Automation attackMs;
    private final Automation releaseMs;
    private double thresholdGain;
    private double exponent;
    private double attack;
    private double release;
    private double envelope;
    private final double[] gains = new double[CONTROL_INTERVAL];

    CompressorEffect(EffectSettings s) {
        thresholdDb = s.number("threshold_db");
        ratio = s.number("ratio");
        attackMs = s.number("attack_ms");
        releaseMs = s.number("release_ms");
    }

    @Override
    protected void allocate(Spec spec) {}

    @Override
    protected void clearState() {
        envelope = 0;
    }

    @Override
    protected void updateControls(double seconds) {
        thresholdGain = dbToGain(thresholdDb.valueAt(seconds));
        exponent = 1.0 / ratio.valueAt(seconds) - 1.0;
        attack = timeConstant(attackMs.valueAt(seconds));
        release = timeConstant(releaseMs.valueAt(seconds));
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        double env = envelope;
        for (int i = 0; i < frames; i++) {
            double peak = 0;
            for (int c = 0; c < channelCount; c++) {
                peak = Math.max(peak, Math.abs(ch[c][offset + i]));
            }
            double coef = peak > env ? attack : release;
            env = peak + (env - peak) * coef;
            gains[i] = env > thresholdGain ? Math.pow(env / thresholdGain, exponent) : 1.0;
        }
        envelope = env < 1e-20 ? 0 : env;
        for (int c = 0; c < channelCount; c++) {
            float[] x = ch[c];
            for (int i = 0; i < frames; i++) {
                x[offset + i] = (float) (x[offset + i] * gains[i]);
            }
        }
    }
}
