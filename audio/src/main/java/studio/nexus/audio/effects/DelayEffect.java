package studio.nexus.audio.effects;

import studio.nexus.audio.SampleGuard;

/**
 * {@code delay}: feedback delay line (pedalboard's Delay). Output = dry × (1 − mix) + wet × mix, where
 * wet is the delay line output and the line is fed input + feedback × wet. So an impulse of 1 gives
 * (1 − mix) at 0, mix at D, mix × feedback at 2·D, mix × feedback² at 3·D, with
 * D = round(delay_seconds × sample rate) (at least 1 sample).
 *
 * <p>The buffer is sized in prepare for the largest delay the automation reaches. Automated delay
 * time glides (50 ms time constant, fractional read with linear interpolation) instead of jumping,
 * which would click. Feedback is capped at 0.99 by validation and the loop is sanitized, so it can't run away.
 */
final class DelayEffect extends BlockEffect {
    private final Automation delaySeconds;
    private final Automation feedback;
    private final Automation mix;
    private float[][] lines;
    private int mask;
    private int writeIndex;
    private double delay;
    private double delayTarget;
    private double glide;
    private final Ramp feedbackRamp = new Ramp();
    private final Ramp mixRamp = new Ramp();
    private final double[] feedbacks = new double[CONTROL_INTERVAL];
    private final double[] mixes = new double[CONTROL_INTERVAL];
    private final double[] delays = new double[CONTROL_INTERVAL];

    DelayEffect(EffectSettings s) {
        delaySeconds = s.number("delay_seconds");
        feedback = s.number("feedback");
        mix = s.number("mix");
    }

    private double delaySamples(double seconds) {
        return Math.max(1.0, Math.rint(delaySeconds.valueAt(seconds) * sampleRate));
    }

    @Override
    protected void allocate(Spec spec) {
        int longest = (int) Math.max(1, Math.rint(delaySeconds.maxValue() * spec.sampleRate())) + 2;
        int size = Integer.highestOneBit(longest) << 1;
        lines = new float[spec.channels()][size];
        mask = size - 1;
        glide = Math.exp(-1.0 / (0.05 * spec.sampleRate()));
    }

    @Override
    protected void clearState() {
        for (float[] line : lines) {
            java.util.Arrays.fill(line, 0f);
        }
        writeIndex = 0;
        delay = delayTarget = delaySamples(0);
        feedbackRamp.jumpTo(feedback.valueAt(0));
        mixRamp.jumpTo(mix.valueAt(0));
    }

    @Override
    protected void updateControls(double seconds) {
        delayTarget = delaySamples(seconds);
        feedbackRamp.rampTo(feedback.valueAt(seconds));
        mixRamp.rampTo(mix.valueAt(seconds));
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        if (delay == delayTarget && feedbackRamp.isSteady() && mixRamp.isSteady()) {
            processSteady(ch, offset, frames);
            return;
        }
        feedbackRamp.fill(feedbacks, frames);
        mixRamp.fill(mixes, frames);
        double d = delay;
        for (int i = 0; i < frames; i++) {
            if (d != delayTarget) {
                d = delayTarget + (d - delayTarget) * glide;
                if (Math.abs(d - delayTarget) < 1e-4) {
                    d = delayTarget; // settle on the exact integer delay
                }
            }
            delays[i] = d;
        }
        delay = d;
        int start = writeIndex;
        for (int c = 0; c < channelCount; c++) {
            float[] line = lines[c];
            float[] x = ch[c];
            int w = start;
            for (int i = 0; i < frames; i++) {
                double di = delays[i];
                int whole = (int) di;
                double frac = di - whole;
                float a = line[(w - whole) & mask];
                float wet = frac == 0 ? a : (float) (a + (line[(w - whole - 1) & mask] - a) * frac);
                float in = x[offset + i];
                // float arithmetic, the same expressions as processSteady(), so both paths agree bit for bit
                line[w] = SampleGuard.clean(in + (float) feedbacks[i] * wet);
                float m = (float) mixes[i];
                x[offset + i] = in * (1f - m) + wet * m;
                w = (w + 1) & mask;
            }
        }
        writeIndex = (start + frames) & mask;
    }

    /**
     * Nothing moving: a whole-sample delay and constant gains (the common case). The arithmetic is
     * the general path's, operation for operation, so switching paths mid-stream cannot change a bit
     * (the delay glide settles at arbitrary samples, so block size must not matter here either).
     */
    private void processSteady(float[][] ch, int offset, int frames) {
        int d = (int) delay;
        float fb = (float) feedbackRamp.current();
        float m = (float) mixRamp.current();
        float dryGain = 1f - m;
        int size = mask + 1;
        int start = writeIndex;
        for (int c = 0; c < channelCount; c++) {
            float[] line = lines[c];
            float[] x = ch[c];
            int w = start;
            int r = (start - d) & mask;
            int i = 0;
            while (i < frames) {
                // contiguous run until the read or the write position wraps: no masking inside
                int run = Math.min(frames - i, Math.min(size - w, size - r));
                for (int k = 0; k < run; k++) {
                    float wet = line[r + k];
                    float in = x[offset + i + k];
                    line[w + k] = SampleGuard.clean(in + fb * wet);
                    x[offset + i + k] = in * dryGain + wet * m;
                }
                i += run;
                w = (w + run) & mask;
                r = (r + run) & mask;
            }
        }
        writeIndex = (start + frames) & mask;
    }
}
