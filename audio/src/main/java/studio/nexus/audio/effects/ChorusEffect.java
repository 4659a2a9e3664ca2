package studio.nexus.audio.effects;

import studio.nexus.audio.SampleGuard;

/**
 * {@code chorus}: modulated delay per channel. Delay = centre_delay_ms × (1 + depth × sin(2π·rate·t + φc)),
 * at least 1 sample, with φc = c·π/2 so stereo channels move in quadrature. The line is fed input +
 * feedback × wet; output = dry × (1 − mix) + wet × mix. Linear-interpolated fractional reads.
 */
final class ChorusEffect extends BlockEffect {
    private final Automation rateHz;
    private final Automation depth;
    private final Automation centreDelayMs;
    private final Automation feedback;
    private final Automation mix;
    private float[][] lines;
    private int mask;
    private int writeIndex;
    private double phase; // cycles
    private double phaseStep;
    private double depthValue;
    private double centreSamples;
    private final Ramp feedbackRamp = new Ramp();
    private final Ramp mixRamp = new Ramp();
    private final double[] feedbacks = new double[CONTROL_INTERVAL];
    private final double[] mixes = new double[CONTROL_INTERVAL];
    private final double[] phases = new double[CONTROL_INTERVAL];

    ChorusEffect(EffectSettings s) {
        rateHz = s.number("rate_hz");
        depth = s.number("depth");
        centreDelayMs = s.number("centre_delay_ms");
        feedback = s.number("feedback");
        mix = s.number("mix");
    }

    @Override
    protected void allocate(Spec spec) {
        int longest = (int) Math.ceil(centreDelayMs.maxValue() * 0.001 * spec.sampleRate() * 2) + 4;
        int size = Integer.highestOneBit(longest) << 1;
        lines = new float[spec.channels()][size];
        mask = size - 1;
    }

    @Override
    protected void clearState() {
        for (float[] l : lines) {
            java.util.Arrays.fill(l, 0f);
        }
        writeIndex = 0;
        phase = 0;
        feedbackRamp.jumpTo(feedback.valueAt(0));
        mixRamp.jumpTo(mix.valueAt(0));
    }

    @Override
    protected void updateControls(double seconds) {
        phaseStep = rateHz.valueAt(seconds) / sampleRate;
        depthValue = depth.valueAt(seconds);
        centreSamples = centreDelayMs.valueAt(seconds) * 0.001 * sampleRate;
        feedbackRamp.rampTo(feedback.valueAt(seconds));
        mixRamp.rampTo(mix.valueAt(seconds));
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        feedbackRamp.fill(feedbacks, frames);
        mixRamp.fill(mixes, frames);
        // Advance the LFO per sample with a per-sample wrap, so the result never depends on how
        // the caller sliced the stream.
        double ph = phase;
        for (int i = 0; i < frames; i++) {
            phases[i] = ph;
            ph += phaseStep;
            if (ph >= 1) {
                ph -= 1;
            }
        }
        phase = ph;
        int start = writeIndex;
        for (int c = 0; c < channelCount; c++) {
            float[] line = lines[c];
            float[] x = ch[c];
            double offsetPhase = c * 0.25;
            int w = start;
            for (int i = 0; i < frames; i++) {
                double d = centreSamples * (1 + depthValue * Math.sin(2 * Math.PI * (phases[i] + offsetPhase)));
                if (d < 1) {
                    d = 1;
                }
                int whole = (int) d;
                double frac = d - whole;
                float a = line[(w - whole) & mask];
                float b = line[(w - whole - 1) & mask];
                double wet = a + (b - a) * frac;
                double in = x[offset + i];
                line[w] = SampleGuard.clean((float) (in + feedbacks[i] * wet));
                x[offset + i] = (float) (in * (1 - mixes[i]) + wet * mixes[i]);
                w = (w + 1) & mask;
            }
        }
        writeIndex = (start + frames) & mask;
    }
}
