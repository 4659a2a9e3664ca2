package studio.nexus.audio.decode;

/**
 * Walks the codebooks of a Vorbis setup header BEFORE {@link VorbisDecoder} builds them, because a decoder allocates
 * arrays sized by each codebook's declared entry count: an "ordered" codebook can declare 16 million entries
 * in a few bytes. The walk itself is bounded by the packet's real length (every loop step consumes bits).
 * Limits: at most {@value #MAX_ENTRIES_PER_BOOK} entries per codebook and {@value #MAX_TOTAL_ENTRIES} in all
 * (libvorbis' own books stay far below; this keeps a decoder's header memory to tens of MB at worst).
 */
final class VorbisSetupGuard {
    static final int MAX_ENTRIES_PER_BOOK = 1 << 18;
    static final int MAX_TOTAL_ENTRIES = 1 << 20;

    private final byte[] data;
    private final long endBit;
    private long bit;

    private VorbisSetupGuard(byte[] data, int offset, int length) {
        this.data = data;
        this.bit = (long) offset * 8;
        this.endBit = (long) (offset + length) * 8;
    }

    /** @param offset start of the setup packet (its type byte 5) in {@code data} */
    static void check(byte[] data, int offset, int length) throws CorruptAudioException {
        if (length < 8 || data[offset] != 5) {
            throw new CorruptAudioException("Ogg Vorbis: third header is not a setup header");
        }
        VorbisSetupGuard g = new VorbisSetupGuard(data, offset + 7, length - 7);
        g.walkCodebooks();
    }

    private void walkCodebooks() throws CorruptAudioException {
        int books = read(8) + 1;
        long total = 0;
        for (int b = 0; b < books; b++) {
            if (read(24) != 0x564342) {
                throw new CorruptAudioException("Ogg Vorbis: codebook " + b + " has a bad sync pattern");
            }
            int dimensions = read(16);
            int entries = read(24);
            if (entries > MAX_ENTRIES_PER_BOOK) {
                throw new CorruptAudioException("Ogg Vorbis: codebook " + b + " declares " + entries + " entries");
            }
            total += entries;
            if (total > MAX_TOTAL_ENTRIES) {
                throw new CorruptAudioException("Ogg Vorbis: codebooks declare more than " + MAX_TOTAL_ENTRIES + " entries");
            }
            if (read(1) == 0) { // not ordered
                boolean sparse = read(1) == 1;
                for (int e = 0; e < entries; e++) {
                    if (!sparse || read(1) == 1) {
                        read(5);
                    }
                }
            } else {
                read(5);
                int current = 0;
                while (current < entries) {
                    current += read(ilog(entries - current));
                    if (current > entries) {
                        throw new CorruptAudioException("Ogg Vorbis: codebook " + b + " lengths overrun its entries");
                    }
                }
            }
            int lookup = read(4);
            if (lookup == 1 || lookup == 2) {
                read(32);
                read(32);
                int valueBits = read(4) + 1;
                read(1);
                long values = lookup == 1 ? lookup1Values(entries, dimensions) : (long) entries * dimensions;
                skip(values * valueBits);
            } else if (lookup != 0) {
                throw new CorruptAudioException("Ogg Vorbis: codebook " + b + " has lookup type " + lookup);
            }
        }
    }

    private static long lookup1Values(int entries, int dimensions) {
        if (dimensions == 0) {
            return 0;
        }
        long r = (long) Math.floor(Math.pow(entries, 1.0 / dimensions));
        while (Math.pow(r + 1, dimensions) <= entries) {
            r++;
        }
        while (r > 0 && Math.pow(r, dimensions) > entries) {
            r--;
        }
        return r;
    }

    private static int ilog(int v) {
        return 32 - Integer.numberOfLeadingZeros(v);
    }

    private void skip(long bits) throws CorruptAudioException {
        if (bits > endBit - bit) {
            throw new CorruptAudioException("Ogg Vorbis: setup header ends inside a codebook");
        }
        bit += bits;
    }

    /** Vorbis bit packing: least significant bit first. */
    private int read(int bits) throws CorruptAudioException {
        if (bits == 0) {
            return 0;
        }
        if (bit + bits > endBit) {
            throw new CorruptAudioException("Ogg Vorbis: setup header ends inside a codebook");
        }
        long value = 0;
        for (int i = 0; i < bits; i++) {
            int byteIndex = (int) (bit >>> 3);
            int b = (data[byteIndex] >>> (bit & 7)) & 1;
            value |= (long) b << i;
            bit++;
        }
        return (int) value;
    }
}
