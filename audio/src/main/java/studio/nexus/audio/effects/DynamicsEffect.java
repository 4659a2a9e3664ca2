package studio.nexus.audio.effects;

/**
 * Stereo-linked peak dynamics (JUCE/pedalboard style): a peak envelope of max |x| across channels follows with
 * {@code attack_ms}/{@code release_ms}, and a gain is applied relative to {@code threshold_db}. Two shapes:
 * <ul>
 *   <li>{@code compressor}: feed-forward, hard knee, no make-up gain; above the threshold the level is reduced by
 *       (level − threshold) × (1 − 1/ratio) dB, so the static curve is out = threshold + (in − threshold) / ratio.</li>
 *   <li>{@code noise_gate}: downward expander (pedalboard's NoiseGate parameters); below the threshold the level is
 *       pushed down by (threshold − level) × (ratio − 1) dB, so silence stays silence and a high ratio gates.</li>
 * </ul>
 */
final class DynamicsEffect extends BlockEffect {
    /** Which side of the threshold is acted on. */
    enum Shape { COMPRESSOR, NOISE_GATE }

    private final Shape shape;
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

    private DynamicsEffect(Shape shape, EffectSettings s) {
        this.shape = shape;
        thresholdDb = s.number("threshold_db");
        ratio = s.number("ratio");
        attackMs = s.number("attack_ms");
        releaseMs = s.number("release_ms");
    }

    static DynamicsEffect compressor(EffectSettings s) {
        return new DynamicsEffect(Shape.COMPRESSOR, s);
    }

    static DynamicsEffect noiseGate(EffectSettings s) {
        return new DynamicsEffect(Shape.NOISE_GATE, s);
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
        double r = ratio.valueAt(seconds);
        exponent = shape == Shape.COMPRESSOR ? 1.0 / r - 1.0 : r - 1.0;
        attack = timeConstant(attackMs.valueAt(seconds));
        release = timeConstant(releaseMs.valueAt(seconds));
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        boolean compressing = shape == Shape.COMPRESSOR;
        double env = envelope;
        for (int i = 0; i < frames; i++) {
            double peak = 0;
            for (int c = 0; c < channelCount; c++) {
                peak = Math.max(peak, Math.abs(ch[c][offset + i]));
            }
            double coef = peak > env ? attack : release;
            env = peak + (env - peak) * coef;
            if (compressing) {
                gains[i] = env > thresholdGain ? Math.pow(env / thresholdGain, exponent) : 1.0;
            } else {
                gains[i] = env >= thresholdGain ? 1.0 : Math.pow(env / thresholdGain, exponent);
            }
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
