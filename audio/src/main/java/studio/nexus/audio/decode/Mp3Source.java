package studio.nexus.audio.decode;

import java.io.IOException;
import java.io.InputStream;

/**
 * MP3 (MPEG-1/2/2.5 layer III) streamed frame by frame through our own decoder, {@link Mp3LayerIII}. We own this
 * decoder because MP3 is the upload musicians bring most and the library decoder we used ran at a quarter of
 * ffmpeg's speed; see {@link MpegLayer12Source} for the rare layer I/II files.
 *
 * <p>Frames are found by their headers; bytes between frames (junk, a trailing ID3v1 or APE tag) are skipped, and
 * only a header agreeing with the first frame's version, layer, sample rate and channel count is taken after such a
 * gap. A frame directly following another that changes the sample rate or channel count is refused. A frame cut
 * short by the end of the file decodes as if its missing bytes were zero, so the length is what the header scan
 * counted.
 *
 * <p>Gapless: every frame decodes to its 1152 (or 576) samples, the Xing/Info frame to silence. When {@link Decoders}
 * found a LAME tag, the Info frame, the encoder's delay and the decoder's own 529 samples are dropped from the start
 * and the encoder's padding from the end (as LAME's decoder and ffmpeg do), so the output lines up with, and is as
 * long as, what was encoded.
 */
final class Mp3Source implements DecodedAudio {
    /** Sync word, version, layer and sample rate: what every frame of one stream shares. */
    private static final int SAME_STREAM = 0xFFFE0C00;

    private final InputStream in;
    private final Mp3LayerIII decoder = new Mp3LayerIII();
    /** One frame, with slack for the bit reader's look-ahead. */
    private final byte[] frame = new byte[Mp3LayerIII.MAX_FRAME_BYTES + 8];
    private final AudioFormatInfo info;
    private int firstHeader;
    private boolean first = true;
    private boolean ended;
    private int pendingOffset;
    private int pendingLength;
    private long toSkip;
    private long remaining;

    /**
     * @param skip frames to drop from the start of the decoded output
     * @param deliver frames to output after those, or -1 for all that decode
     */
    Mp3Source(InputStream in, long lengthFrames, long skip, long deliver) throws IOException {
        this(in, lengthFrames, skip, deliver, false);
    }

    /** @param truncated the Xing/Info frame counted more frames than the file holds (a file cut short) */
    Mp3Source(InputStream in, long lengthFrames, long skip, long deliver, boolean truncated) throws IOException {
        this.in = in;
        this.toSkip = skip;
        this.remaining = deliver;
        if (!decodeNext()) {
            throw new CorruptAudioException("MP3: no decodable frame");
        }
        int channels = ((firstHeader >>> 6) & 3) == 3 ? 1 : 2;
        info = AudioFormatInfo.of("MP3", Mp3LayerIII.sampleRate(firstHeader), channels, 0, lengthFrames, truncated);
    }

    /** Reads and decodes the next frame into the decoder's PCM; false at the end of the stream. */
    private boolean decodeNext() throws IOException {
        if (ended) {
            return false;
        }
        int length = nextFrame();
        if (length < 0) {
            ended = true;
            return false;
        }
        boolean infoFrame = first && Mp3Scanner.infoTag(frame) != null;
        first = false;
        decoder.decode(frame, length, infoFrame);
        pendingOffset = 0;
        pendingLength = decoder.samples;
        return true;
    }

    /** The next frame's bytes into {@link #frame}; its length, or -1 when no frame is left. */
    private int nextFrame() throws IOException {
        int header = 0;
        for (int i = 0; i < 4; i++) {
            int c = in.read();
            if (c < 0) {
                return -1;
            }
            header = header << 8 | c;
        }
        long skipped = 0;
        while (true) {
            int length = Mp3Scanner.frameLength(header);
            boolean layer3 = ((header >>> 17) & 3) == 1;
            if (length > 0 && layer3) {
                if (firstHeader == 0) {
                    firstHeader = header;
                    break;
                }
                boolean sameChannels = (((header >>> 6) & 3) == 3) == (((firstHeader >>> 6) & 3) == 3);
                if ((header & SAME_STREAM) == (firstHeader & SAME_STREAM) && sameChannels) {
                    break;
                }
                if (skipped == 0) {
                    throw new CorruptAudioException("MP3: sample rate or channel count changes mid-stream");
                }
            }
            int c = in.read();
            if (c < 0) {
                return -1;
            }
            header = header << 8 | c;
            skipped++;
        }
        int length = Mp3Scanner.frameLength(header);
        if (length > Mp3LayerIII.MAX_FRAME_BYTES) {
            throw new CorruptAudioException("MP3: frame of " + length + " bytes");
        }
        frame[0] = (byte) (header >>> 24);
        frame[1] = (byte) (header >>> 16);
        frame[2] = (byte) (header >>> 8);
        frame[3] = (byte) header;
        int got = in.readNBytes(frame, 4, length - 4);
        if (got < length - 4) { // cut short by the end of the file: decode what is there
            java.util.Arrays.fill(frame, 4 + got, length, (byte) 0);
            ended = true;
        }
        return length;
    }

    @Override
    public AudioFormatInfo info() {
        return info;
    }

    @Override
    public int read(float[][] buffer, int frames) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        while (pendingOffset >= pendingLength || toSkip > 0) {
            if (pendingOffset < pendingLength) { // still inside the delay
                int drop = (int) Math.min(toSkip, pendingLength - pendingOffset);
                pendingOffset += drop;
                toSkip -= drop;
                continue;
            }
            if (!decodeNext()) {
                return -1;
            }
        }
        int n = Math.min(frames, pendingLength - pendingOffset);
        if (remaining > 0) {
            n = (int) Math.min(n, remaining);
            remaining -= n;
        }
        int channels = info.channels();
        for (int c = 0; c < channels; c++) {
            System.arraycopy(decoder.pcm[c], pendingOffset, buffer[c], 0, n);
        }
        pendingOffset += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
