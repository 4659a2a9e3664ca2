package studio.nexus.audio.decode;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Native FLAC (RFC 9639), decoded by our own code: FLAC is small and fully specified, and uploads are mostly FLAC
 * or WAV, so its speed is the studio's. Streaming: the input passes through a fixed buffer ({@link FlacBitReader}),
 * and the samples of one frame are held, at most STREAMINFO's maximum block size per channel; after the set-up
 * nothing is allocated per frame.
 *
 * <p>STREAMINFO is checked before any audio is decoded, and every frame against it (channels, rate, bit depth, a
 * block no larger than the declared maximum) and against its own checksums (CRC-8 of the header, CRC-16 of the
 * frame). The first frame is decoded at open: STREAMINFO's sample count is only a claim (a file may declare 2^36
 * samples and hold no frame), so a file without one is refused. A file cut short ends with its last whole frame, and
 * bytes after the last frame that hold no further frame (a tag some programs append) are ignored; a damaged frame,
 * or a frame found after unreadable bytes, refuses the file. Not thread-safe.
 */
final class FlacSource implements DecodedAudio {
    /** Channel assignments of a frame header: independent channels are 0–7, then the stereo decorrelations. */
    private static final int LEFT_SIDE = 8;
    private static final int SIDE_RIGHT = 9;
    private static final int MID_SIDE = 10;
    private static final int[] FIXED_RATES = {0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100,
        48000, 96000};
    private static final String WASTED_BITS_DAMAGED = "FLAC: damaged subframe header (its wasted bits)";
    private static final int[] SAMPLE_SIZES = {0, 8, 12, -1, 16, 20, 24, 32};

    private final InputStream in;
    private final FlacBitReader bits;
    private final AudioFormatInfo info;
    private final int channels;
    private final int bitsPerSample;
    private final int maxBlockSize;
    private final float scale;
    /** The current frame's samples per channel, then the 33-bit side channel of 32-bit stereo (else null). */
    private final int[][] samples;
    private final long[] wideSide;
    private final int[] coefficients = new int[32];
    private final byte[] header = new byte[16];
    private int pendingOffset;
    private int pendingLength;
    /** Samples per channel decoded so far, for messages. */
    private long decodedFrames;
    private boolean ended;

    FlacSource(InputStream in) throws IOException {
        this.in = in;
        this.bits = new FlacBitReader(in, 64 * 1024);
        try {
            if (bits.readBits(32) != 0x664C6143) { // "fLaC"
                throw new CorruptAudioException("FLAC: no fLaC marker");
            }
            int first = bits.readBits(8);
            int length = bits.readBits(24);
            if ((first & 0x7F) != 0 || length < 34) {
                throw new CorruptAudioException("FLAC: the first metadata block is not STREAMINFO");
            }
            int minBlockSize = bits.readBits(16);
            maxBlockSize = bits.readBits(16);
            bits.readBits(24); // smallest and largest frame in bytes: hints only
            bits.readBits(24);
            int rate = bits.readBits(20);
            channels = bits.readBits(3) + 1;
            bitsPerSample = bits.readBits(5) + 1;
            long total = ((long) bits.readBits(4) << 32) | (bits.readBits(32) & 0xFFFFFFFFL);
            bits.skipBytes(16 + length - 34L); // the MD5 signature
            Limits.checkChannels("FLAC", channels);
            Limits.checkRate("FLAC", rate);
            if (bitsPerSample < 4) {
                throw new CorruptAudioException("FLAC: " + bitsPerSample + " bits per sample");
            }
            if (maxBlockSize < 16) {
                throw new CorruptAudioException("FLAC: STREAMINFO declares blocks of at most " + maxBlockSize
                        + " samples (16 to 65535 is possible); the header is damaged");
            }
            if (minBlockSize > maxBlockSize) {
                throw new CorruptAudioException("FLAC: STREAMINFO declares blocks of at least " + minBlockSize
                        + " but at most " + maxBlockSize + " samples; the header is damaged");
            }
            skipOtherMetadata(first);
            info = AudioFormatInfo.of("FLAC", rate, channels, bitsPerSample, total > 0 ? total : -1, false);
            scale = (float) (1.0 / (1L << (bitsPerSample - 1)));
            samples = new int[channels][maxBlockSize];
            wideSide = bitsPerSample == 32 && channels == 2 ? new long[maxBlockSize] : null;
            if (!nextFrame()) {
                throw new NoAudioException("FLAC: no audio frames (the header claims " + total + " samples)");
            }
        } catch (EOFException e) {
            throw new CorruptAudioException("FLAC: the file ends inside its metadata");
        }
    }

    /** Walks past the metadata blocks after STREAMINFO (seek table, tags, pictures, padding) to the first frame. */
    private void skipOtherMetadata(int header) throws IOException {
        int blocks = 1;
        while ((header & 0x80) == 0) {
            if (++blocks > Limits.MAX_CHUNKS) {
                throw new CorruptAudioException("FLAC: more than " + Limits.MAX_CHUNKS + " metadata blocks");
            }
            header = bits.readBits(8);
            int type = header & 0x7F;
            int length = bits.readBits(24);
            if (type == 0) {
                throw new CorruptAudioException("FLAC: a second STREAMINFO block");
            }
            if (type == 127) {
                throw new CorruptAudioException("FLAC: an invalid metadata block type");
            }
            bits.skipBytes(length);
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
        float s = scale;
        for (int c = 0; c < channels; c++) {
            int[] src = samples[c];
            float[] dst = buffer[c];
            int from = pendingOffset;
            for (int i = 0; i < n; i++) {
                dst[i] = src[from + i] * s;
            }
        }
        pendingOffset += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    // ---- frames -------------------------------------------------------------------------------

    /** Decodes the next frame into {@link #samples}; false at the end of the audio. */
    private boolean nextFrame() throws IOException {
        if (ended) {
            return false;
        }
        try {
            int blockSize = readFrame();
            if (blockSize <= 0) {
                ended = true;
                return false;
            }
            pendingOffset = 0;
            pendingLength = blockSize;
            decodedFrames += blockSize;
            return true;
        } catch (EOFException e) {
            ended = true; // cut short inside a frame: the audio ends with the last whole one
            return false;
        } catch (RuntimeException e) { // a check we lack must still not reach the caller as a crash
            throw new CorruptAudioException("FLAC: undecodable frame " + where() + " (" + e + ")", e);
        }
    }

    private String where() {
        return String.format(java.util.Locale.ROOT, "at %.3f s", decodedFrames / (double) info.sampleRate());
    }

    /** One frame; its block size, or 0 when the input holds no further frame. */
    private int readFrame() throws IOException {
        if (bits.atEnd()) {
            return 0;
        }
        bits.startCrc16();
        int first = bits.readBits(8);
        int second = bits.readBits(8);
        if (first != 0xFF || (second & 0xFE) != 0xF8) {
            skipTrailingBytes(second);
            return 0;
        }
        int blockSize = readFrameHeader(second, true);
        int assignment = header[3] >>> 4 & 0x0F;
        int side = assignment == LEFT_SIDE || assignment == MID_SIDE ? 1 : assignment == SIDE_RIGHT ? 0 : -1;
        for (int c = 0; c < channels; c++) {
            if (c == side && wideSide != null) {
                decodeWideSubframe(samples[c], blockSize);
            } else {
                decodeSubframe(samples[c], bitsPerSample + (c == side ? 1 : 0), blockSize);
            }
        }
        bits.alignToByte();
        int expected = bits.crc16();
        if (bits.readBits(16) != expected) {
            throw new CorruptAudioException("FLAC: damaged frame " + where() + " (checksum mismatch)");
        }
        if (wideSide != null && side >= 0) {
            decorrelateWide(assignment, blockSize);
        } else if (side >= 0) {
            decorrelate(assignment, blockSize);
        }
        return blockSize;
    }

    /**
     * After the sync code, the frame header (into {@link #header}); its block size. A header that cannot be right,
     * or one that does not match STREAMINFO, is a {@link CorruptAudioException} when {@code strict}, else -1.
     */
    private int readFrameHeader(int second, boolean strict) throws IOException {
        header[0] = (byte) 0xFF;
        header[1] = (byte) second;
        int codes = bits.readBits(8);
        int layout = bits.readBits(8);
        header[2] = (byte) codes;
        header[3] = (byte) layout;
        int length = 4;
        int number = bits.readBits(8);
        header[length++] = (byte) number;
        int extra = number < 0x80 ? 0 : number < 0xC0 ? -1 : number < 0xE0 ? 1 : number < 0xF0 ? 2 : number < 0xF8 ? 3
                : number < 0xFC ? 4 : number < 0xFE ? 5 : number == 0xFE ? 6 : -1;
        if (extra < 0) {
            return invalid(strict, "its frame number is not a valid code");
        }
        for (int i = 0; i < extra; i++) {
            int next = bits.readBits(8);
            header[length++] = (byte) next;
            if ((next & 0xC0) != 0x80) {
                return invalid(strict, "its frame number is not a valid code");
            }
        }
        int blockCode = codes >>> 4;
        int blockSize = switch (blockCode) {
            case 0 -> -1;
            case 1 -> 192;
            case 2, 3, 4, 5 -> 576 << (blockCode - 2);
            case 6 -> {
                int v = bits.readBits(8);
                header[length++] = (byte) v;
                yield v + 1;
            }
            case 7 -> {
                int v = bits.readBits(16);
                header[length++] = (byte) (v >>> 8);
                header[length++] = (byte) v;
                yield v + 1;
            }
            default -> 256 << (blockCode - 8);
        };
        int rateCode = codes & 0x0F;
        int rate;
        if (rateCode >= 12 && rateCode <= 14) {
            int v = bits.readBits(rateCode == 12 ? 8 : 16);
            if (rateCode != 12) {
                header[length++] = (byte) (v >>> 8);
            }
            header[length++] = (byte) v;
            rate = rateCode == 12 ? v * 1000 : rateCode == 13 ? v : v * 10;
        } else {
            rate = rateCode == 15 ? -1 : rateCode == 0 ? info.sampleRate() : FIXED_RATES[rateCode];
        }
        int crc = bits.readBits(8);
        if (FlacBitReader.crc8(header, length) != crc) {
            return invalid(strict, "its header checksum does not match");
        }
        int assignment = layout >>> 4;
        int sizeCode = layout >>> 1 & 7;
        int frameChannels = assignment < 8 ? assignment + 1 : assignment <= MID_SIDE ? 2 : -1;
        int frameBits = sizeCode == 0 ? bitsPerSample : SAMPLE_SIZES[sizeCode];
        if (blockSize < 0 || rate < 0 || frameChannels < 0 || frameBits < 0 || (layout & 1) != 0) {
            return invalid(strict, "its header uses reserved codes");
        }
        if (frameChannels != channels) {
            return invalid(strict, "it has " + frameChannels + " channels in a " + channels + "-channel stream");
        }
        if (frameBits != bitsPerSample || rate != info.sampleRate()) {
            return invalid(strict, "it is " + frameBits + "-bit " + rate + " Hz in a " + bitsPerSample + "-bit "
                    + info.sampleRate() + " Hz stream");
        }
        if (blockSize > maxBlockSize) {
            return invalid(strict, "it holds " + blockSize + " samples, more than STREAMINFO's maximum of "
                    + maxBlockSize);
        }
        return blockSize;
    }

    private int invalid(boolean strict, String why) throws CorruptAudioException {
        if (strict) {
            throw new CorruptAudioException("FLAC: damaged frame " + where() + ": " + why);
        }
        return -1;
    }

    /**
     * Bytes where a frame should start. A tag after the last frame is harmless; a frame further on means damage in
     * the middle of the audio, which we refuse rather than play with a gap. Reads to the end of the input at most.
     */
    private void skipTrailingBytes(int second) throws IOException {
        int previous = second;
        try {
            while (true) {
                int current = bits.readBits(8);
                if (previous == 0xFF && (current & 0xFE) == 0xF8 && readFrameHeader(current, false) > 0) {
                    throw new CorruptAudioException("FLAC: unreadable bytes where a frame should start " + where());
                }
                previous = current;
            }
        } catch (EOFException end) {
            // only unreadable bytes up to the end: the audio ended before them
        }
    }

    // ---- subframes ----------------------------------------------------------------------------

    /** One channel of a frame, samples of {@code sampleBits} (at most 32) into {@code out[0..blockSize)}. */
    private void decodeSubframe(int[] out, int sampleBits, int blockSize) throws IOException {
        int head = bits.readBits(8);
        int type = head >>> 1 & 0x3F;
        int wasted = 0;
        if ((head & 1) != 0) {
            wasted = bits.readUnary(sampleBits, WASTED_BITS_DAMAGED) + 1;
        }
        if ((head & 0x80) != 0 || wasted >= sampleBits) {
            throw new CorruptAudioException("FLAC: damaged subframe header " + where());
        }
        int size = sampleBits - wasted;
        if (type == 0) {
            Arrays.fill(out, 0, blockSize, bits.readSigned(size));
        } else if (type == 1) {
            for (int i = 0; i < blockSize; i++) {
                out[i] = bits.readSigned(size);
            }
        } else if (type >= 8 && type <= 12) {
            int order = checkedOrder(type - 8, blockSize);
            for (int i = 0; i < order; i++) {
                out[i] = bits.readSigned(size);
            }
            readResidual(out, order, blockSize);
            FlacPrediction.fixed(out, order, blockSize);
        } else if (type >= 32) {
            int order = checkedOrder(type - 31, blockSize);
            for (int i = 0; i < order; i++) {
                out[i] = bits.readSigned(size);
            }
            int shift = readLpcCoefficients(order);
            readResidual(out, order, blockSize);
            FlacPrediction.lpc(out, coefficients, order, shift, blockSize);
        } else {
            throw new CorruptAudioException("FLAC: reserved subframe type " + type + " " + where());
        }
        if (wasted > 0) {
            for (int i = 0; i < blockSize; i++) {
                out[i] <<= wasted;
            }
        }
    }

    /**
     * The 33-bit side channel of 32-bit stereo into {@link #wideSide}; {@code scratch} (the channel's own int
     * buffer, overwritten when the channels are restored) holds the residual.
     */
    private void decodeWideSubframe(int[] scratch, int blockSize) throws IOException {
        long[] out = wideSide;
        int head = bits.readBits(8);
        int type = head >>> 1 & 0x3F;
        int wasted = 0;
        if ((head & 1) != 0) {
            wasted = bits.readUnary(33, WASTED_BITS_DAMAGED) + 1;
        }
        if ((head & 0x80) != 0 || wasted >= 33) {
            throw new CorruptAudioException("FLAC: damaged subframe header " + where());
        }
        int size = 33 - wasted;
        if (type == 0) {
            Arrays.fill(out, 0, blockSize, bits.readSignedLong(size));
        } else if (type == 1) {
            for (int i = 0; i < blockSize; i++) {
                out[i] = bits.readSignedLong(size);
            }
        } else if (type >= 8 && type <= 12 || type >= 32) {
            boolean fixed = type <= 12;
            int order = checkedOrder(fixed ? type - 8 : type - 31, blockSize);
            for (int i = 0; i < order; i++) {
                out[i] = bits.readSignedLong(size);
            }
            int shift = fixed ? 0 : readLpcCoefficients(order);
            readResidual(scratch, order, blockSize);
            for (int i = order; i < blockSize; i++) {
                out[i] = scratch[i];
            }
            if (fixed) {
                FlacPrediction.fixedWide(out, order, blockSize);
            } else {
                FlacPrediction.lpcWide(out, coefficients, order, shift, blockSize);
            }
        } else {
            throw new CorruptAudioException("FLAC: reserved subframe type " + type + " " + where());
        }
        if (wasted > 0) {
            for (int i = 0; i < blockSize; i++) {
                out[i] <<= wasted;
            }
        }
    }

    private int checkedOrder(int order, int blockSize) throws CorruptAudioException {
        if (order > blockSize) {
            throw new CorruptAudioException("FLAC: a predictor of order " + order + " for " + blockSize
                    + " samples " + where());
        }
        return order;
    }

    /** The quantised LPC coefficients into {@link #coefficients}; the shift of their sum. */
    private int readLpcCoefficients(int order) throws IOException {
        int precision = bits.readBits(4) + 1;
        int shift = bits.readSigned(5);
        if (precision == 16 || shift < 0) {
            throw new CorruptAudioException("FLAC: damaged LPC subframe " + where());
        }
        for (int i = 0; i < order; i++) {
            coefficients[i] = bits.readSigned(precision);
        }
        return shift;
    }

    /** The partitioned Rice residual into {@code out[order..blockSize)}. */
    private void readResidual(int[] out, int order, int blockSize) throws IOException {
        int method = bits.readBits(2);
        if (method > 1) {
            throw new CorruptAudioException("FLAC: reserved residual coding " + where());
        }
        int parameterBits = method == 0 ? 4 : 5;
        int escape = method == 0 ? 15 : 31;
        int partitionOrder = bits.readBits(4);
        int partitionSize = blockSize >>> partitionOrder;
        if ((partitionSize << partitionOrder) != blockSize || partitionSize < order) {
            throw new CorruptAudioException("FLAC: residual partitions do not fit the block " + where());
        }
        int start = order;
        for (int end = partitionSize; end <= blockSize; end += partitionSize) {
            int parameter = bits.readBits(parameterBits);
            if (parameter == escape) {
                int raw = bits.readBits(5);
                for (int i = start; i < end; i++) {
                    out[i] = bits.readSigned(raw);
                }
            } else {
                bits.readRice(out, start, end, parameter);
            }
            start = end;
        }
    }

    // ---- stereo -------------------------------------------------------------------------------

    /** Left and right from a stereo frame coded as left/side, side/right or mid/side. */
    private void decorrelate(int assignment, int blockSize) {
        int[] a = samples[0];
        int[] b = samples[1];
        if (assignment == LEFT_SIDE) {
            for (int i = 0; i < blockSize; i++) {
                b[i] = a[i] - b[i];
            }
        } else if (assignment == SIDE_RIGHT) {
            for (int i = 0; i < blockSize; i++) {
                a[i] += b[i];
            }
        } else {
            for (int i = 0; i < blockSize; i++) {
                long side = b[i];
                long mid = ((long) a[i] << 1) | (side & 1);
                a[i] = (int) ((mid + side) >> 1);
                b[i] = (int) ((mid - side) >> 1);
            }
        }
    }

    /** As {@link #decorrelate} for 32-bit stereo, whose side channel is in {@link #wideSide}. */
    private void decorrelateWide(int assignment, int blockSize) {
        int[] a = samples[0];
        int[] b = samples[1];
        long[] side = wideSide;
        for (int i = 0; i < blockSize; i++) {
            if (assignment == LEFT_SIDE) {
                b[i] = (int) (a[i] - side[i]);
            } else if (assignment == SIDE_RIGHT) {
                a[i] = (int) (side[i] + b[i]);
            } else {
                long mid = ((long) a[i] << 1) | (side[i] & 1);
                a[i] = (int) ((mid + side[i]) >> 1);
                b[i] = (int) ((mid - side[i]) >> 1);
            }
        }
    }
}
