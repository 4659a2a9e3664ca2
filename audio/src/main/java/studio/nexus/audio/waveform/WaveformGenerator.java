package studio.nexus.audio.waveform;

import java.io.IOException;
import studio.nexus.audio.AudioSource;

/**
 * Computes peaks in one streaming pass (memory: one read block plus the output). Samples map to integers
 * as the decoders map integers to floats: v16 = clamp(round(x × 32768), −32768, 32767); 8-bit values are
 * v16 >> 8 (as audiowaveform does). Mono mix = mean of the channels. The last, partial pixel is kept.
 * Stateless; thread-safe.
 */
public final class WaveformGenerator {
    private static final int BLOCK = 8192;

    private WaveformGenerator() {}

    /** Reads {@code source} to its end (does not close it). */
    public static WaveformData compute(AudioSource source, WaveformOptions options) throws IOException {
        int inChannels = source.channels();
        int outChannels = options.splitChannels() ? inChannels : 1;
        int spp = options.samplesPerPixel();
        boolean eight = options.bits() == 8;
        // a header's length is only a claim (a FLAC may declare 99 hours and hold a frame): start modest and grow
        IntList data = new IntList(source.lengthFrames() > 0
                ? (int) Math.min(1 << 18, (source.lengthFrames() / spp + 1) * outChannels * 2) : 1024);
        float[][] buf = new float[inChannels][BLOCK];
        int[] lo = new int[outChannels];
        int[] hi = new int[outChannels];
        resetPixel(lo, hi);
        int inPixel = 0;
        int pixels = 0;
        float mixScale = 1f / inChannels;
        int n;
        while ((n = source.read(buf, BLOCK)) >= 0) {
            for (int i = 0; i < n; i++) {
                if (options.splitChannels()) {
                    for (int c = 0; c < inChannels; c++) {
                        int v = toInt(buf[c][i]);
                        lo[c] = Math.min(lo[c], v);
                        hi[c] = Math.max(hi[c], v);
                    }
                } else {
                    float sum = 0;
                    for (int c = 0; c < inChannels; c++) {
                        sum += buf[c][i];
                    }
                    int v = toInt(sum * mixScale);
                    lo[0] = Math.min(lo[0], v);
                    hi[0] = Math.max(hi[0], v);
                }
                if (++inPixel == spp) {
                    emit(data, lo, hi, eight);
                    resetPixel(lo, hi);
                    inPixel = 0;
                    pixels++;
                }
            }
        }
        if (inPixel > 0) {
            emit(data, lo, hi, eight);
            pixels++;
        }
        return new WaveformData(outChannels, (int) Math.round(source.sampleRate()), spp, options.bits(), pixels,
                data.toArray());
    }

    static int toInt(float x) {
        long v = Math.round(x * 32768.0);
        if (v > 32767) {
            return 32767;
        }
        if (v < -32768 || Float.isNaN(x)) {
            return Float.isNaN(x) ? 0 : -32768;
        }
        return (int) v;
    }

    private static void emit(IntList data, int[] lo, int[] hi, boolean eight) {
        for (int c = 0; c < lo.length; c++) {
            data.add(eight ? lo[c] >> 8 : lo[c]);
            data.add(eight ? hi[c] >> 8 : hi[c]);
        }
    }

    private static void resetPixel(int[] lo, int[] hi) {
        java.util.Arrays.fill(lo, Integer.MAX_VALUE);
        java.util.Arrays.fill(hi, Integer.MIN_VALUE);
    }

    /** Growable int array without boxing. */
    private static final class IntList {
        private int[] values;
        private int size;

        IntList(int capacity) {
            values = new int[Math.max(16, capacity)];
        }

        void add(int v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
