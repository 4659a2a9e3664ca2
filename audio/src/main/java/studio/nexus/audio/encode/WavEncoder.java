package studio.nexus.audio.encode;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import studio.nexus.audio.AudioSink;

/**
 * Streaming WAV writer: 16-bit or 24-bit PCM (TPDF dither by default, clamped, never wraps) or 32-bit float.
 *
 * <p>To a {@link Path} the length need not be known: sizes are patched at {@link #close()}. A 28-byte
 * JUNK chunk is reserved up front so that a file that grows past 4 GiB is turned into RF64 (EBU Tech 3306)
 * at close instead of getting wrapped sizes. To an {@link OutputStream} (not seekable) pass the frame
 * count if known (exact header; missing frames are padded with silence at close, extra frames refused);
 * with -1 the sizes are written as 0xFFFFFFFF, which means "read to end of file" to our decoder, ffmpeg and sox.
 * Not thread-safe.
 */
public final class WavEncoder implements AudioSink {

    public enum SampleFormat {
        PCM_16(16, 1), PCM_24(24, 1), FLOAT_32(32, 3);

        final int bits;
        final int tag;

        SampleFormat(int bits, int tag) {
            this.bits = bits;
            this.tag = tag;
        }
    }

    static final long WAV_LIMIT = 0xFFFFFFFFL;
    private static final int BLOCK = 4096;

    private final OutputStream out;
    private final FileChannel file; // null when streaming
    private final SampleFormat format;
    private final int channels;
    private final int bytesPerFrame;
    private final long expectedFrames;
    private final long riffLimit;
    private final Quantizer quantizer;
    private final byte[] bytes;
    private final ByteBuffer view;
    private final int headerSize;
    private long frames;
    private boolean closed;

    private WavEncoder(OutputStream out, FileChannel file, int sampleRate, int channels, SampleFormat format,
            boolean dither, long expectedFrames, long riffLimit) throws IOException {
        if (channels < 1 || channels > 64) {
            throw new IllegalArgumentException("channels must be 1..64");
        }
        if (sampleRate < 1 || sampleRate > 768000) {
            throw new IllegalArgumentException("sampleRate must be 1..768000");
        }
        this.out = out;
        this.file = file;
        this.format = format;
        this.channels = channels;
        this.bytesPerFrame = channels * format.bits / 8;
        this.expectedFrames = expectedFrames;
        this.riffLimit = riffLimit;
        this.quantizer = format == SampleFormat.FLOAT_32 ? null : new Quantizer(format.bits, dither);
        this.bytes = new byte[BLOCK * bytesPerFrame];
        this.view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] header = header(sampleRate, expectedFrames);
        this.headerSize = header.length;
        out.write(header);
    }

    /** Writes to a file; sizes patched at close (RF64 beyond 4 GiB). Dither on for PCM. */
    public static WavEncoder create(Path path, int sampleRate, int channels, SampleFormat format) throws IOException {
        return create(path, sampleRate, channels, format, true);
    }

    public static WavEncoder create(Path path, int sampleRate, int channels, SampleFormat format, boolean dither)
            throws IOException {
        return create(path, sampleRate, channels, format, dither, WAV_LIMIT);
    }

    /** For tests: a small limit exercises the RF64 upgrade without writing 4 GiB. */
    static WavEncoder create(Path path, int sampleRate, int channels, SampleFormat format, boolean dither, long riffLimit)
            throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ);
        OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        return new WavEncoder(os, ch, sampleRate, channels, format, dither, -1, riffLimit);
    }

    /**
     * Writes to a stream. {@code expectedFrames} ≥ 0 gives an exact header; −1 writes 0xFFFFFFFF sizes.
     * The stream is closed by {@link #close()}.
     */
    public static WavEncoder create(OutputStream out, int sampleRate, int channels, SampleFormat format, boolean dither,
            long expectedFrames) throws IOException {
        long bytes = expectedFrames * channels * (format.bits / 8);
        if (expectedFrames >= 0 && bytes + 80 > WAV_LIMIT) {
            throw new IOException("a streamed WAV cannot hold more than 4 GiB; write to a Path (RF64) instead");
        }
        return new WavEncoder(new BufferedOutputStream(out, 1 << 16), null, sampleRate, channels, format, dither,
                expectedFrames, WAV_LIMIT);
    }

    private byte[] header(int sampleRate, long knownFrames) {
        boolean isFloat = format == SampleFormat.FLOAT_32;
        int fmtSize = isFloat ? 18 : 16;
        int size = 12 + 36 + 8 + fmtSize + (isFloat ? 12 : 0) + 8;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        long dataBytes = knownFrames >= 0 ? knownFrames * bytesPerFrame : -1;
        b.put(ascii("RIFF")).putInt(dataBytes >= 0 ? (int) (size - 8 + dataBytes) : -1).put(ascii("WAVE"));
        b.put(ascii("JUNK")).putInt(28).put(new byte[28]); // room for a ds64 chunk if we outgrow 4 GiB
        b.put(ascii("fmt ")).putInt(fmtSize).putShort((short) format.tag).putShort((short) channels)
                .putInt(sampleRate).putInt(sampleRate * bytesPerFrame).putShort((short) bytesPerFrame)
                .putShort((short) format.bits);
        if (isFloat) {
            b.putShort((short) 0);
            b.put(ascii("fact")).putInt(4).putInt(knownFrames >= 0 ? (int) knownFrames : -1);
        }
        b.put(ascii("data")).putInt(dataBytes >= 0 ? (int) dataBytes : -1);
        return b.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public void write(float[][] buffer, int count) throws IOException {
        if (closed) {
            throw new IOException("encoder closed");
        }
        if (expectedFrames >= 0 && frames + count > expectedFrames) {
            throw new IOException("more frames than the " + expectedFrames + " announced in the header");
        }
        int done = 0;
        while (done < count) {
            int n = Math.min(BLOCK, count - done);
            encode(buffer, done, n);
            out.write(bytes, 0, n * bytesPerFrame);
            done += n;
        }
        frames += count;
    }

    private void encode(float[][] buffer, int offset, int n) {
        if (format == SampleFormat.PCM_16) { // the common case, written straight into the byte array
            byte[] b = bytes;
            int stride = 2 * channels;
            for (int c = 0; c < channels; c++) { // channel-major: simple strided loops the JIT handles well
                float[] x = buffer[c];
                int p = 2 * c;
                for (int i = 0; i < n; i++) {
                    int q = quantizer.quantize(x[offset + i]);
                    b[p] = (byte) q;
                    b[p + 1] = (byte) (q >> 8);
                    p += stride;
                }
            }
            return;
        }
        view.clear();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                float v = buffer[c][offset + i];
                switch (format) {
                    case PCM_16 -> view.putShort((short) quantizer.quantize(v));
                    case PCM_24 -> {
                        int q = quantizer.quantize(v);
                        view.put((byte) q).put((byte) (q >> 8)).put((byte) (q >> 16));
                    }
                    case FLOAT_32 -> view.putFloat(Float.isNaN(v) ? 0f : v);
                }
            }
        }
    }

    /** Frames written so far. */
    public long framesWritten() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (expectedFrames >= 0 && frames < expectedFrames) {
                float[][] silence = new float[channels][BLOCK];
                long missing = expectedFrames - frames;
                while (missing > 0) {
                    int n = (int) Math.min(BLOCK, missing);
                    encode(silence, 0, n);
                    out.write(bytes, 0, n * bytesPerFrame);
                    missing -= n;
                }
            }
            out.flush();
            if (file != null) {
                patchSizes();
            }
        } finally {
            out.close();
        }
    }

    private void patchSizes() throws IOException {
        long dataBytes = frames * bytesPerFrame;
        long riffSize = headerSize - 8 + dataBytes;
        boolean isFloat = format == SampleFormat.FLOAT_32;
        int dataSizeOffset = headerSize - 4;
        if (riffSize <= riffLimit) {
            putInt(4, (int) riffSize);
            putInt(dataSizeOffset, (int) dataBytes);
            if (isFloat) {
                putInt(headerSize - 12, (int) frames);
            }
            return;
        }
        // RF64: the 32-bit fields say 0xFFFFFFFF and the JUNK chunk becomes ds64 with the real sizes.
        ByteBuffer b = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("ds64")).putInt(28).putLong(riffSize).putLong(dataBytes).putLong(frames).putInt(0);
        b.flip();
        file.write(b, 12);
        file.write(ByteBuffer.wrap(ascii("RF64")), 0);
        putInt(4, -1);
        putInt(dataSizeOffset, -1);
        if (isFloat) {
            putInt(headerSize - 12, -1);
        }
    }

    private void putInt(long position, int value) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value);
        b.flip();
        file.write(b, position);
    }
}
