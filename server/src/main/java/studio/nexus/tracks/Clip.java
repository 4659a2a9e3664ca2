package studio.nexus.tracks;

import java.time.Instant;
import java.util.UUID;

/**
 * A take placed on a track, in sample frames at the project's rate: it plays {@code lengthFrames} of its take from
 * {@code offsetFrames} on, starting at {@code startFrame} of the timeline, at {@code gainDb}, with fades of
 * {@code fadeInFrames} and {@code fadeOutFrames} inside its length. {@code take} names the take within the project.
 * {@code version} moves with every change of the clip (V94); it is the clip's entity tag.
 */
public record Clip(UUID id, UUID trackId, String take, long startFrame, long offsetFrames, long lengthFrames,
                   double gainDb, long fadeInFrames, long fadeOutFrames, Instant createdAt, Instant updatedAt,
                   long version) {
    long endFrame() {
        return startFrame + lengthFrames;
    }

    Clip with(UUID track, long start, long offset, long length, double gain, long fadeIn, long fadeOut) {
        return new Clip(id, track, take, start, offset, length, gain, fadeIn, fadeOut, createdAt, updatedAt, version);
    }
}
