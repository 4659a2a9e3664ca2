package studio.nexus.audio.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Apple Lossless (ALAC) from an M4A file, decoded by {@link AlacDecoder} frame by frame through the MP4
 * sample table. The samples are the ones that were encoded, bit for bit (as floats: 16- and 24-bit
 * samples exactly). The edit list, where there is one, trims the start and the length as for AAC, and a file
 * cut short is decoded and measured up to its last whole frame, as for AAC.
 * Memory: one frame in, one frame out, sized from the configuration; nothing is allocated per frame.
 * Not thread-safe.
 */
final class AlacSource implements DecodedAudio {
    private static final int LOOK_AHEAD = 8;

    private final AacSource.Mp4Frames frames;
    private final AlacDecoder decoder;
    private final ByteBuffer frame;
    private final AudioFormatInfo info;
    private final float scale;
    private int frameSamples;
    private int offset;
    private long skip;
    private long left; // frames still to deliver; -1: until the frames end
    private boolean ended;

    private AlacSource(FileChannel file, Mp4Audio m, AlacDecoder decoder) throws AudioDecodeException {
        this.decoder = decoder;
        frames = new AacSource.Mp4Frames(file, m);
        int largest = m.largestSample();
        if (largest > decoder.maxFrameBytes()) {
            throw new CorruptAudioException("M4A: an ALAC frame of " + largest + " bytes, at most "
                    + decoder.maxFrameBytes() + " possible");
        }
        // The look-ahead stays zero: the bit reader may peek a few bytes past the frame's end.
        frame = ByteBuffer.wrap(new byte[Math.max(largest, 1) + LOOK_AHEAD], 0, Math.max(largest, 1)).slice();
        scale = 1f / (1L << (decoder.bitDepth - 1));
        double perTick = (double) decoder.sampleRate / m.mediaTimescale;
        skip = Math.round(m.start() * perTick);
        long length = m.length();
        left = length >= 0 ? Math.round(length * perTick) : -1;
        info = AudioFormatInfo.of("M4A", decoder.sampleRate, decoder.channels, decoder.bitDepth, left, m.truncated);
    }

    /** ALAC from an M4A file already read by {@link Mp4Audio}; closes nothing on failure (the caller does). */
    static DecodedAudio open(FileChannel file, Mp4Audio m) throws IOException {
        AlacDecoder decoder = AlacDecoder.configure(m.config, m.mediaTimescale);
        m.measure(file.size(), decoder.maxFrameBytes());
        m.requireAudio();
        AlacSource source = new AlacSource(file, m, decoder);
        if (!source.decodeNext()) {
            throw new CorruptAudioException("M4A: ALAC track without a frame");
        }
        return source;
    }

    private boolean decodeNext() throws IOException {
        if (!frames.next(frame)) {
            return false;
        }
        frameSamples = decoder.decode(frame.array(), frame.limit());
        offset = 0;
        return true;
    }

    @Override
    public AudioFormatInfo info() {
        return info;
    }

    @Override
    public int read(float[][] buffer, int want) throws IOException {
        while (true) {
            if (left == 0 || ended) {
                return -1;
            }
            if (offset >= frameSamples && !decodeNext()) {
                ended = true;
                return -1;
            }
            if (skip > 0) {
                int dropped = (int) Math.min(skip, frameSamples - offset);
                offset += dropped;
                skip -= dropped;
                continue;
            }
            int n = Math.min(want, frameSamples - offset);
            if (left > 0) {
                n = (int) Math.min(n, left);
                left -= n;
            }
            for (int c = 0; c < decoder.channels; c++) {
                int[] src = decoder.samples[c];
                float[] dst = buffer[c];
                for (int i = 0; i < n; i++) {
                    dst[i] = src[offset + i] * scale;
                }
            }
            offset += n;
            return n;
        }
    }

    @Override
    public void close() throws IOException {
        frames.close();
    }
}
