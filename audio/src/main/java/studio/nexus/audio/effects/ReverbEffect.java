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

    private void runCombs(int c, int j, int frames, float fb, float d, float d1, float[] acc, boolean first) {
        float[] b0 = combBuffers[c][j];
        float[] b1 = combBuffers[c][j + 1];
        float[] b2 = combBuffers[c][j + 2];
        float[] b3 = combBuffers[c][j + 3];
        int i0 = combIndex[c][j];
        int i1 = combIndex[c][j + 1];
        int i2 = combIndex[c][j + 2];
        int i3 = combIndex[c][j + 3];
        float l0 = combLast[c][j];
        float l1 = combLast[c][j + 1];
        float l2 = combLast[c][j + 2];
        float l3 = combLast[c][j + 3];
        int i = 0;
        while (i < frames) {
            // Contiguous run until the first buffer wraps: no wrap test in the inner loop.
            int run = Math.min(Math.min(frames - i, b0.length - i0), Math.min(b1.length - i1,
                    Math.min(b2.length - i2, b3.length - i3)));
            for (int k = 0; k < run; k++) {
                float in = input[i + k];
                float o0 = b0[i0 + k];
                float o1 = b1[i1 + k];
                float o2 = b2[i2 + k];
                float o3 = b3[i3 + k];
                l0 = o0 * d1 + l0 * d;
                l1 = o1 * d1 + l1 * d;
                l2 = o2 * d1 + l2 * d;
                l3 = o3 * d1 + l3 * d;
                b0[i0 + k] = in + l0 * fb;
                b1[i1 + k] = in + l1 * fb;
                b2[i2 + k] = in + l2 * fb;
                b3[i3 + k] = in + l3 * fb;
                float sum = (o0 + o1) + (o2 + o3);
                acc[i + k] = first ? sum : acc[i + k] + sum;
            }
            i += run;
            i0 += run;
            i1 += run;
            i2 += run;
            i3 += run;
            if (i0 == b0.length) {
                i0 = 0;
            }
            if (i1 == b1.length) {
                i1 = 0;
            }
            if (i2 == b2.length) {
                i2 = 0;
            }
            if (i3 == b3.length) {
                i3 = 0;
            }
        }
        combIndex[c][j] = i0;
        combIndex[c][j + 1] = i1;
        combIndex[c][j + 2] = i2;
        combIndex[c][j + 3] = i3;
        // JUCE's undenormalise: a decayed tail flushes to exact zero
        combLast[c][j] = Math.abs(l0) < 1e-15f ? 0f : l0;
        combLast[c][j + 1] = Math.abs(l1) < 1e-15f ? 0f : l1;
        combLast[c][j + 2] = Math.abs(l2) < 1e-15f ? 0f : l2;
        combLast[c][j + 3] = Math.abs(l3) < 1e-15f ? 0f : l3;
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        // Steady BEFORE filling: a ramp that ends inside this slice still varies across it.
        boolean steady = wet1.isSteady() && wet2.isSteady() && dry.isSteady();
        if (!steady) {
            wet1.fill(wet1s, frames);
            wet2.fill(wet2s, frames);
            dry.fill(drys, frames);
        }
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
            if (steady) { // constant gains: plain float math
                float w1 = (float) wet1.current();
                float w2 = (float) wet2.current();
                float dr = (float) dry.current();
                for (int i = 0; i < frames; i++) {
                    float ol = accLeft[i];
                    float or = accRight[i];
                    l[offset + i] = ol * w1 + or * w2 + l[offset + i] * dr;
                    r[offset + i] = or * w1 + ol * w2 + r[offset + i] * dr;
                }
            } else {
                for (int i = 0; i < frames; i++) {
                    float ol = accLeft[i];
                    float or = accRight[i];
                    l[offset + i] = (float) (ol * wet1s[i] + or * wet2s[i] + l[offset + i] * drys[i]);
                    r[offset + i] = (float) (or * wet1s[i] + ol * wet2s[i] + r[offset + i] * drys[i]);
                }
            }
        }
        if (c < channelCount) { // odd channel out: JUCE's mono path
            if (steady) {
                java.util.Arrays.fill(wet1s, 0, frames, wet1.current());
                java.util.Arrays.fill(drys, 0, frames, dry.current());
            }
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

    /** Combs in parallel then allpasses in series, over the whole slice (cache and pipeline friendly). */
    private void runTank(int c, int frames, float fb, float d, float[] acc) {
        float d1 = 1f - d;
        // Four combs per loop: their damping recursions are independent, so the CPU overlaps them
        // instead of waiting on one loop-carried chain at a time.
        runCombs(c, 0, frames, fb, d, d1, acc, true);
        runCombs(c, 4, frames, fb, d, d1, acc, false);
        float[][] aps = allpassBuffers[c];
        float[] p0 = aps[0];
        float[] p1 = aps[1];
        float[] p2 = aps[2];
        float[] p3 = aps[3];
        int[] index = allpassIndex[c];
        int i0 = index[0];
        int i1 = index[1];
        int i2 = index[2];
        int i3 = index[3];
        int i = 0;
        while (i < frames) {
            // The four allpasses in series, fused in one loop; runs end where the first buffer wraps.
            int run = Math.min(Math.min(frames - i, p0.length - i0), Math.min(p1.length - i1,
                    Math.min(p2.length - i2, p3.length - i3)));
            for (int k = 0; k < run; k++) {
                float v = acc[i + k];
                float q = p0[i0 + k];
                p0[i0 + k] = flush(v + q * 0.5f);
                v = q - v;
                q = p1[i1 + k];
                p1[i1 + k] = flush(v + q * 0.5f);
                v = q - v;
                q = p2[i2 + k];
                p2[i2 + k] = flush(v + q * 0.5f);
                v = q - v;
                q = p3[i3 + k];
                p3[i3 + k] = flush(v + q * 0.5f);
                acc[i + k] = q - v;
            }
            i += run;
            i0 += run;
            i1 += run;
            i2 += run;
            i3 += run;
            if (i0 == p0.length) {
                i0 = 0;
            }
            if (i1 == p1.length) {
                i1 = 0;
            }
            if (i2 == p2.length) {
                i2 = 0;
            }
            if (i3 == p3.length) {
                i3 = 0;
            }
        }
        index[0] = i0;
        index[1] = i1;
        index[2] = i2;
        index[3] = i3;
    }

    /** A silent tail halves forever in an allpass: flush before it turns denormal (slow on x86). */
    private static float flush(float v) {
        return Math.abs(v) < 1e-15f ? 0f : v;
    }
}
