package studio.nexus.audio;

import java.io.IOException;

/** A push-based consumer of float samples (an encoder, a meter, a test buffer). Single-writer. */
public interface AudioSink extends AutoCloseable {

    /** Consumes {@code buffer[c][0..frames)} for every channel; the sink must not keep the arrays. */
    void write(float[][] buffer, int frames) throws IOException;

    /** Flushes and finalises (e.g. patches header sizes). Calling it twice is harmless. */
    @Override
    void close() throws IOException;
}
