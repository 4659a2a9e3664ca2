package studio.nexus.audio.effects;

/**
 * Per-sample linear smoothing of a control value over one control interval, so gain and mix changes
 * never step (zipper noise). Mutable; owned by one effect instance.
 */
final class Ramp {
    private double current;
    private double target;
    private double step;
    private int remaining;

    void jumpTo(double value) {
        current = value;
        target = value;
        step = 0;
        remaining = 0;
    }

    void rampTo(double value) {
        if (value == target) {
            return;
        }
        target = value;
        remaining = BlockEffect.CONTROL_INTERVAL;
        step = (target - current) / remaining;
    }

    double next() {
        if (remaining > 0) {
            current += step;
            if (--remaining == 0) {
                current = target;
            }
        }
        return current;
    }

    /** Writes the next {@code frames} values into {@code out[0..frames)}. */
    void fill(double[] out, int frames) {
        for (int i = 0; i < frames; i++) {
            out[i] = next();
        }
    }

    boolean isSteady() {
        return remaining == 0;
    }

    double current() {
        return current;
    }
}
