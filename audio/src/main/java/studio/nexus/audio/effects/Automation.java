package studio.nexus.audio.effects;

import java.util.Arrays;

/**
 * An immutable parameter value over time: a constant, or an envelope of {@code (seconds, value)} points
 * linearly interpolated, held before the first and after the last point. Thread-safe.
 */
public final class Automation {

    private final double[] times;
    private final double[] values;

    private Automation(double[] times, double[] values) {
        this.times = times;
        this.values = values;
    }

    public static Automation constant(double value) {
        return new Automation(new double[] {0.0}, new double[] {value});
    }

    /** @param times strictly ascending... ties allowed for a step; copied. */
    public static Automation envelope(double[] times, double[] values) {
        if (times.length == 0 || times.length != values.length) {
            throw new IllegalArgumentException("envelope needs matching, non-empty times and values");
        }
        for (int i = 1; i < times.length; i++) {
            if (times[i] < times[i - 1]) {
                throw new IllegalArgumentException("envelope times must not decrease");
            }
        }
        return new Automation(times.clone(), values.clone());
    }

    public boolean isConstant() {
        return values.length == 1;
    }

    /** Allocation-free: a binary search over the points. */
    public double valueAt(double seconds) {
        double[] t = times;
        int n = t.length;
        if (n == 1 || seconds <= t[0]) {
            return values[0];
        }
        if (seconds >= t[n - 1]) {
            return values[n - 1];
        }
        int lo = 0;
        int hi = n - 1; // t[lo] < seconds < t[hi]
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] <= seconds) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double span = t[hi] - t[lo];
        if (span <= 0) {
            return values[hi];
        }
        double f = (seconds - t[lo]) / span;
        return values[lo] + (values[hi] - values[lo]) * f;
    }

    public double initialValue() {
        return values[0];
    }

    public double maxValue() {
        return Arrays.stream(values).max().orElseThrow();
    }

    public double minValue() {
        return Arrays.stream(values).min().orElseThrow();
    }

    public int pointCount() {
        return values.length;
    }

    @Override
    public String toString() {
        if (isConstant()) {
            return Double.toString(values[0]);
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('[').append(times[i]).append(", ").append(values[i]).append(']');
        }
        return sb.append(']').toString();
    }
}
