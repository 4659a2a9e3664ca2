package studio.nexus.audio.decode;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The bit-level reads of a FLAC stream (most significant bit first) over a fixed byte buffer refilled from the input,
 * so memory stays the same whatever the file's size. Bits are served from a 64-bit cache loaded eight bytes at a time;
 * Rice-coded residuals, nearly all of a FLAC file, are decoded in one tight loop over that cache.
 *
 * <p>It also keeps the frame checksum (CRC-16): the bytes of a frame are folded in when they leave the buffer and at
 * the frame's end, never byte by byte as they are read. The end of the input is an {@link EOFException}; a value
 * that cannot be right (a Rice code beyond 32 bits) is a {@link CorruptAudioException}. Not thread-safe.
 */
final class FlacBitReader {
    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final String RESIDUAL_TOO_LONG = "FLAC: damaged residual (a value beyond 32 bits)";
    /**
     * CRC-16 tables for eight bytes at a time: {@code CRC16[k * 256 + v]} is the checksum of byte v followed by k
     * zero bytes, so each byte of an eight-byte group is one look-up (the frame checksum was a quarter of the decode
     * time byte by byte).
     */
    private static final int[] CRC16 = new int[8 * 256];
    private static final int[] CRC8 = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc16 = i << 8;
            int crc8 = i;
            for (int bit = 0; bit < 8; bit++) {
                crc16 = (crc16 & 0x8000) != 0 ? (crc16 << 1) ^ 0x8005 : crc16 << 1;
                crc8 = (crc8 & 0x80) != 0 ? (crc8 << 1) ^ 0x07 : crc8 << 1;
            }
            CRC16[i] = crc16 & 0xFFFF;
            CRC8[i] = crc8 & 0xFF;
        }
        for (int k = 1; k < 8; k++) {
            for (int i = 0; i < 256; i++) {
                int previous = CRC16[(k - 1) * 256 + i];
                CRC16[k * 256 + i] = ((previous << 8) & 0xFFFF) ^ CRC16[previous >>> 8];
            }
        }
    }

    private final InputStream in;
    private final byte[] buf;
    /** Next byte of {@link #buf} to load into the cache, and the end of what the input gave. */
    private int pos;
    private int limit;
    private boolean inputEnded;
    /** Unread bits, left-aligned; the bits below {@link #count} are always zero. */
    private long cache;
    private int count;
    /** The frame checksum so far, and the first byte of {@link #buf} not yet folded into it. */
    private int crc16;
    private int crcPos;

    FlacBitReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[Math.max(bufferSize, 64)];
    }

    static int crc8(byte[] bytes, int length) {
        int crc = 0;
        for (int i = 0; i < length; i++) {
            crc = CRC8[crc ^ (bytes[i] & 0xFF)];
        }
        return crc;
    }

    /** Reads {@code n} (0–32) bits as an unsigned value (32 bits come back as an int's bit pattern). */
    int readBits(int n) throws IOException {
        if (count < n) {
            refill();
            if (count < n) {
                throw new EOFException();
            }
        }
        if (n == 0) {
            return 0;
        }
        int value = (int) (cache >>> (64 - n));
        cache <<= n;
        count -= n;
        return value;
    }

    /** Reads {@code n} (0–32) bits as a two's complement number. */
    int readSigned(int n) throws IOException {
        if (n == 0) {
            return 0;
        }
        int shift = 32 - n;
        return (readBits(n) << shift) >> shift;
    }

    /** Reads {@code n} (0–33) bits as a two's complement number: a 32-bit stream's side channel has 33. */
    long readSignedLong(int n) throws IOException {
        if (n <= 32) {
            return readSigned(n);
        }
        long high = readSigned(n - 32);
        return (high << 32) | (readBits(32) & 0xFFFFFFFFL);
    }

    /**
     * Counts 0 bits up to the next 1 bit (consumed too); more than {@code max} zeros is a damaged stream, refused
     * with {@code tooLong} as the reason (bounded work however many zeros follow).
     */
    int readUnary(int max, String tooLong) throws IOException {
        int zeros = 0;
        while (true) {
            if (count == 0 || cache == 0) {
                zeros += count;
                cache = 0;
                count = 0;
                if (zeros > max) {
                    throw new CorruptAudioException(tooLong);
                }
                refill();
                if (count == 0) {
                    throw new EOFException();
                }
                continue;
            }
            int lz = Long.numberOfLeadingZeros(cache);
            zeros += lz;
            if (zeros > max) {
                throw new CorruptAudioException(tooLong);
            }
            cache = (cache << lz) << 1;
            count -= lz + 1;
            return zeros;
        }
    }

    /** Decodes {@code dst[from..to)} as signed Rice codes with parameter {@code k} (0–30). */
    void readRice(int[] dst, int from, int to, int k) throws IOException {
        int maxQuotient = (int) Math.min(0xFFFFFFFFL >>> k, Integer.MAX_VALUE);
        int i = from;
        while (true) {
            i = readRiceFast(dst, i, to, k);
            if (i >= to) {
                return;
            }
            // near the end of the buffer, or a quotient longer than the cache: one code the careful way
            int u = (readUnary(maxQuotient, RESIDUAL_TOO_LONG) << k) | readBits(k);
            dst[i++] = (u >>> 1) ^ -(u & 1);
        }
    }

    /**
     * The common case of {@link #readRice}, with the reader's state in locals and the cache topped up eight bytes
     * at a time straight from the buffer. Stops at the first code it cannot finish from the cache and returns
     * its index.
     */
    private int readRiceFast(int[] dst, int from, int to, int k) throws CorruptAudioException {
        long c = cache;
        int n = count;
        int p = pos;
        final byte[] b = buf;
        final int end = limit - 8;
        final long maxQuotient = 0xFFFFFFFFL >>> k;
        final int stopAndLow = k + 1;
        final int lowShift = 63 - k;
        int i = from;
        for (; i < to; i++) {
            if (n < 32) { // codes up to 32 bits (nearly all) then decode without a further check
                if (p > end) {
                    break;
                }
                c |= ((long) BIG_ENDIAN_LONG.get(b, p)) >>> n;
                int bytes = (64 - n) >>> 3;
                p += bytes;
                n += bytes << 3;
                c &= -1L << (64 - n);
            }
            int zeros = Long.numberOfLeadingZeros(c); // 64 when the cache holds only zeros
            int used = zeros + stopAndLow;
            if (used >= n) { // also keeps the shift below 64
                break;
            }
            if (zeros > maxQuotient) {
                throw new CorruptAudioException(RESIDUAL_TOO_LONG);
            }
            // the stop bit and the k low bits read as (1 << k) + low: the stop bit stands in for one unit of quotient
            int u = ((zeros - 1) << k) + (int) (c >>> (lowShift - zeros));
            c <<= used;
            n -= used;
            dst[i] = (u >>> 1) ^ -(u & 1);
        }
        cache = c;
        count = n;
        pos = p;
        return i;
    }

    boolean isByteAligned() {
        return (count & 7) == 0;
    }

    /** Drops the bits up to the next byte boundary (frames end on one). */
    void alignToByte() throws IOException {
        readBits(count & 7);
    }

    /** True when every byte has been read (at a byte boundary). */
    boolean atEnd() throws IOException {
        if (count > 0) {
            return false;
        }
        refill();
        return count == 0;
    }

    /** Skips {@code n} bytes from a byte boundary (a metadata block we do not need). */
    void skipBytes(long n) throws IOException {
        while (n > 0 && count >= 8) {
            readBits(8);
            n--;
        }
        long inBuffer = Math.min(n, limit - pos);
        pos += (int) inBuffer;
        n -= inBuffer;
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    /** Starts the frame checksum at the current byte boundary. */
    void startCrc16() {
        crc16 = 0;
        crcPos = pos - (count >>> 3);
    }

    /** The frame checksum of every byte read since {@link #startCrc16()} (at a byte boundary). */
    int crc16() {
        foldCrc(pos - (count >>> 3));
        return crc16;
    }

    private void foldCrc(int upTo) {
        int crc = crc16;
        final byte[] b = buf;
        final int[] t = CRC16;
        int i = crcPos;
        for (; i + 8 <= upTo; i += 8) {
            long w = (long) BIG_ENDIAN_LONG.get(b, i);
            int x = crc ^ (int) (w >>> 48);
            crc = t[7 * 256 + (x >>> 8)] ^ t[6 * 256 + (x & 0xFF)] ^ t[5 * 256 + (int) (w >>> 40 & 0xFF)]
                    ^ t[4 * 256 + (int) (w >>> 32 & 0xFF)] ^ t[3 * 256 + (int) (w >>> 24 & 0xFF)]
                    ^ t[2 * 256 + (int) (w >>> 16 & 0xFF)] ^ t[256 + (int) (w >>> 8 & 0xFF)] ^ t[(int) (w & 0xFF)];
        }
        for (; i < upTo; i++) {
            crc = ((crc << 8) & 0xFFFF) ^ t[(crc >>> 8) ^ (b[i] & 0xFF)];
        }
        crc16 = crc;
        crcPos = Math.max(crcPos, upTo);
    }

    /** Loads the cache to at least 57 bits, or to what is left at the end of the input. */
    private void refill() throws IOException {
        while (count <= 56) {
            if (pos + 8 <= limit) {
                cache |= ((long) BIG_ENDIAN_LONG.get(buf, pos)) >>> count;
                int bytes = (64 - count) >>> 3;
                pos += bytes;
                count += bytes << 3;
                cache &= -1L << (64 - count);
                return;
            }
            if (pos < limit) {
                cache |= (buf[pos++] & 0xFFL) << (56 - count);
                count += 8;
                continue;
            }
            if (!fill()) {
                return;
            }
        }
    }

    /**
     * Reads more input. The bytes still in the cache (and any not yet checksummed) move to the front first, so the
     * checksum can go on over them and the cache's bytes keep their place.
     */
    private boolean fill() throws IOException {
        if (inputEnded) {
            return false;
        }
        int unread = pos - (count >>> 3);
        foldCrc(unread);
        int keep = limit - unread;
        System.arraycopy(buf, unread, buf, 0, keep);
        pos -= unread;
        limit = keep;
        crcPos = 0;
        int got = in.read(buf, limit, buf.length - limit);
        if (got == 0) { // a stream that should block but does not: one byte at a time instead
            int one = in.read();
            if (one >= 0) {
                buf[limit] = (byte) one;
            }
            got = one < 0 ? -1 : 1;
        }
        if (got < 0) {
            inputEnded = true;
            return false;
        }
        limit += got;
        return true;
    }
}
