package studio.nexus.audio.analysis;

/**
 * Inter-sample peak detector after ITU-R BS.1770-4 Annex 2: each channel is oversampled 4× by a
 * 49-tap Hann-windowed sinc (the interpolator libebur128 uses) and the largest |value| of the four
 * oversampled points is reported per input sample.
 *
 * <p>{@link #push} returns the peak of the interval starting {@link #DELAY_FRAMES} input frames earlier
 * (phase 0 is that sample itself, phases 1–3 lie between it and the next one), so a caller that needs
 * the peak aligned with its samples delays them by {@link #DELAY_FRAMES}. Memory is a few doubles per
 * channel; allocation-free after construction. Not thread-safe.
 */
public final class TruePeakDetector {

    public static final int FACTOR = 4;
    private static final int TAPS = 49;
    private static final int PER_PHASE = (TAPS + FACTOR - 1) / FACTOR;
    /** Input frames between a pushed sample and the interval its reported peak belongs to. */
    public static final int DELAY_FRAMES = (TAPS - 1) / 2 / FACTOR;
    private static final double[][] PHASES = phases();

    private final int channels;
    // Each channel's last PER_PHASE inputs, written twice (at i and i + PER_PHASE) so the dot product
    // reads one contiguous run without wrapping.
    private final double[][] history;
    private final int[] positions;

    public TruePeakDetector(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1");
        }
        this.channels = channels;
        history = new double[channels][2 * PER_PHASE];
        positions = new int[channels];
    }

    public int channels() {
        return channels;
    }

    private static double[][] phases() {
        double[] h = new double[TAPS];
        int m = TAPS - 1;
        for (int i = 0; i < TAPS; i++) {
            double c = i - m / 2.0;
            double sinc = c == 0 ? 1.0 : Math.sin(Math.PI * c / FACTOR) / (Math.PI * c / FACTOR);
            double window = 0.5 * (1 - Math.cos(2 * Math.PI * i / m));
            h[i] = sinc * window;
        }
        // phase p uses taps p, p + 4, p + 8, ...; tap p + 4j multiplies the input j samples back
        double[][] phases = new double[FACTOR][PER_PHASE];
        for (int p = 0; p < FACTOR; p++) {
            for (int j = 0; p + FACTOR * j < TAPS; j++) {
                phases[p][j] = h[p + FACTOR * j];
            }
        }
        return phases;
    }

    public void reset() {
        for (double[] h : history) {
            java.util.Arrays.fill(h, 0);
        }
        java.util.Arrays.fill(positions, 0);
    }

    /**
     * Feeds one sample of {@code channel}; returns the largest |value| among the four oversampled points
     * of the interval that begins {@link #DELAY_FRAMES} samples before it.
     */
    public double push(int channel, double sample) {
        double[] h = history[channel];
        int pos = positions[channel];
        // newest first: h[pos] is the newest, h[pos + j] the sample j steps back
        pos = pos == 0 ? PER_PHASE - 1 : pos - 1;
        h[pos] = sample;
        h[pos + PER_PHASE] = sample;
        positions[channel] = pos;
        double peak = 0;
        for (int p = 0; p < FACTOR; p++) {
            double[] taps = PHASES[p];
            double y = 0;
            for (int j = 0; j < PER_PHASE; j++) {
                y += taps[j] * h[pos + j];
            }
            double a = Math.abs(y);
            if (a > peak) {
                peak = a;
            }
        }
        return peak;
    }
}
