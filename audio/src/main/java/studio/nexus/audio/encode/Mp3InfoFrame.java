package studio.nexus.audio.encode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import studio.nexus.audio.decode.Mp3Scanner;

/**
 * Fills the blank first frame jump3r leaves at the start of every MP3 with a Xing/Info frame and LAME tag: the
 * frame count, byte count, seek table, and, for gapless playback, the encoder's delay and padding. Players that
 * read it (LAME, ffmpeg, ours) then drop those samples and the file plays in time with its source. Layout as LAME
 * 3.100 writes it, checksums included.
 */
final class Mp3InfoFrame {
    private static final int TAG_BYTES = 120 + 36; // Xing fields with every flag, then the LAME tag

    private Mp3InfoFrame() {}

    /**
     * @param samples frames the encoder was given
     * @param delay the encoder's delay in samples
     * @param musicCrc CRC-16 of every byte after the first frame
     * @return true when the tag was written; false when the first frame has no room or is not a blank one
     */
    static boolean write(Path path, long samples, int delay, int kbps, boolean vbr, int musicCrc) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(4);
            if (ch.read(head, 0) < 4) {
                return false;
            }
            int h = head.getInt(0);
            int length = Mp3Scanner.frameLength(h);
            int at = Mp3Scanner.infoOffset(h);
            if (length <= 0 || at + TAG_BYTES > length || length > size) {
                return false;
            }
            ByteBuffer frame = ByteBuffer.allocate(length);
            ch.read(frame, 0);
            byte[] f = frame.array();
            for (int i = 4; i < length; i++) {
                if (f[i] != 0) {
                    return false; // audio, not the placeholder
                }
            }
            long[] frameAt = new long[100];
            long frames = walk(ch, length, size, 0, null);
            walk(ch, length, size, frames, frameAt);
            int perFrame = Mp3Scanner.samplesPerFrame(h);
            long padding = frames * perFrame - delay - samples;
            if (frames <= 0 || padding < 0 || padding > 4095 || delay > 4095) {
                return false;
            }
            ByteBuffer b = ByteBuffer.wrap(f);
            b.position(at);
            b.put((vbr ? "Xing" : "Info").getBytes(StandardCharsets.US_ASCII));
            b.putInt(0x0F); // frames, bytes, TOC, quality
            b.putInt((int) frames);
            b.putInt((int) Math.min(size, 0xFFFFFFFFL));
            for (long position : frameAt) {
                b.put((byte) Math.min(255, position * 256 / size));
            }
            b.putInt(vbr ? 50 : 100 - 10 * 4); // LAME's quality figure; informative only
            int lame = b.position();
            b.put("LAME3.98r".getBytes(StandardCharsets.US_ASCII));
            b.put((byte) (vbr ? 4 : 1)); // tag revision 0, VBR method: 1 = CBR, 4 = VBR
            b.put((byte) 0); // lowpass not recorded
            b.putInt(0); // peak not recorded
            b.putShort((short) 0).putShort((short) 0); // no ReplayGain
            b.put((byte) 0); // encoding flags
            b.put((byte) Math.min(255, kbps));
            b.put((byte) (delay >> 4)).put((byte) (((delay & 0xf) << 4) | (int) (padding >> 8))).put((byte) padding);
            b.put((byte) 0).put((byte) 0).putShort((short) 0); // misc, MP3Gain, preset and surround
            b.putInt((int) Math.min(size, 0xFFFFFFFFL)); // music length: the whole file, as LAME counts it
            b.putShort((short) musicCrc);
            b.putShort((short) crc16(f, 0, lame + 34, 0));
            ch.write(ByteBuffer.wrap(f), 0);
            return true;
        }
    }

    /**
     * Walks the frame headers after the first frame and counts the audio frames. With {@code frameAt}, also notes
     * where the frame at each whole percent of {@code total} starts (the seek table).
     */
    private static long walk(FileChannel ch, long start, long size, long total, long[] frameAt) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4);
        long position = start;
        long frames = 0;
        int percent = 0;
        while (position + 4 <= size) {
            header.clear();
            if (ch.read(header, position) < 4) {
                break;
            }
            int length = Mp3Scanner.frameLength(header.getInt(0));
            if (length <= 0) {
                break;
            }
            while (frameAt != null && percent < 100 && percent * total / 100 <= frames) {
                frameAt[percent++] = position;
            }
            frames++;
            position += length;
        }
        return frames;
    }

    /** CRC-16 as LAME computes it (polynomial 0x8005, reflected, initial 0). */
    static int crc16(byte[] b, int offset, int length, int crc) {
        for (int i = offset; i < offset + length; i++) {
            crc ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
            }
        }
        return crc;
    }
}
