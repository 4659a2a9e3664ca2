package studio.nexus.audio.decode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds FLAC streams for tests, independently of the decoder: frames written bit by bit (for the codings the
 * usual encoders never use, such as escaped Rice partitions) and real encoders' frames re-numbered into a
 * variable-block-size stream. Checksums are computed here from their definitions.
 */
final class FlacStreams {
    private FlacStreams() {}

    /** Big-endian bit writer. */
    static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int filled;

        Bits put(long value, int bits) {
            for (int i = bits - 1; i >= 0; i--) {
                current = (current << 1) | (int) ((value >>> i) & 1);
                if (++filled == 8) {
                    out.write(current);
                    current = 0;
                    filled = 0;
                }
            }
            return this;
        }

        Bits unary(int zeros) {
            for (int i = 0; i < zeros; i++) {
                put(0, 1);
            }
            return put(1, 1);
        }

        /** Signed Rice code with parameter k. */
        Bits rice(int value, int k) {
            long u = value >= 0 ? 2L * value : -2L * value - 1;
            unary((int) (u >>> k));
            return put(u & ((1L << k) - 1), k);
        }

        Bits align() {
            while (filled != 0) {
                put(0, 1);
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    static int crc8(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
            }
        }
        return crc;
    }

    static int crc16(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (b[i] & 0xFF) << 8;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }
        return crc;
    }

    /** "fLaC" and a STREAMINFO (the last metadata block), MD5 unset. */
    static byte[] streamInfo(int minBlock, int maxBlock, int rate, int channels, int bits, long total) {
        ByteBuffer b = ByteBuffer.allocate(42);
        b.put("fLaC".getBytes()).put((byte) 0x80).put((byte) 0).put((byte) 0).put((byte) 34);
        b.putShort((short) minBlock).putShort((short) maxBlock).put(new byte[6]);
        b.putLong(((long) rate << 44) | ((long) (channels - 1) << 41) | ((long) (bits - 1) << 36) | total);
        b.put(new byte[16]);
        return b.array();
    }

    /** The UTF-8-like coding of a frame or sample number (up to 36 bits). */
    static byte[] codedNumber(long v) {
        if (v < 0x80) {
            return new byte[] {(byte) v};
        }
        int extra = v < 0x800 ? 1 : v < 0x10000 ? 2 : v < 0x200000 ? 3 : v < 0x4000000 ? 4 : v < 0x80000000L ? 5 : 6;
        byte[] out = new byte[extra + 1];
        for (int i = extra; i > 0; i--) {
            out[i] = (byte) (0x80 | (v & 0x3F));
            v >>>= 6;
        }
        out[0] = (byte) (extra == 6 ? 0xFE : (0xFF00 >>> (extra + 1)) | v);
        return out;
    }

    /**
     * A frame header (block size as a 16-bit field, rate and bit depth from STREAMINFO), its CRC-8 included, then
     * {@code body} (the subframes, ending on a byte boundary) and the CRC-16.
     */
    static byte[] frame(boolean variable, long number, int blockSize, int assignment, byte[] body) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0xFF);
        f.write(variable ? 0xF9 : 0xF8);
        f.write(0x70); // block size: 16-bit field follows; rate from STREAMINFO
        f.write(assignment << 4); // bit depth from STREAMINFO
        f.writeBytes(codedNumber(number));
        f.write((blockSize - 1) >>> 8);
        f.write(blockSize - 1);
        byte[] head = f.toByteArray();
        f.write(crc8(head, 0, head.length));
        f.writeBytes(body);
        byte[] all = f.toByteArray();
        int crc = crc16(all, 0, all.length);
        f.write(crc >>> 8);
        f.write(crc);
        return f.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Where the metadata of a FLAC file ends (its first frame starts). */
    static int audioStart(byte[] flac) {
        int p = 4;
        while (true) {
            boolean last = (flac[p] & 0x80) != 0;
            int length = ((flac[p + 1] & 0xFF) << 16) | ((flac[p + 2] & 0xFF) << 8) | (flac[p + 3] & 0xFF);
            p += 4 + length;
            if (last) {
                return p;
            }
        }
    }

    /**
     * The frames of a FLAC file as [start, end) byte ranges, found without decoding: a frame ends where the next
     * sync code starts and the CRC-16 of the bytes in between (its footer included) is zero.
     */
    static List<int[]> frames(byte[] flac) {
        List<int[]> frames = new ArrayList<>();
        int start = audioStart(flac);
        while (start < flac.length) {
            int end = flac.length;
            for (int p = start + 6; p + 1 < flac.length; p++) {
                if ((flac[p] & 0xFF) == 0xFF && (flac[p + 1] & 0xFE) == 0xF8 && crc16(flac, start, p) == 0) {
                    end = p;
                    break;
                }
            }
            frames.add(new int[] {start, end});
            start = end;
        }
        return frames;
    }

    /** The block size a frame header declares (the frame at {@code at}). */
    static int blockSize(byte[] flac, int at) {
        int code = (flac[at + 2] & 0xFF) >>> 4;
        int extra = codedNumberLength(flac[at + 4] & 0xFF);
        int p = at + 4 + extra;
        return switch (code) {
            case 1 -> 192;
            case 2, 3, 4, 5 -> 576 << (code - 2);
            case 6 -> (flac[p] & 0xFF) + 1;
            case 7 -> ((flac[p] & 0xFF) << 8 | (flac[p + 1] & 0xFF)) + 1;
            default -> 256 << (code - 8);
        };
    }

    private static int codedNumberLength(int first) {
        return first < 0x80 ? 1 : first < 0xE0 ? 2 : first < 0xF0 ? 3 : first < 0xF8 ? 4 : first < 0xFC ? 5
                : first < 0xFE ? 6 : 7;
    }

    /**
     * The frames of several encodes of the same format, one after the other, as one variable-block-size stream:
     * each header gets the blocking bit and the number of its first sample, and new checksums.
     */
    static byte[] variableBlockStream(List<byte[]> encodes, int rate, int channels, int bits) {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        long sample = 0;
        int min = 65535;
        int max = 16;
        for (byte[] flac : encodes) {
            for (int[] range : frames(flac)) {
                int at = range[0];
                int blockSize = blockSize(flac, at);
                int numberLength = codedNumberLength(flac[at + 4] & 0xFF);
                int code = (flac[at + 2] & 0xFF) >>> 4;
                int rateCode = flac[at + 2] & 0x0F;
                int extras = (code == 6 ? 1 : code == 7 ? 2 : 0) + (rateCode == 12 ? 1 : rateCode >= 13 && rateCode <= 14 ? 2 : 0);
                int headerEnd = at + 4 + numberLength + extras; // the CRC-8 byte
                ByteArrayOutputStream f = new ByteArrayOutputStream();
                f.write(0xFF);
                f.write(0xF9);
                f.write(flac[at + 2]);
                f.write(flac[at + 3]);
                f.writeBytes(codedNumber(sample));
                f.write(flac, at + 4 + numberLength, extras);
                byte[] head = f.toByteArray();
                f.write(crc8(head, 0, head.length));
                f.write(flac, headerEnd + 1, range[1] - 2 - (headerEnd + 1));
                byte[] all = f.toByteArray();
                int crc = crc16(all, 0, all.length);
                f.write(crc >>> 8);
                f.write(crc);
                frames.writeBytes(f.toByteArray());
                sample += blockSize;
                min = Math.min(min, blockSize);
                max = Math.max(max, blockSize);
            }
        }
        return concat(streamInfo(Math.min(min, max), max, rate, channels, bits, sample), frames.toByteArray());
    }
}
