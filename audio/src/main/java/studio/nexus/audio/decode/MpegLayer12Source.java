package studio.nexus.audio.decode;

import java.io.IOException;
import java.io.InputStream;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.BitstreamException;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.DecoderException;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;

/**
 * MPEG audio layers I and II (the rare ".mp2"/".mp1" kind of "MP3" upload) via JLayer's bitstream and decoder used
 * directly; layer III, nearly every MP3, is our own {@link Mp3Source}. Any ID3v2 tag is skipped by {@link Decoders}
 * before JLayer sees the stream (JLayer would load it into memory at its declared size). The first frame is decoded
 * at open so a file that merely looks like MPEG audio is rejected up front. Layers I and II carry no LAME tag, so
 * nothing is trimmed.
 */
final class MpegLayer12Source implements DecodedAudio {
    private final InputStream in;
    private final Bitstream bitstream;
    private final Decoder decoder = new Decoder();
    private final AudioFormatInfo info;
    private short[] pending = new short[0];
    private int pendingOffset;
    private int pendingLength;
    private boolean ended;
    private Header firstHeader;
    private long toSkip;
    private long remaining;

    /**
     * @param skip frames to drop from the start of JLayer's output
     * @param deliver frames to output after those, or -1 for all that decode
     */
    MpegLayer12Source(InputStream in, long lengthFrames, long skip, long deliver) throws IOException {
        this.in = in;
        this.bitstream = new Bitstream(in);
        this.toSkip = skip;
        this.remaining = deliver;
        if (!decodeNext()) {
            throw new CorruptAudioException("MP3: no decodable frame");
        }
        Header h = firstHeader;
        int channels = h.mode() == Header.SINGLE_CHANNEL ? 1 : 2;
        info = AudioFormatInfo.of("MP3", h.frequency(), channels, 0, lengthFrames, false);
    }

    /** Decodes one frame into {@link #pending}; false at end of stream. */
    private boolean decodeNext() throws IOException {
        try {
            Header h = bitstream.readFrame();
            if (h == null) {
                return false;
            }
            if (firstHeader == null) {
                firstHeader = h;
            } else if (h.frequency() != firstHeader.frequency()
                    || (h.mode() == Header.SINGLE_CHANNEL) != (firstHeader.mode() == Header.SINGLE_CHANNEL)) {
                throw new CorruptAudioException("MP3: sample rate or channel count changes mid-stream");
            }
            SampleBuffer out = (SampleBuffer) decoder.decodeFrame(h, bitstream);
            bitstream.closeFrame();
            pending = out.getBuffer();
            pendingLength = out.getBufferLength() / out.getChannelCount();
            pendingOffset = 0;
            return true;
        } catch (BitstreamException | DecoderException | RuntimeException e) {
            throw new CorruptAudioException("MP3: undecodable frame (" + e.getMessage() + ")", e);
        }
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
        int spins = 0;
        while (pendingOffset >= pendingLength || toSkip > 0) {
            if (pendingOffset < pendingLength) { // still inside the delay
                int drop = (int) Math.min(toSkip, pendingLength - pendingOffset);
                pendingOffset += drop;
                toSkip -= drop;
                continue;
            }
            if (ended || !decodeNext()) {
                ended = true;
                return -1;
            }
            if (++spins > 10_000) { // frames that decode to nothing, forever: refuse rather than spin
                throw new CorruptAudioException("MP3: no audio in 10000 consecutive frames");
            }
        }
        int channels = info.channels();
        int n = Math.min(frames, pendingLength - pendingOffset);
        if (remaining > 0) {
            n = (int) Math.min(n, remaining);
            remaining -= n;
        }
        for (int i = 0; i < n; i++) {
            int base = (pendingOffset + i) * channels;
            for (int c = 0; c < channels; c++) {
                buffer[c][i] = pending[base + c] / 32768f;
            }
        }
        pendingOffset += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        try {
            bitstream.close();
        } catch (BitstreamException e) {
            throw new IOException(e);
        } finally {
            in.close();
        }
    }
}
