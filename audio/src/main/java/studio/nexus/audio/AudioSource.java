package studio.nexus.audio;

import java.io.IOException;

/**
 * A pull-based stream of float samples, one array per channel, nominally in [-1, 1].
 *
 * <p>Implementations are single-reader: not thread-safe, one consumer at a time.
 */
public interface AudioSource extends AutoCloseable {

    /** Marker for {@link #lengthFrames()} when the stream does not know its length up front. */
    long UNKNOWN_LENGTH = -1;

    double sampleRate();

    int channels();

    /** Total frames in the stream, or {@link #UNKNOWN_LENGTH}. */
    long lengthFrames();

    /**
     * Reads up to {@code frames} frames into {@code buffer[c][0..n)} for every channel.
     *
     * @return the number of frames read, {@code > 0} while the stream has data (it may return fewer
     *     than asked before the end), or {@code -1} once the stream has ended
     */
    int read(float[][] buffer, int frames) throws IOException;

    @Override
    void close() throws IOException;
}
