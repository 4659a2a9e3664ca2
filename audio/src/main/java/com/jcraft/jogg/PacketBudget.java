package com.jcraft.jogg;

/**
 * How many bytes a JOgg stream holds for packets not yet handed out. JOgg grows that buffer for as long as
 * pages continue one packet, so a hostile stream that never ends its packet would take the whole upload
 * into memory; decoders check this after each page. The field is package-private, hence this class here.
 */
public final class PacketBudget {
    /** Cover art in a comment header can reach megabytes; audio packets stay under 64 KiB. JOgg grows its buffer a page at a time (copying it each time), so the bound also bounds time. */
    public static final int MAX_BUFFERED_BYTES = 8 << 20;

    private PacketBudget() {}

    public static boolean exceeded(StreamState stream) {
        return stream.body_fill > MAX_BUFFERED_BYTES;
    }
}
