package studio.nexus.audio.mix;

import java.util.Objects;

/**
 * A take placed on a track: it plays the take's frames {@code offsetFrame .. offsetFrame + lengthFrames} at
 * timeline frames {@code startFrame .. startFrame + lengthFrames}, at {@code gainDb} with linear fades (see the
 * package documentation). If the take is shorter than the clip asks, the rest of the clip is silence.
 */
public record Clip(String takeId, long startFrame, long offsetFrame, long lengthFrames, double gainDb,
        long fadeInFrames, long fadeOutFrames) {

    public static final double MIN_GAIN_DB = -96;
    public static final double MAX_GAIN_DB = 24;

    public Clip {
        Objects.requireNonNull(takeId, "takeId");
        if (takeId.isBlank()) {
            throw new IllegalArgumentException("a clip needs a take");
        }
        if (startFrame < 0) {
            throw new IllegalArgumentException("a clip cannot start before the timeline: " + startFrame);
        }
        if (offsetFrame < 0) {
            throw new IllegalArgumentException("the offset into the take cannot be negative: " + offsetFrame);
        }
        if (lengthFrames <= 0) {
            throw new IllegalArgumentException("a clip must last at least one frame: " + lengthFrames);
        }
        if (startFrame > Long.MAX_VALUE / 4 - lengthFrames || offsetFrame > Long.MAX_VALUE / 4) {
            throw new IllegalArgumentException("clip position out of range");
        }
        if (!(gainDb >= MIN_GAIN_DB && gainDb <= MAX_GAIN_DB)) {
            throw new IllegalArgumentException("clip gain must be " + MIN_GAIN_DB + ".." + MAX_GAIN_DB + " dB: " + gainDb);
        }
        if (fadeInFrames < 0 || fadeOutFrames < 0) {
            throw new IllegalArgumentException("fades cannot be negative");
        }
        if (fadeInFrames > lengthFrames - fadeOutFrames) {
            throw new IllegalArgumentException("fade in (" + fadeInFrames + ") and fade out (" + fadeOutFrames
                    + ") are longer together than the clip (" + lengthFrames + " frames)");
        }
    }

    /** A clip without gain or fades. */
    public static Clip of(String takeId, long startFrame, long offsetFrame, long lengthFrames) {
        return new Clip(takeId, startFrame, offsetFrame, lengthFrames, 0, 0, 0);
    }

    /** The first timeline frame after the clip. */
    public long endFrame() {
        return startFrame + lengthFrames;
    }

    /** The gain of the clip's frame {@code i} (0-based from the clip's start): clip gain times both fades. */
    public double gainAt(long i) {
        return linearGain() * fadeAt(i);
    }

    double linearGain() {
        return Math.pow(10, gainDb / 20);
    }

    /** The fade's gain alone at the clip's frame {@code i}: linear, 0 on the first and last frame of a fade. */
    double fadeAt(long i) {
        double g = 1;
        if (i < fadeInFrames) {
            g = (double) i / fadeInFrames;
        }
        long fromEnd = lengthFrames - 1 - i;
        if (fromEnd < fadeOutFrames) {
            g *= (double) fromEnd / fadeOutFrames;
        }
        return g;
    }
}
