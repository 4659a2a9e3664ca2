package studio.nexus.audio.effects;

/**
 * {@code reverb}: Freeverb as in JUCE's {@code juce::Reverb} (which pedalboard wraps): per channel
 * 8 parallel lowpass-feedback combs and 4 series allpasses, right-channel delays longer by a stereo
 * spread of 23 samples, tunings scaled from 44.1 kHz. Channels are processed in stereo pairs
 * (0/1, 2/3, ...); an odd last channel uses the mono algorithm.
 *
 * <p>Scaling follows JUCE: wet = wet_level × 3, dry = dry_level × 2, feedback = room_size × 0.28 + 0.7,
 * damping = damping × 0.4, input gain 0.015; freeze_mode ≥ 0.5 sets feedback 1, damping 0, input 0.
 * Feedback and damping glide with a 10 ms time constant, gains ramp per sample.
 */
final class ReverbEffect extends BlockEffect {

    private static final int[] COMB_TUNINGS = {1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617};
    private static final int[] ALLPASS_TUNINGS = {556, 441, 341, 225};
    private static final int STEREO_SPREAD = 23;
    private static final float FIXED_GAIN = 0.015f;

    private final Automation roomSize;
    private final Automation damping;
    private final Automation wetLevel;
    private final Automation dryLevel;
    private final Automation width;
    private final Automation freezeMode;

    private float[][][] combBuffers; // [channel][comb][sample]
    private int[][] combIndex;
    private float[][] combLast;
    private float[][][] allpassBuffers;
    private int[][] allpassIndex;

    private double feedback;
    private double damp;
    private double inputGain;
    private double glide;
    private final Ramp wet1 = new Ramp();
    private final Ramp wet2 = new Ramp();
    private final Ramp dry = new Ramp();
    private final double[] wet1s = new double[CONTROL_INTERVAL];
    private final double[] wet2s = new double[CONTROL_INTERVAL];
    private final double[] drys = new double[CONTROL_INTERVAL];
    private final float[] input = new float[CONTROL_INTERVAL];
    private final float[] accLeft = new float[CONTROL_INTERVAL];
    private final float[] accRight = new float[CONTROL_INTERVAL];

    ReverbEffect(EffectSettings s) {
        roomSize = s.number("room_size");
        damping = s.number("damping");
        wetLevel = s.number("wet_level");
        dryLevel = s.number("dry_level");
        width = s.number("width");
        freezeMode = s.number("freeze_mode");
    }

    @Override
    protected void allocate(Spec spec) {
        int channels = spec.channels();
        double scale = Math.floor(spec.sampleRate()) / 44100.0;
        combBuffers = new float[channels][COMB_TUNINGS.length][];
        combIndex = new int[channels][COMB_TUNINGS.length];
        combLast = new float[channels][COMB_TUNINGS.length];
        allpassBuffers = new float[channels][ALLPASS_TUNINGS.length][];
        allpassIndex = new int[channels][ALLPASS_TUNINGS.length];
        for (int c = 0; c < channels; c++) {
            int spread = (c % 2 == 1) ? STEREO_SPREAD : 0;
            for (int j = 0; j < COMB_TUNINGS.length; j++) {
                combBuffers[c][j] = new float[Math.max(1, (int) ((COMB_TUNINGS[j] + spread) * scale))];
            }
            for (int j = 0; j < ALLPASS_TUNINGS.length; j++) {
                allpassBuffers[c][j] = new float[Math.max(1, (int) ((ALLPASS_TUNINGS[j] + spread) * scale))];
            }
        }
        glide = Math.exp(-CONTROL_INTERVAL / (0.01 * spec.sampleRate()));
    }

    @Override
    protected void clearState() {
        for (int c = 0; c < combBuffers.length; c++) {
            for (int j = 0; j < COMB_TUNINGS.length; j++) {
                java.util.Arrays.fill(combBuffers[c][j], 0f);
                combIndex[c][j] = 0;
                combLast[c][j] = 0f;
            }
            for (int j = 0; j < ALLPASS_TUNINGS.length; j++) {
                java.util.Arrays.fill(allpassBuffers[c][j], 0f);
                allpassIndex[c][j] = 0;
            }
        }
        boolean frozen = freezeMode.valueAt(0) >= 0.5;
        feedback = targetFeedback(frozen, 0);
        damp = targetDamping(frozen, 0);
        inputGain = frozen ? 0 : FIXED_GAIN;
        wet1.jumpTo(targetWet1(0));
        wet2.jumpTo(targetWet2(0));
        dry.jumpTo(dryLevel.valueAt(0) * 2.0);
    }

    private double targetFeedback(boolean frozen, double s) {
        return frozen ? 1.0 : roomSize.valueAt(s) * 0.28 + 0.7;
    }

    private double targetDamping(boolean frozen, double s) {
        return frozen ? 0.0 : damping.valueAt(s) * 0.4;
    }

    private double targetWet1(double s) {
        return 0.5 * wetLevel.valueAt(s) * 3.0 * (1.0 + width.valueAt(s));
    }

    private double targetWet2(double s) {
        return 0.5 * wetLevel.valueAt(s) * 3.0 * (1.0 - width.valueAt(s));
    }

    @Override
    protected void updateControls(double seconds) {
        boolean frozen = freezeMode.valueAt(seconds) >= 0.5;
        double fb = targetFeedback(frozen, seconds);
        double dm = targetDamping(frozen, seconds);
        // Freeze must be exact (feedback 1, no input) or the frozen tail would slowly grow or decay.
        feedback = frozen ? fb : fb + (feedback - fb) * glide;
        damp = frozen ? dm : dm + (damp - dm) * glide;
        inputGain = frozen ? 0 : FIXED_GAIN;
        wet1.rampTo(targetWet1(seconds));
        wet2.rampTo(targetWet2(seconds));
        dry.rampTo(dryLevel.valueAt(seconds) * 2.0);
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        wet1.fill(wet1s, frames);
        wet2.fill(wet2s, frames);
        dry.fill(drys, frames);
        float fb = (float) feedback;
        float d = (float) damp;
        float gain = (float) inputGain;
        int c = 0;
        for (; c + 1 < channelCount; c += 2) {
            float[] l = ch[c];
            float[] r = ch[c + 1];
            for (int i = 0; i < frames; i++) {
                input[i] = (l[offset + i] + r[offset + i]) * gain;
            }
            runTank(c, frames, fb, d, accLeft);
            runTank(c + 1, frames, fb, d, accRight);
            for (int i = 0; i < frames; i++) {
                float ol = accLeft[i];
                float or = accRight[i];
                l[offset + i] = (float) (ol * wet1s[i] + or * wet2s[i] + l[offset + i] * drys[i]);
                r[offset + i] = (float) (or * wet1s[i] + ol * wet2s[i] + r[offset + i] * drys[i]);
            }
        }
        if (c < channelCount) { // odd channel out: JUCE's mono path
            float[] m = ch[c];
            for (int i = 0; i < frames; i++) {
                input[i] = m[offset + i] * gain;
            }
            runTank(c, frames, fb, d, accLeft);
            for (int i = 0; i < frames; i++) {
                m[offset + i] = (float) (accLeft[i] * wet1s[i] + m[offset + i] * drys[i]);
            }
        }
    }

    /** Combs in parallel then allpasses in series, one filter at a time over the slice (cache friendly). */
    private void runTank(int c, int frames, float fb, float d, float[] acc) {
        java.util.Arrays.fill(acc, 0, frames, 0f);
        float d1 = 1f - d;
        float[][] buffers = combBuffers[c];
        for (int j = 0; j < buffers.length; j++) {
            float[] buf = buffers[j];
            int size = buf.length;
            int idx = combIndex[c][j];
            float last = combLast[c][j];
            int i = 0;
            while (i < frames) {
                // Contiguous run up to the buffer end: no wrap test in the inner loop.
                int end = Math.min(frames, i + size - idx);
                for (; i < end; i++, idx++) {
                    float out = buf[idx];
                    last = out * d1 + last * d;
                    buf[idx] = input[i] + last * fb;
                    acc[i] += out;
                }
                if (idx == size) {
                    idx = 0;
                }
            }
            combIndex[c][j] = idx;
            combLast[c][j] = Math.abs(last) < 1e-15f ? 0f : last;
        }
        float[][] aps = allpassBuffers[c];
        for (int j = 0; j < aps.length; j++) {
            float[] buf = aps[j];
            int size = buf.length;
            int idx = allpassIndex[c][j];
            int i = 0;
            while (i < frames) {
                int end = Math.min(frames, i + size - idx);
                for (; i < end; i++, idx++) {
                    float in = acc[i];
                    float buffered = buf[idx];
                    float stored = in + buffered * 0.5f;
                    // a silent tail halves forever in here: flush before it turns denormal (slow on x86)
                    buf[idx] = Math.abs(stored) < 1e-15f ? 0f : stored;
                    acc[i] = buffered - in;
                }
                if (idx == size) {
                    idx = 0;
                }
            }
            allpassIndex[c][j] = idx;
        }
    }
}
