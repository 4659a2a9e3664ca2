package studio.nexus.audio.decode;

/**
 * MSB-first bit reader over one AAC frame, with the Huffman look-up AAC's codebooks need. The frame sits in an
 * array with {@link #PADDING} spare bytes behind it, so reads never leave the array; callers check
 * {@link #checkInside()} often enough (every band, every loop round) that a lying frame is caught long before
 * the padding runs out.
 */
final class AacBits {
    /** Far more than any single band or loop round can read before its check. */
    static final int PADDING = 8192;

    private byte[] data = new byte[PADDING];
    private int pos; // in bits
    private int limit; // in bits

    void set(byte[] data, int length) {
        if (data.length < length + PADDING) {
            throw new IllegalArgumentException("frame array needs " + PADDING + " spare bytes");
        }
        this.data = data;
        this.pos = 0;
        this.limit = length << 3;
    }

    int position() {
        return pos;
    }

    int left() {
        return limit - pos;
    }

    void skip(int bits) throws CorruptAudioException {
        pos += bits;
        checkInside();
    }

    void checkInside() throws CorruptAudioException {
        if (pos > limit) {
            throw new CorruptAudioException("AAC: frame data ends inside an element");
        }
    }

    void byteAlign() {
        pos = (pos + 7) & ~7;
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /** The next 32 bits, MSB first, without consuming them (one 8-byte load; the padding keeps it inside). */
    int peek() {
        return peek(data, pos);
    }

    /** For hot loops that keep the position in a local ({@link #data()}, {@link #position(int)}). */
    static int peek(byte[] data, int pos) {
        long w = (long) LONGS.get(data, pos >>> 3);
        return (int) ((w << (pos & 7)) >>> 32);
    }

    byte[] data() {
        return data;
    }

    void position(int pos) {
        this.pos = pos;
    }

    /** 1..32 bits. */
    int read(int n) {
        int v = peek() >>> (32 - n);
        pos += n;
        return v;
    }

    /** Consumes bits already looked at with {@link #peek}. */
    void advance(int n) {
        pos += n;
    }

    boolean bit() {
        int v = (data[pos >>> 3] >>> (7 - (pos & 7))) & 1;
        pos++;
        return v != 0;
    }

    /** Decodes one codeword with a table made by {@link #table}; returns its symbol. */
    int decode(int[] table, int primaryBits) {
        int w = peek();
        int e = table[w >>> (32 - primaryBits)];
        if (e < 0) {
            int x = -1 - e;
            e = table[(x >>> 5) + ((w << primaryBits) >>> (32 - (x & 31)))];
        }
        pos += e & 31;
        return e >>> 5;
    }

    /**
     * A two-level look-up table for a prefix code: the first {@code primaryBits} bits index a primary table;
     * longer codewords continue in a sub-table sized for the longest codeword under that prefix. An entry is
     * {@code symbol << 5 | length}, or {@code -1 - (subTableOffset << 5 | subBits)}.
     */
    static int[] table(int[] codes, int[] lengths, int primaryBits) {
        int p = primaryBits;
        int[] extra = new int[1 << p];
        for (int s = 0; s < codes.length; s++) {
            if (lengths[s] > p) {
                int prefix = codes[s] >>> (lengths[s] - p);
                extra[prefix] = Math.max(extra[prefix], lengths[s] - p);
            }
        }
        int size = 1 << p;
        int[] offset = new int[1 << p];
        for (int prefix = 0; prefix < extra.length; prefix++) {
            if (extra[prefix] > 0) {
                offset[prefix] = size;
                size += 1 << extra[prefix];
            }
        }
        int[] t = new int[size];
        // unused entries: length 0 would loop forever on garbage; a 31-bit length runs the frame out instead
        java.util.Arrays.fill(t, 31);
        for (int prefix = 0; prefix < extra.length; prefix++) {
            if (extra[prefix] > 0) {
                t[prefix] = -1 - ((offset[prefix] << 5) | extra[prefix]);
            }
        }
        for (int s = 0; s < codes.length; s++) {
            int len = lengths[s];
            int entry = (s << 5) | len;
            if (len <= p) {
                int from = codes[s] << (p - len);
                java.util.Arrays.fill(t, from, from + (1 << (p - len)), entry);
            } else {
                int prefix = codes[s] >>> (len - p);
                int sub = codes[s] & ((1 << (len - p)) - 1);
                int shift = extra[prefix] - (len - p);
                int from = offset[prefix] + (sub << shift);
                java.util.Arrays.fill(t, from, from + (1 << shift), entry);
            }
        }
        return t;
    }
}
