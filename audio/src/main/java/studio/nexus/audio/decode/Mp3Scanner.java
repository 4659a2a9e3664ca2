package studio.nexus.audio.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * MPEG audio frame-header arithmetic, a header-only scan to count an MP3 file's samples, and the Xing/Info frame with
 * LAME's gapless fields (encoder delay and padding). Public for the encoder, which writes that frame.
 */
public final class Mp3Scanner {
    /**
     * Samples every MP3 decoder outputs before the encoder's first sample (synthesis filterbank and IMDCT overlap:
     * 528 + 1). LAME's tag counts only the encoder's delay; LAME's own decoder and ffmpeg add this too.
     */
    public static final int DECODER_DELAY = 529;

    /**
     * What a Xing/Info frame tells: {@code frames} audio frames after it (-1 when not given) and, when a LAME tag
     * follows (written by LAME and ffmpeg), the encoder's {@code delay} and {@code padding} in samples (-1 without).
     */
    record InfoTag(long frames, int delay, int padding) {
        boolean gapless() {
            return delay >= 0;
        }
    }
    private static final int[][] BITRATES_V1 = {
        {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // layer I
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // layer II
        {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // layer III
    };
    private static final int[][] BITRATES_V2 = {
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
    };
    private static final int[] RATES_V1 = {44100, 48000, 32000};

    private Mp3Scanner() {}

    /** Length in bytes of the frame whose header starts at b[p], or -1 if it is not a valid header. */
    public static int frameLength(byte[] b, int p) {
        if (p + 4 > b.length) {
            return -1;
        }
        int h = ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
        return frameLength(h);
    }

    public static int frameLength(int h) {
        if ((h & 0xFFE00000) != 0xFFE00000) {
            return -1;
        }
        int version = (h >>> 19) & 3; // 0: 2.5, 2: 2, 3: 1
        int layer = (h >>> 17) & 3; // 1: III, 2: II, 3: I
        int bitrateIndex = (h >>> 12) & 15;
        int rateIndex = (h >>> 10) & 3;
        int padding = (h >>> 9) & 1;
        if (version == 1 || layer == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return -1;
        }
        int rate = RATES_V1[rateIndex] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
        int layerRow = 3 - layer; // I=0, II=1, III=2
        int kbps = (version == 3 ? BITRATES_V1 : BITRATES_V2)[layerRow][bitrateIndex];
        if (layer == 3) {
            return (12 * kbps * 1000 / rate + padding) * 4;
        }
        int factor = (layer == 1 && version != 3) ? 72 : 144;
        return factor * kbps * 1000 / rate + padding;
    }

    public static int samplesPerFrame(int h) {
        int version = (h >>> 19) & 3;
        int layer = (h >>> 17) & 3;
        if (layer == 3) {
            return 384;
        }
        if (layer == 2) {
            return 1152;
        }
        return version == 3 ? 1152 : 576;
    }

    /** Where "Xing"/"Info" sits in a layer III frame: after the header and the side information. */
    public static int infoOffset(int h) {
        boolean mpeg1 = ((h >>> 19) & 3) == 3;
        boolean mono = ((h >>> 6) & 3) == 3;
        return 4 + (mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
    }

    /** The Xing/Info frame at the start of {@code b} (the first frame), or null when the first frame is audio. */
    static InfoTag infoTag(byte[] b) {
        int length = frameLength(b, 0);
        if (length <= 0 || length > b.length) {
            return null;
        }
        int h = be32(b, 0);
        if (((h >>> 17) & 3) != 1) { // layer III only
            return null;
        }
        int at = infoOffset(h);
        if (at + 8 > length || !(ascii(b, at, "Xing") || ascii(b, at, "Info"))) {
            return null;
        }
        int flags = be32(b, at + 4);
        int p = at + 8;
        long frames = -1;
        if ((flags & 1) != 0) {
            if (p + 4 > length) {
                return null;
            }
            frames = be32(b, p) & 0xffffffffL;
            p += 4;
        }
        p += ((flags & 2) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 100 : 0) + ((flags & 8) != 0 ? 4 : 0);
        // the LAME tag: 9 bytes of encoder name, then at +21 delay (12 bits) and padding (12 bits)
        if (p + 24 <= length && (ascii(b, p, "LAME") || ascii(b, p, "Lavf") || ascii(b, p, "Lavc"))) {
            int delay = ((b[p + 21] & 0xff) << 4) | ((b[p + 22] & 0xff) >>> 4);
            int padding = ((b[p + 22] & 0x0f) << 8) | (b[p + 23] & 0xff);
            return new InfoTag(frames, delay, padding);
        }
        return new InfoTag(frames, -1, -1);
    }

    static int frameHeader(byte[] b) {
        return be32(b, 0);
    }

    private static int be32(byte[] b, int p) {
        return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }

    private static boolean ascii(byte[] b, int p, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (p + i >= b.length || b[p + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The same test as {@link #infoTag}: "Xing"/"Info" right after a layer III frame's side information. */
    private static boolean isInfoFrame(FileChannel ch, long pos, int h) throws IOException {
        if (((h >>> 17) & 3) != 1) {
            return false;
        }
        byte[] b = read(ch, pos + infoOffset(h), 4);
        return ascii(b, 0, "Xing") || ascii(b, 0, "Info");
    }

    /** Where the frames end: the file's end, before a trailing ID3v1 tag and an APEv2 tag if there are. */
    static long audioEnd(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long end = ch.size();
            if (end >= 128 && ascii(read(ch, end - 128, 3), 0, "TAG")) {
                end -= 128;
            }
            if (end >= 32) {
                byte[] footer = read(ch, end - 32, 32);
                if (ascii(footer, 0, "APETAGEX")) {
                    long size = (footer[12] & 0xffL) | (footer[13] & 0xffL) << 8 | (footer[14] & 0xffL) << 16
                            | (footer[15] & 0xffL) << 24; // items and footer
                    boolean header = (footer[23] & 0x80) != 0;
                    end = Math.max(0, end - size - (header ? 32 : 0));
                }
            }
            return end;
        }
    }

    private static byte[] read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        ch.read(b, position);
        return b.array();
    }

    /** Counts decoded samples by walking frame headers from {@code start}; stops at the first non-frame. */
    static long countFrames(Path path, long start) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = start;
            long samples = 0;
            ByteBuffer header = ByteBuffer.allocate(4);
            boolean first = true;
            while (pos + 4 <= size) {
                header.clear();
                if (ch.read(header, pos) < 4) {
                    break;
                }
                int h = header.getInt(0);
                int len = frameLength(h);
                if (len <= 0) {
                    break;
                }
                // A LAME/Xing "Info"/"Xing" frame carries no audio: Mp3Source drops what JLayer makes of it
                if (!(first && isInfoFrame(ch, pos, h))) {
                    samples += samplesPerFrame(h);
                }
                first = false;
                pos += len;
            }
            return samples > 0 ? samples : -1;
        }
    }
}
