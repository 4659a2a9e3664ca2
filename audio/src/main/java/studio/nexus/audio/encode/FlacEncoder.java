package studio.nexus.audio.encode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import net.sourceforge.javaflacencoder.EncodingConfiguration;
import net.sourceforge.javaflacencoder.FLACEncoder;
import net.sourceforge.javaflacencoder.FLACFileOutputStream;
import net.sourceforge.javaflacencoder.FLACOutputStream;
import net.sourceforge.javaflacencoder.FLACStreamOutputStream;
import net.sourceforge.javaflacencoder.StreamConfiguration;
import studio.nexus.audio.AudioSink;

/**
 * Streaming FLAC writer (16 or 24 bits, TPDF dither, clamped) on java-flac-encoder (its default
 * threading; setThreadCount(0) breaks that library's encodeSamples in 0.3.7). To a Path the STREAMINFO header (total samples) is completed at close; to a stream
 * it says "length unknown", which decoders accept. Not thread-safe.
 */
public final class FlacEncoder implements AudioSink {
    private static final int BLOCK = 4096;
    private final FLACEncoder encoder = new FLACEncoder();
    private final FLACOutputStream output;
    private final OutputStream closeable;
    private final int channels;
    private final Quantizer quantizer;
    private final int[] interleaved;
    private boolean closed;

    private FlacEncoder(FLACOutputStream output, OutputStream closeable, int sampleRate, int channels, int bits,
            boolean dither) throws IOException {
        if (bits != 16 && bits != 24) {
            throw new IllegalArgumentException("bits must be 16 or 24");
        }
        if (channels < 1 || channels > 8) {
            throw new IllegalArgumentException("FLAC supports 1..8 channels");
        }
        this.output = output;
        this.closeable = closeable;
        this.channels = channels;
        this.quantizer = new Quantizer(bits, dither);
        this.interleaved = new int[BLOCK * channels];
        StreamConfiguration sc = new StreamConfiguration(channels, StreamConfiguration.DEFAULT_MIN_BLOCK_SIZE,
                StreamConfiguration.DEFAULT_MAX_BLOCK_SIZE, sampleRate, bits);
        if (!sc.isValid() || !encoder.setStreamConfiguration(sc)) {
            throw new IllegalArgumentException("FLAC cannot encode " + channels + " ch, " + sampleRate + " Hz, " + bits + " bits");
        }
        encoder.setEncodingConfiguration(new EncodingConfiguration());
        encoder.setOutputStream(output);
        encoder.openFLACStream();
    }

    public static FlacEncoder create(Path path, int sampleRate, int channels, int bits) throws IOException {
        FLACFileOutputStream out = new FLACFileOutputStream(path.toFile());
        return new FlacEncoder(out, null, sampleRate, channels, bits, true);
    }

    /** Writes to a stream (closed at {@link #close()}); the header's total-sample count stays 0 (unknown). */
    public static FlacEncoder create(OutputStream out, int sampleRate, int channels, int bits) throws IOException {
        return new FlacEncoder(new FLACStreamOutputStream(out), out, sampleRate, channels, bits, true);
    }

    @Override
    public void write(float[][] buffer, int frames) throws IOException {
        if (closed) {
            throw new IOException("encoder closed");
        }
        int done = 0;
        while (done < frames) {
            int n = Math.min(BLOCK, frames - done);
            int p = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < channels; c++) {
                    interleaved[p++] = quantizer.quantize(buffer[c][done + i]);
                }
            }
            encoder.addSamples(interleaved, n);
            encoder.encodeSamples(encoder.fullBlockSamplesAvailableToEncode(), false);
            done += n;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            encoder.encodeSamples(encoder.samplesAvailableToEncode(), true);
        } finally {
            if (output instanceof FLACFileOutputStream f) {
                f.close();
            }
            if (closeable != null) {
                closeable.close();
            }
        }
    }
}
