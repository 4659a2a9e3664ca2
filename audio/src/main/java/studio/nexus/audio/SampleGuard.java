package studio.nexus.audio;

/**
 * Keeps sample streams numerically safe. Every effect runs its input and output through
 * {@link #sanitize}, so a NaN, an infinity or a runaway value can never travel further down a chain.
 */
public final class SampleGuard {

    /** +80 dB above full scale: far beyond any legitimate signal, small enough to never overflow a filter. */
    public static final float LIMIT = 10_000f;

    /** Values below this are flushed to zero: denormals make x86 arithmetic ~100x slower. */
    public static final float DENORMAL_THRESHOLD = 1e-20f;

    private SampleGuard() {}

    /** Replaces NaN by 0, clamps to ±{@link #LIMIT}, flushes denormals, in place. Allocation-free. */
    public static void sanitize(float[][] channels, int channelCount, int offset, int frames) {
        for (int c = 0; c < channelCount; c++) {
            float[] x = channels[c];
            for (int i = offset, end = offset + frames; i < end; i++) {
                float v = x[i];
                float a = Math.abs(v);
                if (a <= LIMIT) {
                    if (a < DENORMAL_THRESHOLD) {
                        x[i] = 0f;
                    }
                } else if (v > LIMIT) { // +inf and large positive
                    x[i] = LIMIT;
                } else if (v < -LIMIT) {
                    x[i] = -LIMIT;
                } else { // NaN: every comparison is false
                    x[i] = 0f;
                }
            }
        }
    }

    /** Same rule for one state variable of a feedback path. */
    public static double clean(double v) {
        double a = Math.abs(v);
        if (a <= LIMIT) {
            return a < DENORMAL_THRESHOLD ? 0.0 : v;
        }
        if (v > LIMIT) {
            return LIMIT;
        }
        if (v < -LIMIT) {
            return -LIMIT;
        }
        return 0.0;
    }

    public static float clean(float v) {
        float a = Math.abs(v);
        if (a <= LIMIT) {
            return a < DENORMAL_THRESHOLD ? 0f : v;
        }
        if (v > LIMIT) {
            return LIMIT;
        }
        if (v < -LIMIT) {
            return -LIMIT;
        }
        return 0f;
    }
}
