package studio.nexus.audio.effects;

import java.util.Arrays;

/**
 * The gain computer the look-ahead limiters share ({@link LimiterEffect} on sample peaks, {@link SafetyLimiter} on
 * true peaks): the needed gain of every frame goes through a sliding minimum over the window (W = look-ahead + 1
 * frames), a one-pole release that only ever lowers it, and a W-tap moving average, so the gain applied to a frame
 * delayed by the look-ahead is never above what that frame needs. Allocates only in its constructor; not
 * thread-safe (one per effect instance).
 */
final class LookaheadGain {
    private final int window;
    // Monotonic deque (ascending values) of (value, time) for the sliding minimum.
    private final double[] dequeValues;
    private final long[] dequeTimes;
    private final double[] averageRing;
    private int dequeHead;
    private int dequeSize;
    private int averageIndex;
    private double averageSum;
    private double released;
    private long time;

    LookaheadGain(int window) {
        this.window = window;
        dequeValues = new double[window + 1];
        dequeTimes = new long[window + 1];
        averageRing = new double[window];
        reset();
    }

    void reset() {
        dequeHead = 0;
        dequeSize = 0;
        Arrays.fill(averageRing, 1.0);
        averageIndex = 0;
        averageSum = window;
        released = 1.0;
        time = 0;
    }

    /** The gain for the frame that entered the look-ahead window a window ago, given the newest frame's need. */
    double next(double needed, double releaseCoef) {
        int cap = dequeValues.length;
        while (dequeSize > 0 && dequeValues[(dequeHead + dequeSize - 1) % cap] >= needed) {
            dequeSize--;
        }
        int tail = (dequeHead + dequeSize) % cap;
        dequeValues[tail] = needed;
        dequeTimes[tail] = time;
        dequeSize++;
        while (dequeTimes[dequeHead] <= time - window) {
            dequeHead = (dequeHead + 1) % cap;
            dequeSize--;
        }
        double held = dequeValues[dequeHead];
        released = held < released ? held : released + (held - released) * (1 - releaseCoef);
        averageSum += released - averageRing[averageIndex];
        averageRing[averageIndex] = released;
        if (++averageIndex == window) {
            averageIndex = 0;
        }
        time++;
        return averageSum / window;
    }

    /**
     * Delays each of the first {@code channels} channels through its line (all lines {@code delay} long, sharing {@code delayIndex}), applies
     * {@code gains[i]} to frame i, and clamps to ±{@code limit} (float rounding). Answers the next delay index.
     */
    static int applyDelayed(float[][] ch, int channels, int offset, int frames, float[][] delayLines, int delayIndex,
                            int delay, double[] gains, float limit) {
        for (int c = 0; c < channels; c++) {
            float[] x = ch[c];
            float[] line = delayLines[c];
            int d = delayIndex;
            for (int i = 0; i < frames; i++) {
                float delayed = line[d];
                line[d] = x[offset + i];
                if (++d == delay) {
                    d = 0;
                }
                float y = (float) (delayed * gains[i]);
                x[offset + i] = Math.max(-limit, Math.min(limit, y));
            }
        }
        return (delayIndex + frames) % delay;
    }
}
