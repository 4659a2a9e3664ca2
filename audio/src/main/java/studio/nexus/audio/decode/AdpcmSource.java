package studio.nexus.audio.decode;

import java.io.IOException;
import java.io.InputStream;

/**
 * 4-bit ADPCM in WAV, as phones, old recorders and games wrote it: IMA (DVI, tag 0x11) and Microsoft
 * (tag 2). Hand-written from the published formats (IMA's Recommended Practices; Microsoft's
 * "ADPCM in RIFF"): both code a block of {@code blockAlign} bytes that starts with each channel's
 * predictor state, so blocks decode independently and a damaged one cannot spread.
 *
 * <p>The length comes from the {@code fact} chunk when there is one (a last block is usually padded),
 * else from whole and partial blocks of the data chunk. Holds one block of bytes and one of samples,
 * both at most {@value #MAX_BLOCK_ALIGN} bytes' worth; nothing is sized from the data length.
 * Not thread-safe.
 */
final class AdpcmSource implements DecodedAudio {
    /** Encoders use 256 to 4096 bytes per block; anything past this is a lying header. */
    static final int MAX_BLOCK_ALIGN = 1 << 16;

    private static final int[] IMA_STEPS = {7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37,
        41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107, 118, 130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371,
        408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499,
        2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635,
        13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767};
    private static final int[] IMA_INDEX = {-1, -1, -1, -1, 2, 4, 6, 8, -1, -1, -1, -1, 2, 4, 6, 8};
    private static final int[] MS_ADAPT = {230, 230, 230, 230, 307, 409, 512, 614, 768, 614, 512, 409, 307, 230,
        230, 230};
    private static final int[][] MS_STANDARD_COEFFICIENTS = {{256, 0}, {512, -256}, {0, 0}, {192, 64}, {240, 0},
        {460, -208}, {392, -232}};

    private final InputStream in;
    private final AudioFormatInfo info;
    private final boolean ima;
    private final int channels;
    private final int blockAlign;
    private final int samplesPerBlock;
    private final int[][] coefficients;
    private final byte[] block;
    private final short[] decoded; // one block, interleaved
    private final int[] c1 = new int[8];
    private final int[] c2 = new int[8];
    private final int[] delta = new int[8];
    private final int[] s1 = new int[8];
    private final int[] s2 = new int[8];
    private long bytesLeft; // of the data chunk; -1: until end of input
    private long framesLeft; // -1: until the data ends
    private int decodedFrames;
    private int decodedOffset;

    private AdpcmSource(InputStream in, AudioFormatInfo info, boolean ima, int blockAlign, int samplesPerBlock,
            int[][] coefficients, long dataBytes, long frames) {
        this.in = in;
        this.info = info;
        this.ima = ima;
        this.channels = info.channels();
        this.blockAlign = blockAlign;
        this.samplesPerBlock = samplesPerBlock;
        this.coefficients = coefficients;
        this.block = new byte[blockAlign];
        this.decoded = new short[samplesPerBlock * channels];
        this.bytesLeft = dataBytes;
        this.framesLeft = frames;
    }

    static DecodedAudio open(InputStream in, WavReader.Fmt f, String name, long dataStart, long dataSize,
            long fileSize, long factFrames) throws IOException {
        boolean ima = f.tag == 0x11;
        String kind = name + " " + (ima ? "IMA ADPCM" : "MS ADPCM");
        if (f.bigEndian) {
            throw new UnsupportedAudioFormatException(kind + " in big-endian RIFX");
        }
        Limits.checkChannels(kind, f.channels);
        Limits.checkRate(kind, f.rate);
        if (f.bits != 4) {
            throw new UnsupportedAudioFormatException(kind + " with " + f.bits + " bits per sample (supported: 4)");
        }
        int channels = f.channels;
        int header = (ima ? 4 : 7) * channels;
        if (f.blockAlign <= header || f.blockAlign > MAX_BLOCK_ALIGN || (ima && f.blockAlign % (4 * channels) != 0)) {
            throw new CorruptAudioException(kind + ": block align " + f.blockAlign + " for " + channels + " channels");
        }
        int fit = ima ? (f.blockAlign - header) * 2 / channels + 1 : (f.blockAlign - header) * 2 / channels + 2;
        int declared = f.u16(18); // wSamplesPerBlock, after cbSize
        if (declared > fit) {
            throw new CorruptAudioException(kind + ": " + declared + " samples per block do not fit in "
                    + f.blockAlign + " bytes");
        }
        int samplesPerBlock = declared > 0 ? declared : fit;
        int[][] coefficients = MS_STANDARD_COEFFICIENTS;
        if (!ima && f.u16(20) > 0) {
            int count = f.u16(20);
            if (count < 7 || count > 256 || 22 + 4 * count > f.raw.length) {
                throw new CorruptAudioException(kind + ": " + count + " predictor coefficients in a "
                        + f.raw.length + "-byte fmt chunk");
            }
            coefficients = new int[count][2];
            for (int i = 0; i < count; i++) {
                coefficients[i][0] = (short) f.u16(22 + 4 * i);
                coefficients[i][1] = (short) f.u16(24 + 4 * i);
            }
        }
        long present = fileSize >= 0 ? Math.max(0, fileSize - dataStart) : -1;
        long dataBytes = dataSize >= 0 && present >= 0 ? Math.min(dataSize, present) : dataSize >= 0 ? dataSize : present;
        boolean truncated = dataSize >= 0 && present >= 0 && dataSize > present;
        long frames = -1;
        if (dataBytes >= 0) {
            long whole = dataBytes / f.blockAlign;
            long rest = dataBytes % f.blockAlign;
            frames = whole * samplesPerBlock + (rest > header ? framesIn((int) rest, ima, channels) : 0);
            frames = Math.min(frames, whole * samplesPerBlock + samplesPerBlock);
            if (factFrames >= 0 && factFrames <= frames && !truncated) {
                frames = factFrames;
            }
            if (frames == 0 && dataSize != 0 && present != 0) {
                throw new CorruptAudioException(kind + ": data chunk holds no complete block");
            }
            if (frames == 0 && present >= 0) {
                throw new NoAudioException(kind + ": the data chunk holds no samples");
            }
        } else if (factFrames >= 0) {
            frames = factFrames;
        }
        AudioFormatInfo info = AudioFormatInfo.of(name, (int) f.rate, channels, 4, frames, truncated);
        return new AdpcmSource(in, info, ima, f.blockAlign, samplesPerBlock, coefficients, dataBytes, frames);
    }

    /** Frames a (partial) block of {@code bytes} holds. */
    private static int framesIn(int bytes, boolean ima, int channels) {
        if (ima) {
            int groups = (bytes - 4 * channels) / (4 * channels);
            return groups * 8 + 1;
        }
        return (bytes - 7 * channels) * 2 / channels + 2;
    }

    @Override
    public AudioFormatInfo info() {
        return info;
    }

    @Override
    public int read(float[][] buffer, int frames) throws IOException {
        if (framesLeft == 0) {
            return -1; // the rest of the last block is padding
        }
        if (decodedOffset >= decodedFrames) {
            if (!decodeBlock()) {
                framesLeft = 0;
                return -1;
            }
        }
        int n = Math.min(frames, decodedFrames - decodedOffset);
        if (framesLeft >= 0) {
            n = (int) Math.min(n, framesLeft);
            framesLeft -= n;
        }
        for (int c = 0; c < channels; c++) {
            float[] out = buffer[c];
            int p = decodedOffset * channels + c;
            for (int i = 0; i < n; i++) {
                out[i] = decoded[p] * (1f / 32768f);
                p += channels;
            }
        }
        decodedOffset += n;
        return n;
    }

    private boolean decodeBlock() throws IOException {
        int want = bytesLeft >= 0 ? (int) Math.min(blockAlign, bytesLeft) : blockAlign;
        int got = in.readNBytes(block, 0, want);
        if (bytesLeft >= 0) {
            bytesLeft -= got;
        }
        int header = (ima ? 4 : 7) * channels;
        if (got <= header) {
            return false; // the data (or a truncated file) ends; a partial header holds no sample
        }
        int frames = Math.min(samplesPerBlock, framesIn(got, ima, channels));
        if (ima) {
            decodeIma(got, frames);
        } else {
            decodeMs(got, frames);
        }
        decodedFrames = frames;
        decodedOffset = 0;
        return true;
    }

    private void decodeIma(int bytes, int frames) throws CorruptAudioException {
        for (int c = 0; c < channels; c++) {
            int p = 4 * c;
            int predictor = (short) ((block[p] & 0xff) | (block[p + 1] << 8));
            int index = block[p + 2] & 0xff;
            if (index > 88) {
                throw new CorruptAudioException("WAV IMA ADPCM: step index " + index + " (at most 88)");
            }
            decoded[c] = (short) predictor;
            // after the headers, each channel's samples come in runs of 4 bytes (8 samples, low nibble first)
            int frame = 1;
            for (int group = 0; frame < frames; group++) {
                int start = 4 * channels + (group * channels + c) * 4;
                for (int k = 0; k < 8 && frame < frames; k++) {
                    int nibble = (block[start + (k >> 1)] >> ((k & 1) * 4)) & 0x0f;
                    int step = IMA_STEPS[index];
                    int diff = step >> 3;
                    if ((nibble & 1) != 0) {
                        diff += step >> 2;
                    }
                    if ((nibble & 2) != 0) {
                        diff += step >> 1;
                    }
                    if ((nibble & 4) != 0) {
                        diff += step;
                    }
                    predictor += (nibble & 8) != 0 ? -diff : diff;
                    predictor = Math.max(-32768, Math.min(32767, predictor));
                    index = Math.max(0, Math.min(88, index + IMA_INDEX[nibble]));
                    decoded[frame * channels + c] = (short) predictor;
                    frame++;
                }
            }
        }
    }

    private void decodeMs(int bytes, int frames) throws CorruptAudioException {
        for (int c = 0; c < channels; c++) {
            int predictor = block[c] & 0xff;
            if (predictor >= coefficients.length) {
                throw new CorruptAudioException("WAV MS ADPCM: predictor " + predictor + " of " + coefficients.length);
            }
            c1[c] = coefficients[predictor][0];
            c2[c] = coefficients[predictor][1];
            delta[c] = s16(channels + 2 * c);
            s1[c] = s16(3 * channels + 2 * c);
            s2[c] = s16(5 * channels + 2 * c);
            decoded[c] = (short) s2[c];
            if (frames > 1) {
                decoded[channels + c] = (short) s1[c];
            }
        }
        // then nibbles, high one first, the channels taking turns
        int p = 7 * channels;
        int nibbles = (frames - 2) * channels;
        for (int k = 0; k < nibbles; k++) {
            int nibble = k % 2 == 0 ? (block[p] >> 4) & 0x0f : block[p++] & 0x0f;
            int c = k % channels;
            int signed = nibble >= 8 ? nibble - 16 : nibble;
            int predicted = (s1[c] * c1[c] + s2[c] * c2[c]) >> 8;
            int sample = Math.max(-32768, Math.min(32767, predicted + signed * delta[c]));
            s2[c] = s1[c];
            s1[c] = sample;
            delta[c] = Math.max(16, Math.min(Integer.MAX_VALUE / 768, (MS_ADAPT[nibble] * delta[c]) >> 8));
            decoded[(2 + k / channels) * channels + c] = (short) sample;
        }
    }

    private int s16(int p) {
        return (short) ((block[p] & 0xff) | (block[p + 1] << 8));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
