package studio.nexus.audio.decode;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Little helpers to read container headers from a stream while counting the position. */
final class HeaderReader {
    private final InputStream in;
    private final String format;
    private long position;

    HeaderReader(InputStream in, String format, long startPosition) {
        this.in = in;
        this.format = format;
        this.position = startPosition;
    }

    long position() {
        return position;
    }

    byte[] bytes(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new CorruptAudioException(format + ": file ends inside a header at byte " + (position + b.length));
        }
        position += n;
        return b;
    }

    String fourCc() throws IOException {
        byte[] b = bytes(4);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Like {@link #fourCc()} but returns null at a clean end of stream. */
    String fourCcOrEnd() throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length == 0) {
            return null;
        }
        if (b.length < 4) {
            throw new CorruptAudioException(format + ": file ends inside a chunk header at byte " + position);
        }
        position += 4;
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    long u32le() throws IOException {
        byte[] b = bytes(4);
        return (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
    }

    long u64le() throws IOException {
        long lo = u32le();
        long hi = u32le();
        return lo | hi << 32;
    }

    long u32be() throws IOException {
        byte[] b = bytes(4);
        return (b[3] & 0xffL) | (b[2] & 0xffL) << 8 | (b[1] & 0xffL) << 16 | (b[0] & 0xffL) << 24;
    }

    /** Skips {@code n} bytes; a skip past the end of the input is a corrupt header. Bounded by the input. */
    void skip(long n) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new CorruptAudioException(format + ": a chunk at byte " + position + " claims " + n
                    + " bytes but the file ends first");
        }
        position += n;
    }

    static int u16le(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    static long u32le(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }

    static int s16be(byte[] b, int p) {
        return (short) ((b[p] & 0xff) << 8 | (b[p + 1] & 0xff));
    }

    static long u32be(byte[] b, int p) {
        return (b[p + 3] & 0xffL) | (b[p + 2] & 0xffL) << 8 | (b[p + 1] & 0xffL) << 16 | (b[p] & 0xffL) << 24;
    }
}
