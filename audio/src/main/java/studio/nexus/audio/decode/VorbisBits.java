package studio.nexus.audio.decode;

/**
 * Reads a Vorbis packet's bits, least significant first (Vorbis I, section 2.1), through a 64-bit window so a
 * codebook lookup costs one peek. Reading past the packet's end sets {@link #ended} and yields zeros: the Vorbis
 * spec makes a packet that ends early legal (what was not sent is silence), so callers check the flag where it
 * matters instead of catching exceptions. Reused for every packet; allocation-free.
 */
final class VorbisBits {
    private byte[] data;
    private int position;
    private int end;
    private long window;
    private int bits;
    boolean ended;

    void reset(byte[] data, int offset, int length) {
        this.data = data;
        this.position = offset;
        this.end = offset + length;
        this.window = 0;
        this.bits = 0;
        this.ended = false;
    }

    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private void refill() {
        if (position + 8 <= end) { // whole bytes that fit the window, in one load
            int take = (63 - bits) >>> 3;
            long raw = (long) LONG_LE.get(data, position);
            if (take < 8) {
                raw &= (1L << (take << 3)) - 1;
            }
            window |= raw << bits;
            bits += take << 3;
            position += take;
            return;
        }
        while (bits <= 56 && position < end) {
            window |= (long) (data[position++] & 0xff) << bits;
            bits += 8;
        }
    }

    /** The next {@code n} (0..32) bits as an unsigned value; zeros and {@link #ended} past the end. */
    int read(int n) {
        if (bits < n) {
            refill();
            if (bits < n) {
                ended = true;
                window = 0;
                bits = 0;
                return 0;
            }
        }
        int v = (int) (window & ((1L << n) - 1));
        window >>>= n;
        bits -= n;
        return v;
    }

    boolean flag() {
        return read(1) != 0;
    }

    /** The next {@code n} (1..32) bits without consuming them, zero-padded past the end. */
    int peek(int n) {
        if (bits < n) {
            refill();
        }
        return (int) (window & ((1L << n) - 1));
    }

    /** Consumes {@code n} bits that {@link #peek} showed; false (and ended) if the packet holds fewer. */
    boolean skip(int n) {
        if (n > bits) {
            ended = true;
            window = 0;
            bits = 0;
            return false;
        }
        window >>>= n;
        bits -= n;
        return true;
    }
}
