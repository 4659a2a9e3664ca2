package studio.nexus.audio.effects;

import studio.nexus.audio.SampleGuard;

/**
 * {@code phaser}: 6 first-order allpass stages per channel whose break frequency sweeps
 * centre_frequency_hz × 2^(2 × depth × sin(2π·rate·t)) (±2 octaves at depth 1), clamped to
 * 20 Hz..0.45 × rate; the last stage is fed back with {@code feedback}; output = dry × (1 − mix) +
 * wet × mix. The sweep is evaluated per control interval (128 frames).
 */
final class PhaserEffect extends BlockEffect {
    private static final int STAGES = 6;
    private final Automation rateHz;
    private final Automation depth;
    private final Automation centreHz;
    private final Automation feedback;
    private final Automation mix;
    private double[][] stageX;
    private double[][] stageY;
    private double[] lastOut;
    private double coefficient;
    private double phase;
    private final Ramp mixRamp = new Ramp();
    private final double[] mixes = new double[CONTROL_INTERVAL];
    private double feedbackValue;

    PhaserEffect(EffectSettings s) {
        rateHz = s.number("rate_hz");
        depth = s.number("depth");
        centreHz = s.number("centre_frequency_hz");
        feedback = s.number("feedback");
        mix = s.number("mix");
    }

    @Override
    protected void allocate(Spec spec) {
        stageX = new double[spec.channels()][STAGES];
        stageY = new double[spec.channels()][STAGES];
        lastOut = new double[spec.channels()];
    }

    @Override
    protected void clearState() {
        for (int c = 0; c < stageX.length; c++) {
            java.util.Arrays.fill(stageX[c], 0);
            java.util.Arrays.fill(stageY[c], 0);
        }
        java.util.Arrays.fill(lastOut, 0);
        phase = 0;
        mixRamp.jumpTo(mix.valueAt(0));
    }

    @Override
    protected void updateControls(double seconds) {
        double f = centreHz.valueAt(seconds) * Math.pow(2.0, 2 * depth.valueAt(seconds) * Math.sin(2 * Math.PI * phase));
        f = Math.max(20, Math.min(f, sampleRate * 0.45));
        double t = Math.tan(Math.PI * f / sampleRate);
        coefficient = (t - 1) / (t + 1);
        phase += rateHz.valueAt(seconds) * CONTROL_INTERVAL / sampleRate;
        phase -= Math.floor(phase);
        feedbackValue = feedback.valueAt(seconds);
        mixRamp.rampTo(mix.valueAt(seconds));
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        mixRamp.fill(mixes, frames);
        double a = coefficient;
        for (int c = 0; c < channelCount; c++) {
            float[] x = ch[c];
            double[] sx = stageX[c];
            double[] sy = stageY[c];
            double fbSignal = lastOut[c];
            for (int i = 0; i < frames; i++) {
                double in = x[offset + i];
                double v = in + feedbackValue * fbSignal;
                for (int k = 0; k < STAGES; k++) {
                    double y = a * v + sx[k] - a * sy[k];
                    sx[k] = v;
                    sy[k] = y;
                    v = y;
                }
                fbSignal = v;
                x[offset + i] = (float) (in * (1 - mixes[i]) + v * mixes[i]);
            }
            lastOut[c] = SampleGuard.clean(fbSignal);
            for (int k = 0; k < STAGES; k++) {
                sx[k] = SampleGuard.clean(sx[k]);
                sy[k] = SampleGuard.clean(sy[k]);
            }
        }
    }
}
