package studio.nexus.audio.decode;

/**
 * One Vorbis codebook (Vorbis I, section 3): Huffman codewords rebuilt from their lengths, decoded through a lookup
 * table indexed by the next bits (codewords up to {@value #FAST_BITS} bits, nearly every one a real encoder writes,
 * take a single lookup), and, for books that carry them, every entry's vector of values computed once at set-up so
 * residue decoding only adds.
 */
final class VorbisCodebook {
    static final int FAST_BITS = 10;
    /** Precomputed vector values over all books of a stream; real books stay far below (a few 100 k). */
    static final int MAX_VALUES = 1 << 21;

    final int dimensions;
    final int entries;
    /** entries × dimensions values, entry-major; null for a book without vectors (scalar use only). */
    final float[] values;
    private final int tableBits;
    /** entry << 5 | codeword length, or -1 where no short codeword starts. */
    private final int[] table;
    /** Codewords longer than the table: bit-reversed code, length and entry. */
    private final int[] longCodes;
    private final int[] longLengths;
    private final int[] longEntries;

    private VorbisCodebook(int dimensions, int entries, float[] values, int tableBits, int[] table, int[] longCodes,
            int[] longLengths, int[] longEntries) {
        this.dimensions = dimensions;
        this.entries = entries;
        this.values = values;
        this.tableBits = tableBits;
        this.table = table;
        this.longCodes = longCodes;
        this.longLengths = longLengths;
        this.longEntries = longEntries;
    }

    /** The entry the next codeword names, or -1 if the packet ends inside it or it names none. */
    int decode(VorbisBits in) {
        int e = table[in.peek(tableBits)];
        if (e >= 0) {
            return in.skip(e & 31) ? e >>> 5 : -1;
        }
        int bits = in.peek(32);
        for (int i = 0; i < longCodes.length; i++) {
            int length = longLengths[i];
            if ((bits & (int) ((1L << length) - 1)) == longCodes[i]) {
                return in.skip(length) ? longEntries[i] : -1;
            }
        }
        return -1;
    }

    /**
     * Reads one codebook from the setup header. {@code valueBudget} holds how many vector values may still be
     * precomputed (shared by all books of the stream); it is lowered by this book's.
     */
    static VorbisCodebook read(VorbisBits in, int[] valueBudget) throws CorruptAudioException {
        if (in.read(24) != 0x564342) {
            throw new CorruptAudioException("Ogg Vorbis: codebook has a bad sync pattern");
        }
        int dimensions = in.read(16);
        int entries = in.read(24);
        if (in.ended || entries <= 0 || entries > VorbisSetupGuard.MAX_ENTRIES_PER_BOOK) {
            throw new CorruptAudioException("Ogg Vorbis: codebook with " + entries + " entries");
        }
        int[] lengths = new int[entries]; // 0: entry unused
        if (!in.flag()) {
            boolean sparse = in.flag();
            for (int e = 0; e < entries; e++) {
                lengths[e] = !sparse || in.flag() ? in.read(5) + 1 : 0;
            }
        } else {
            int length = in.read(5) + 1;
            int e = 0;
            while (e < entries) {
                int count = in.read(ilog(entries - e));
                if (e + count > entries || length > 32 || in.ended) {
                    throw new CorruptAudioException("Ogg Vorbis: ordered codebook lengths overrun its entries");
                }
                for (int k = 0; k < count; k++) {
                    lengths[e++] = length;
                }
                length++;
            }
        }
        int lookup = in.read(4);
        float[] values = null;
        if (lookup == 1 || lookup == 2) {
            float minimum = float32(in.read(32));
            float delta = float32(in.read(32));
            int valueBits = in.read(4) + 1;
            boolean sequence = in.flag();
            long count = lookup == 1 ? lookup1Values(entries, dimensions) : (long) entries * dimensions;
            if (dimensions == 0 || (long) entries * dimensions > valueBudget[0] || count > valueBudget[0]) {
                throw new CorruptAudioException("Ogg Vorbis: codebook vectors of " + dimensions + " dimensions × "
                        + entries + " entries");
            }
            int[] multiplicands = new int[(int) count];
            for (int i = 0; i < count; i++) {
                multiplicands[i] = in.read(valueBits);
            }
            if (in.ended) {
                throw new CorruptAudioException("Ogg Vorbis: setup header ends inside a codebook");
            }
            valueBudget[0] -= entries * dimensions;
            values = new float[entries * dimensions];
            for (int e = 0; e < entries; e++) {
                float last = 0;
                int divisor = 1;
                for (int d = 0; d < dimensions; d++) {
                    int m = lookup == 1 ? (e / divisor) % (int) count : e * dimensions + d;
                    float v = multiplicands[m] * delta + minimum + last;
                    values[e * dimensions + d] = v;
                    if (sequence) {
                        last = v;
                    }
                    if (lookup == 1) {
                        divisor *= (int) count;
                    }
                }
            }
        } else if (lookup != 0) {
            throw new CorruptAudioException("Ogg Vorbis: codebook lookup type " + lookup);
        }
        if (in.ended) {
            throw new CorruptAudioException("Ogg Vorbis: setup header ends inside a codebook");
        }
        return build(dimensions, entries, lengths, values);
    }

    /** Codewords from lengths the way the Vorbis spec assigns them (section 3.2.1): each takes the lowest free one. */
    private static VorbisCodebook build(int dimensions, int entries, int[] lengths, float[] values)
            throws CorruptAudioException {
        int[] codes = new int[entries];
        long[] next = new long[33]; // next free codeword of each length, as an MSB-first value
        int used = 0;
        int maxLength = 0;
        int longCount = 0;
        for (int e = 0; e < entries; e++) {
            int length = lengths[e];
            if (length == 0) {
                continue;
            }
            used++;
            maxLength = Math.max(maxLength, length);
            long code = next[length];
            if (length < 32 && (code >>> length) != 0) {
                throw new CorruptAudioException("Ogg Vorbis: codebook has more codewords than its lengths allow");
            }
            codes[e] = (int) code;
            // the codewords below this one that it is a prefix of, or that lead to it, are taken too
            for (int j = length; j > 0; j--) {
                if ((next[j] & 1) != 0) {
                    next[j] = j == 1 ? next[1] + 1 : next[j - 1] << 1;
                    break;
                }
                next[j]++;
            }
            for (int j = length + 1; j < 33; j++) {
                if ((next[j] >>> 1) == code) {
                    code = next[j];
                    next[j] = next[j - 1] << 1;
                } else {
                    break;
                }
            }
        }
        int tableBits = Math.max(1, Math.min(FAST_BITS, maxLength));
        int[] table = new int[1 << tableBits];
        java.util.Arrays.fill(table, -1);
        for (int e = 0; e < entries; e++) {
            int length = lengths[e];
            if (length > tableBits) {
                longCount++;
            } else if (length > 0) {
                int reversed = Integer.reverse(codes[e]) >>> (32 - length);
                for (int fill = reversed; fill < table.length; fill += 1 << length) {
                    table[fill] = e << 5 | length;
                }
            }
        }
        int[] longCodes = new int[longCount];
        int[] longLengths = new int[longCount];
        int[] longEntries = new int[longCount];
        int k = 0;
        for (int e = 0; e < entries; e++) {
            if (lengths[e] > tableBits) {
                longCodes[k] = Integer.reverse(codes[e]) >>> (32 - lengths[e]);
                longLengths[k] = lengths[e] == 32 ? 32 : lengths[e];
                longEntries[k++] = e;
            }
        }
        if (lengths.length > 0 && used == 0) {
            java.util.Arrays.fill(table, -1);
        }
        return new VorbisCodebook(dimensions, entries, values, tableBits, table, longCodes, longLengths, longEntries);
    }

    /** The largest r with r^dimensions ≤ entries (Vorbis I, section 9.2.3). */
    static long lookup1Values(int entries, int dimensions) {
        if (dimensions == 0) {
            return 0;
        }
        long r = (long) Math.floor(Math.pow(entries, 1.0 / dimensions));
        while (power(r + 1, dimensions) <= entries) {
            r++;
        }
        while (r > 0 && power(r, dimensions) > entries) {
            r--;
        }
        return r;
    }

    private static long power(long base, int exponent) {
        long p = 1;
        for (int i = 0; i < exponent; i++) {
            p *= base;
            if (p > Integer.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
        }
        return p;
    }

    /** Vorbis' own 32-bit float packing (section 9.2.2). */
    static float float32(int x) {
        int mantissa = x & 0x1fffff;
        int exponent = (x & 0x7fe00000) >>> 21;
        double m = (x & 0x80000000) != 0 ? -mantissa : mantissa;
        return (float) (m * Math.pow(2, exponent - 788));
    }

    static int ilog(int v) {
        return v <= 0 ? 0 : 32 - Integer.numberOfLeadingZeros(v);
    }
}
