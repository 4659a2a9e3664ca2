package studio.nexus.audio.decode;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens audio for streaming decode, recognising the format from its bytes (magic numbers), never from
 * a file name. Supported: see {@link #SUPPORTED} (MP3 is MPEG audio layer I/II/III; AAC is LC, with noise
 * substitution, and HE-AAC, see {@link AacSource}).
 * Thread-safe (stateless); each returned {@link DecodedAudio} belongs to one reader.
 *
 * <p>Failures are typed: {@link UnsupportedAudioFormatException} (unknown or unsupported format → 415)
 * and {@link CorruptAudioException} (recognised but broken, truncated to nothing, lying header → 422).
 * On failure the input is closed.
 */
public final class Decoders {
    private static final int SNIFF = 16 * 1024;
    /** What we decode, in musicians' words, for messages. */
    public static final String SUPPORTED = "WAV (PCM, float, µ-law, A-law, IMA/MS ADPCM; RIFF, RF64, RIFX), AIFF, FLAC,"
            + " MP3, Ogg Vorbis, Ogg Opus, AAC (M4A and ADTS), Apple Lossless (ALAC in M4A)";

    private Decoders() {}

    /**
     * Opens a file. Knowing the file size lets us check headers against it and give MP3/Ogg lengths
     * (MP3: a quick scan of frame headers; Ogg: the last page's granule position).
     */
    public static DecodedAudio open(Path path) throws IOException {
        long size = Files.size(path);
        InputStream in = Files.newInputStream(path);
        try {
            return open(in, size, path);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Opens a stream (e.g. an upload). Lengths of MP3 and Ogg streams are then unknown (-1). */
    public static DecodedAudio open(InputStream input) throws IOException {
        try {
            return open(input, -1, null);
        } catch (IOException | RuntimeException e) {
            input.close();
            throw e;
        }
    }

    private static DecodedAudio open(InputStream raw, long fileSize, Path path) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(SNIFF);
        byte[] head = in.readNBytes(SNIFF);
        in.reset();
        if (head.length == 0) {
            throw new CorruptAudioException("empty input");
        }
        if (head.length < 12 && !startsWith(head, "fLaC")) {
            throw new UnsupportedAudioFormatException("input too short (" + head.length + " bytes) to be audio");
        }
        try {
            if ((startsWith(head, "RIFF") || startsWith(head, "RF64") || startsWith(head, "RIFX"))
                    && matches(head, 8, "WAVE")) {
                return WavReader.open(in, fileSize);
            }
            if (startsWith(head, "FORM") && (matches(head, 8, "AIFF") || matches(head, 8, "AIFC"))) {
                return AiffReader.open(in, fileSize);
            }
            if (startsWith(head, "fLaC")) {
                return new FlacSource(in);
            }
            if (startsWith(head, "OggS")) {
                return openOgg(in, head, path);
            }
            if (matches(head, 4, "ftyp")) {
                return openMp4(in, path);
            }
            if (looksLikeAdts(head)) {
                return AacSource.openAdts(in, path != null ? countAdtsFrames(path, 0) : -1);
            }
            long tagSize = 0;
            if (startsWith(head, "ID3") && head.length >= 10) {
                tagSize = 10 + syncSafe(head, 6) + ((head[5] & 0x10) != 0 ? 10 : 0);
                in.skipNBytes(Math.min(tagSize, fileSize >= 0 ? fileSize : Long.MAX_VALUE));
                in.mark(SNIFF);
                head = in.readNBytes(SNIFF);
                in.reset();
                if (startsWith(head, "fLaC")) {
                    return new FlacSource(in);
                }
                if (looksLikeAdts(head)) {
                    return AacSource.openAdts(in, path != null ? countAdtsFrames(path, tagSize) : -1);
                }
            }
            if (looksLikeMpegAudio(head)) {
                return openMp3(in, head, path, tagSize);
            }
        } catch (java.io.EOFException e) {
            throw new CorruptAudioException("file ends inside its header");
        }
        throw new UnsupportedAudioFormatException("unrecognised audio format");
    }

    /**
     * MP3, trimmed to what was encoded when a LAME tag says how (see {@link Mp3Source}). The length is from the
     * frame headers actually present (a file path) rather than the tag's frame count, which is only a claim.
     */
    private static DecodedAudio openMp3(InputStream input, byte[] head, Path path, long tagSize) throws IOException {
        long scanned = path != null ? Mp3Scanner.countFrames(path, tagSize) : -1; // without the Info frame
        InputStream in = path != null ? new Bounded(input, Mp3Scanner.audioEnd(path) - tagSize) : input;
        if (((Mp3Scanner.frameHeader(head) >>> 17) & 3) != 1) { // layer I or II
            return new MpegLayer12Source(in, scanned, 0, -1);
        }
        Mp3Scanner.InfoTag tag = Mp3Scanner.infoTag(head);
        if (tag == null) {
            return new Mp3Source(in, scanned, 0, -1);
        }
        int perFrame = Mp3Scanner.samplesPerFrame(Mp3Scanner.frameHeader(head));
        long claimed = tag.frames() > 0 ? tag.frames() * perFrame : -1; // 0 means "not counted" to ffmpeg too
        boolean cutShort = claimed > 0 && scanned >= 0 && claimed > scanned;
        if (!tag.gapless()) {
            return new Mp3Source(in, scanned, perFrame, -1, cutShort);
        }
        long start = tag.delay() + (long) Mp3Scanner.DECODER_DELAY;
        // The padding is at the end of the frames actually there; a file cut short has lost it (decode to its end).
        long encoded = scanned >= 0 ? (claimed > scanned ? -1 : scanned) : claimed;
        long deliver = encoded >= 0 ? Math.max(0, encoded - tag.delay() - tag.padding()) : -1;
        long length = scanned < 0 ? -1 : deliver >= 0 ? deliver : Math.max(0, scanned - start);
        return new Mp3Source(in, length, perFrame + start, deliver, cutShort);
    }

    /**
     * Ends a stream early: JLayer drops the last frame when bytes that are not a frame follow it (an ID3v1 tag),
     * but not when the input ends there.
     */
    private static final class Bounded extends java.io.FilterInputStream {
        private long left;

        Bounded(InputStream in, long length) {
            super(in);
            left = Math.max(0, length);
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, left));
            left -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), left);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    private static DecodedAudio openOgg(InputStream in, byte[] head, Path path) throws IOException {
        if (head.length < 28) {
            throw new CorruptAudioException("Ogg: first page cut short");
        }
        int segments = head[26] & 0xff;
        int payload = 27 + segments;
        if (matches(head, payload, "\u0001vorbis")) {
            long frames = path != null ? lastGranule(path) : -1;
            return new VorbisSource(in, frames);
        }
        if (matches(head, payload, "OpusHead")) {
            return new OpusSource(in, path != null ? lastGranule(path) : -1);
        }
        if (matches(head, payload, "\u007fFLAC")) {
            throw new UnsupportedAudioFormatException("FLAC in Ogg is not supported (use native FLAC)");
        }
        throw new UnsupportedAudioFormatException("Ogg stream with an unsupported codec");
    }

    /**
     * Granule position of the last Ogg page = total samples of a single Vorbis stream (of an Opus stream,
     * pre-skip included). -1 if not found.
     */
    private static long lastGranule(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            int window = (int) Math.min(size, 128 * 1024);
            ByteBuffer buf = ByteBuffer.allocate(window);
            ch.read(buf, size - window);
            byte[] b = buf.array();
            for (int i = window - 27; i >= 0; i--) {
                if (b[i] == 'O' && b[i + 1] == 'g' && b[i + 2] == 'g' && b[i + 3] == 'S' && b[i + 4] == 0) {
                    long granule = 0;
                    for (int k = 7; k >= 0; k--) {
                        granule = (granule << 8) | (b[i + 6 + k] & 0xff);
                    }
                    return granule >= 0 ? granule : -1;
                }
            }
            return -1;
        }
    }

    /**
     * MP4/M4A needs random access (its index may come last): a file is read where it lies, a stream is
     * first copied to a temporary file (bounded by what the caller sends), removed when the source closes.
     */
    private static DecodedAudio openMp4(InputStream in, Path path) throws IOException {
        FileChannel channel;
        if (path != null) {
            in.close();
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } else {
            Path temp = Files.createTempFile("studio-m4a", ".m4a");
            try (in) {
                Files.copy(in, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }
        try {
            return AacSource.openMp4(channel, null);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static boolean looksLikeAdts(byte[] b) {
        int first = AacSource.AdtsFrames.frameLength(b, 0);
        if (first <= 0) {
            return false;
        }
        return first + 7 <= b.length ? AacSource.AdtsFrames.frameLength(b, first) > 0 : b.length >= first;
    }

    /** ADTS frames in a file by hopping from header to header (no decoding); -1 when a header is broken. */
    private static long countAdtsFrames(Path path, long start) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = start;
            long frames = 0;
            ByteBuffer h = ByteBuffer.allocate(7);
            while (pos + 7 <= size) {
                h.clear();
                ch.read(h, pos);
                int length = AacSource.AdtsFrames.frameLength(h.array(), 0);
                if (length < 0) {
                    return -1;
                }
                if (pos + length > size) {
                    break; // a cut-short last frame is not decoded either
                }
                pos += length;
                frames++;
            }
            return frames;
        }
    }

    static boolean looksLikeMpegAudio(byte[] b) {
        int first = Mp3Scanner.frameLength(b, 0);
        if (first <= 0) {
            return false;
        }
        // A second valid header right after the first frame makes a false positive on random bytes unlikely.
        return first + 4 <= b.length ? Mp3Scanner.frameLength(b, first) > 0 : b.length >= first;
    }

    private static long syncSafe(byte[] b, int p) {
        return ((b[p] & 0x7fL) << 21) | ((b[p + 1] & 0x7fL) << 14) | ((b[p + 2] & 0x7fL) << 7) | (b[p + 3] & 0x7fL);
    }

    private static boolean startsWith(byte[] b, String magic) {
        return matches(b, 0, magic);
    }

    private static boolean matches(byte[] b, int offset, String magic) {
        byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
        if (offset < 0 || offset + m.length > b.length) {
            return false;
        }
        for (int i = 0; i < m.length; i++) {
            if (b[offset + i] != m[i]) {
                return false;
            }
        }
        return true;
    }
}
