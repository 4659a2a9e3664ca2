package studio.nexus.audio.resample;

import java.io.IOException;
import studio.nexus.audio.AudioSource;

/**
 * An {@link AudioSource} at another sample rate: {@code source} read through a {@link Resampler}, in chunks of at
 * most {@value Resampler#CHUNK} input frames. Its frames are exactly {@code round(n·out/in)} for a source of n frames
 * (a source that does not know its length is converted all the same: the end is found when the source ends), with
 * no delay: what happens at the source's frame k happens here at frame k·out/in.
 *
 * <p>Reads give the same samples however the reader cuts its blocks, and allocate nothing: the buffers are made in
 * the constructor. Closing closes the source. Single reader, not thread-safe, like every {@code AudioSource}.
 */
public final class ResampledSource implements AudioSource {
    private final AudioSource source;
    private final Resampler resampler;
    private final float[][] chunk;
    private final long lengthFrames;
    private boolean sourceEnded;

    /** {@code source}, from its first frame, at {@code outputRate}. */
    public ResampledSource(AudioSource source, double outputRate) {
        this(source, new Resampler(source.sampleRate(), outputRate, source.channels()));
    }

    /**
     * {@code source} through {@code resampler}, which may start at a later output frame: {@code source} must then be
     * positioned at {@link Resampler#nextInputFrame()} (open it there, then wrap it). Throws if the source's rate or
     * channels are not the resampler's.
     */
    public ResampledSource(AudioSource source, Resampler resampler) {
        if (source.channels() != resampler.channels() || source.sampleRate() != resampler.inputRate()) {
            throw new IllegalArgumentException("a source of " + source.channels() + " channels at "
                    + source.sampleRate() + " Hz through a resampler for " + resampler.channels() + " at "
                    + resampler.inputRate() + " Hz");
        }
        this.source = source;
        this.resampler = resampler;
        this.chunk = new float[source.channels()][Resampler.CHUNK];
        long in = source.lengthFrames();
        this.lengthFrames = in >= 0 && resampler.nextOutputFrame() == 0 ? resampler.outputLength(in) : UNKNOWN_LENGTH;
    }

    @Override
    public double sampleRate() {
        return resampler.outputRate();
    }

    @Override
    public int channels() {
        return resampler.channels();
    }

    /** {@code round(source length · out/in)} for a stream from frame 0 of a source that knows its length. */
    @Override
    public long lengthFrames() {
        return lengthFrames;
    }

    /** The output frame the next read starts at (counted from the converted source's first frame). */
    public long position() {
        return resampler.nextOutputFrame();
    }

    @Override
    public int read(float[][] buffer, int frames) throws IOException {
        int done = 0;
        int idle = 0;
        while (done < frames) {
            int n = resampler.read(buffer, done, frames - done);
            if (n < 0) {
                break;
            }
            done += n;
            if (done < frames && !feed()) {
                if (++idle > 1000) {
                    throw new IOException("the source returned no data 1000 times in a row");
                }
            } else {
                idle = 0;
            }
        }
        return done == 0 && frames > 0 && resampler.finished() ? -1 : done;
    }

    /**
     * Skips {@code frames} output frames without filtering them: the source's frames that no later output needs are
     * read and dropped as the next read comes to them (the source's own decoding is all they cost). Skipping past
     * the end leaves the stream at its end.
     */
    public void skip(long frames) {
        resampler.skip(frames);
    }

    /** Hands the resampler one chunk of the source (or its end); false when the source gave nothing this time. */
    private boolean feed() throws IOException {
        if (sourceEnded) {
            return true; // the resampler pads the rest with silence itself
        }
        int room = resampler.inputRoom();
        int got = source.read(chunk, Math.min(room, chunk[0].length));
        if (got < 0) {
            sourceEnded = true;
            resampler.endOfInput();
            return true;
        }
        if (got > 0) {
            resampler.write(chunk, got);
        }
        return got > 0;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
