package studio.nexus.audio;

import java.io.IOException;

/**
 * Passes a source through and counts the frames it really delivered: a take's length is what decodes, since a
 * header's length is only a claim. Not thread-safe; closing it closes the source.
 */
public final class CountingSource implements AudioSource {
    private final AudioSource source;
    private long frames;

    public CountingSource(AudioSource source) {
        this.source = source;
    }

    /** Frames read so far (all of them once {@link #read} has returned -1). */
    public long frames() {
        return frames;
    }

    @Override
    public double sampleRate() {
        return source.sampleRate();
    }

    @Override
    public int channels() {
        return source.channels();
    }

    @Override
    public long lengthFrames() {
        return source.lengthFrames();
    }

    @Override
    public int read(float[][] buffer, int frames) throws IOException {
        int n = source.read(buffer, frames);
        if (n > 0) {
            this.frames += n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
