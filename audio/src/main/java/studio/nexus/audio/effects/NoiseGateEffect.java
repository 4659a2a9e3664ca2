package studio.nexus.audio.effects;

/**
 * {@code noise_gate}: downward expander (pedalboard's NoiseGate parameters). A stereo-linked peak
 * envelope with {@code attack_ms}/{@code release_ms}; below {@code threshold_db} the level is pushed down
 * by (threshold − level) × (ratio − 1) dB, so silence stays silence and a high ratio acts as a gate.
 */
final class NoiseGateEffect extends BlockEffect {
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

    NoiseGateEffect(EffectSettings s) {
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
        exponent = ratio.valueAt(seconds) - 1.0;
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
            double g = env >= thresholdGain ? 1.0 : Math.pow(env / thresholdGain, exponent);
            gains[i] = g;
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
