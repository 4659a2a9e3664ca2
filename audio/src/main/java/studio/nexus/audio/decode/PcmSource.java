package studio.nexus.audio.decode;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streams interleaved PCM/float bytes from a WAV or AIFF data chunk as float samples. Holds one block of
 * raw bytes (4096 frames); never sizes anything from the header's data length.
 */
final class PcmSource implements DecodedAudio {

    enum Encoding { UNSIGNED_8, SIGNED_LE, SIGNED_BE, FLOAT_LE, FLOAT_BE, MU_LAW, A_LAW }

    /** G.711 expansion tables (ITU-T G.711), scaled to ±1. */
    private static final float[] MU_LAW_TABLE = new float[256];
    private static final float[] A_LAW_TABLE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            int u = ~i & 0xff;
            int t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
            MU_LAW_TABLE[i] = ((u & 0x80) != 0 ? 0x84 - t : t - 0x84) / 32768f;
            int a = i ^ 0x55;
            int mantissa = (a & 0x0f) << 4;
            int segment = (a & 0x70) >> 4;
            int v = segment == 0 ? mantissa + 8 : segment == 1 ? mantissa + 0x108 : (mantissa + 0x108) << (segment - 1);
            A_LAW_TABLE[i] = ((a & 0x80) != 0 ? v : -v) / 32768f;
        }
    }

    private static final int BLOCK_FRAMES = 4096;
    private final InputStream in;
    private final AudioFormatInfo info;
    private final Encoding encoding;
    private final int bytesPerSample;
    private final int channels;
    private final int frameBytes;
    private final byte[] raw;
    private long framesLeft; // -1: until EOF

    PcmSource(InputStream in, AudioFormatInfo info, Encoding encoding, int bytesPerSample, long framesToRead) {
        this.in = in;
        this.info = info;
        this.encoding = encoding;
        this.bytesPerSample = bytesPerSample;
        this.channels = info.channels();
        this.frameBytes = bytesPerSample * channels;
        this.raw = new byte[BLOCK_FRAMES * frameBytes];
        this.framesLeft = framesToRead;
    }

    @Override
    public AudioFormatInfo info() {
        return info;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int read(float[][] buffer, int frames) throws IOException {
        if (framesLeft == 0) {
            return -1;
        }
        int want = Math.min(frames, BLOCK_FRAMES);
        if (framesLeft > 0) {
            want = (int) Math.min(want, framesLeft);
        }
        int bytes = in.readNBytes(raw, 0, want * frameBytes);
        int n = bytes / frameBytes; // a partial trailing frame (truncated file) is dropped
        if (n == 0) {
            framesLeft = 0;
            return -1;
        }
        if (framesLeft > 0) {
            framesLeft -= n;
        }
        if (n < want) {
            framesLeft = 0; // hit EOF early: truncated data, deliver what is there
        }
        convert(buffer, n);
        return n;
    }

    private void convert(float[][] out, int frames) {
        byte[] b = raw;
        if (encoding == Encoding.SIGNED_LE && bytesPerSample == 2) { // the common case, channel-major
            for (int c = 0; c < channels; c++) {
                float[] x = out[c];
                int p = 2 * c;
                for (int i = 0; i < frames; i++) {
                    x[i] = (short) ((b[p] & 0xff) | (b[p + 1] << 8)) * (1f / 32768f);
                    p += frameBytes;
                }
            }
            return;
        }
        int p = 0;
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) {
                out[c][i] = sample(b, p);
                p += bytesPerSample;
            }
        }
    }

    private float sample(byte[] b, int p) {
        switch (encoding) {
            case UNSIGNED_8:
                return ((b[p] & 0xff) - 128) / 128f;
            case MU_LAW:
                return MU_LAW_TABLE[b[p] & 0xff];
            case A_LAW:
                return A_LAW_TABLE[b[p] & 0xff];
            case SIGNED_LE:
                switch (bytesPerSample) {
                    case 1: return b[p] / 128f;
                    case 2: return (short) ((b[p] & 0xff) | (b[p + 1] << 8)) / 32768f;
                    case 3: return ((b[p] & 0xff) | ((b[p + 1] & 0xff) << 8) | (b[p + 2] << 16)) / 8388608f;
                    default: return (float) (((b[p] & 0xff) | ((b[p + 1] & 0xff) << 8) | ((b[p + 2] & 0xff) << 16)
                            | (b[p + 3] << 24)) / 2147483648.0);
                }
            case SIGNED_BE:
                switch (bytesPerSample) {
                    case 1: return b[p] / 128f;
                    case 2: return (short) ((b[p + 1] & 0xff) | (b[p] << 8)) / 32768f;
                    case 3: return ((b[p + 2] & 0xff) | ((b[p + 1] & 0xff) << 8) | (b[p] << 16)) / 8388608f;
                    default: return (float) (((b[p + 3] & 0xff) | ((b[p + 2] & 0xff) << 8) | ((b[p + 1] & 0xff) << 16)
                            | (b[p] << 24)) / 2147483648.0);
                }
            case FLOAT_LE:
                if (bytesPerSample == 4) {
                    return Float.intBitsToFloat(le32(b, p));
                }
                return (float) Double.longBitsToDouble((le32(b, p) & 0xffffffffL) | ((long) le32(b, p + 4) << 32));
            default: // FLOAT_BE
                if (bytesPerSample == 4) {
                    return Float.intBitsToFloat(be32(b, p));
                }
                return (float) Double.longBitsToDouble(((long) be32(b, p) << 32) | (be32(b, p + 4) & 0xffffffffL));
        }
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xff) | ((b[p + 1] & 0xff) << 8) | ((b[p + 2] & 0xff) << 16) | (b[p + 3] << 24);
    }

    private static int be32(byte[] b, int p) {
        return (b[p + 3] & 0xff) | ((b[p + 2] & 0xff) << 8) | ((b[p + 1] & 0xff) << 16) | (b[p] << 24);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
