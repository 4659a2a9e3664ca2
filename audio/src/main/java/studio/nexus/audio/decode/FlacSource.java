package studio.nexus.audio.decode;

import java.io.IOException;
import java.io.InputStream;
import org.jflac.ChannelData;
import org.jflac.FLACDecoder;
import org.jflac.frame.Frame;
import org.jflac.metadata.StreamInfo;

/**
 * FLAC via jflac-codec (pure Java). STREAMINFO is validated before any audio is decoded; jflac skips
 * bad frames by re-syncing, which is bounded by the input length. Each frame holds at most 65535
 * samples per channel, so memory stays bounded. The first frame is decoded at open: STREAMINFO's sample count
 * is only a claim (a file may declare 2^36 samples and hold no frame), so a file without one is refused.
 */
final class FlacSource implements DecodedAudio {
    private final InputStream in;
    private final FLACDecoder decoder;
    private final AudioFormatInfo info;
    private final double scale;
    private int[][] pending = new int[0][];
    private int pendingOffset;
    private int pendingLength;
    private boolean ended;

    FlacSource(InputStream in) throws IOException {
        this.in = in;
        this.decoder = new FLACDecoder(in);
        StreamInfo si;
        try {
            decoder.readMetadata();
            si = decoder.getStreamInfo();
        } catch (IOException | RuntimeException e) {
            throw new CorruptAudioException("FLAC: unreadable metadata (" + e.getMessage() + ")", e);
        }
        if (si == null) {
            throw new CorruptAudioException("FLAC: no STREAMINFO block");
        }
        Limits.checkChannels("FLAC", si.getChannels());
        Limits.checkRate("FLAC", si.getSampleRate());
        int bits = si.getBitsPerSample();
        if (bits < 4 || bits > 32) {
            throw new CorruptAudioException("FLAC: " + bits + " bits per sample");
        }
        if (si.getMaxBlockSize() > 65535) {
            throw new CorruptAudioException("FLAC: block size " + si.getMaxBlockSize());
        }
        long total = si.getTotalSamples();
        info = AudioFormatInfo.of("FLAC", si.getSampleRate(), si.getChannels(), bits, total > 0 ? total : -1, false);
        scale = 1.0 / (1L << (bits - 1));
        if (!nextFrame()) {
            throw new NoAudioException("FLAC: no audio frames (the header claims " + Math.max(total, 0) + " samples)");
        }
    }

    @Override
    public AudioFormatInfo info() {
        return info;
    }

    @Override
    public int read(float[][] buffer, int frames) throws IOException {
        while (pendingOffset >= pendingLength) {
            if (!nextFrame()) {
                return -1;
            }
        }
        int n = Math.min(frames, pendingLength - pendingOffset);
        for (int c = 0; c < info.channels(); c++) {
            int[] src = pending[c];
            float[] dst = buffer[c];
            for (int i = 0; i < n; i++) {
                dst[i] = (float) (src[pendingOffset + i] * scale);
            }
        }
        pendingOffset += n;
        return n;
    }

    /** Decodes the next frame into {@link #pending}; false at the end of the stream. */
    private boolean nextFrame() throws IOException {
        if (ended) {
            return false;
        }
        Frame frame;
        try {
            frame = decoder.readNextFrame();
        } catch (IOException | RuntimeException e) {
            throw new CorruptAudioException("FLAC: undecodable frame (" + e.getMessage() + ")", e);
        }
        if (frame == null) {
            ended = true;
            return false;
        }
        if (frame.header.channels != info.channels()) {
            throw new CorruptAudioException("FLAC: frame with " + frame.header.channels + " channels in a "
                    + info.channels() + "-channel stream");
        }
        ChannelData[] data = decoder.getChannelData();
        if (pending.length != info.channels()) {
            pending = new int[info.channels()][];
        }
        for (int c = 0; c < info.channels(); c++) {
            pending[c] = data[c].getOutput();
        }
        pendingOffset = 0;
        pendingLength = frame.header.blockSize;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
