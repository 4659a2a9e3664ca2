package studio.nexus.audio.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static studio.nexus.audio.Signals.db;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import studio.nexus.audio.ArrayAudioSource;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.Signals;

/** What the sample-rate converter promises: fidelity, no aliasing, exact length and timing, any block sizes. */
class ResamplerTest {

    /** {@code in} converted to {@code outRate}, read in blocks of {@code block} frames. */
    static float[][] convert(float[][] in, double inRate, double outRate, int block) throws IOException {
        return readAll(new ResampledSource(new ArrayAudioSource(in, inRate), outRate), block);
    }

    static float[][] convert(float[][] in, double inRate, double outRate) throws IOException {
        return convert(in, inRate, outRate, 1 << 20);
    }

    static float[][] readAll(AudioSource source, int block) throws IOException {
        int channels = source.channels();
        float[][] buffer = new float[channels][block];
        float[][] out = new float[channels][1024];
        int length = 0;
        for (int n; (n = source.read(buffer, block)) >= 0; ) {
            assertTrue(n > 0 || block == 0, "a read before the end gives frames");
            if (length + n > out[0].length) {
                for (int c = 0; c < channels; c++) {
                    out[c] = Arrays.copyOf(out[c], Math.max(2 * out[c].length, length + n));
                }
            }
            for (int c = 0; c < channels; c++) {
                System.arraycopy(buffer[c], 0, out[c], length, n);
            }
            length += n;
        }
        for (int c = 0; c < channels; c++) {
            out[c] = Arrays.copyOf(out[c], length);
        }
        return out;
    }

    /** A sine computed in double precision: {@code amplitude · sin(2π·hz·i/rate)}. */
    static float[][] sine(int channels, int frames, double rate, double hz, double amplitude) {
        return Signals.sine(channels, frames, rate, hz, amplitude);
    }

    /**
     * Fits {@code a·sin + b·cos + dc} at {@code hz} to {@code x[from..to)} by least squares.
     *
     * @return {amplitude, THD+N in dB (the residual's RMS against the fitted sine's)}
     */
    static double[] fitSine(float[] x, int from, int to, double rate, double hz) {
        double[][] m = new double[3][4];
        double w = 2 * Math.PI * hz / rate;
        for (int i = from; i < to; i++) {
            double[] basis = {Math.sin(w * i), Math.cos(w * i), 1};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    m[r][c] += basis[r] * basis[c];
                }
                m[r][3] += basis[r] * x[i];
            }
        }
        for (int p = 0; p < 3; p++) { // Gauss-Jordan, the matrix is well conditioned
            for (int r = 0; r < 3; r++) {
                if (r != p) {
                    double f = m[r][p] / m[p][p];
                    for (int c = p; c < 4; c++) {
                        m[r][c] -= f * m[p][c];
                    }
                }
            }
        }
        double a = m[0][3] / m[0][0];
        double b = m[1][3] / m[1][1];
        double dc = m[2][3] / m[2][2];
        double residual = 0;
        for (int i = from; i < to; i++) {
            double e = x[i] - (a * Math.sin(w * i) + b * Math.cos(w * i) + dc);
            residual += e * e;
        }
        double amplitude = Math.hypot(a, b);
        double rms = Math.sqrt(residual / (to - from));
        return new double[] {amplitude, db(rms / (amplitude / Math.sqrt(2)))};
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"48000, 44100", "44100, 48000", "22050, 44100", "96000, 44100", "44100, 96000", "8000, 44100",
            "44100, 47999", "192000, 48000"})
    void aOneKilohertzSineKeepsItsFrequencyLevelAndPhaseWithDistortionAndNoiseBelowMinus90Db(double in, double out)
            throws IOException {
        double amplitude = 0.5;
        float[][] x = sine(2, (int) in * 2, in, 1000, amplitude);
        float[][] y = convert(x, in, out);
        int edge = (int) out / 10; // away from the start and the end, where the input is cut off
        for (int c = 0; c < 2; c++) {
            double[] fit = fitSine(y[c], edge, y[c].length - edge, out, 1000);
            double levelDb = db(fit[0] / amplitude);
            System.out.printf("%.0f -> %.0f Hz, 1 kHz at -6 dBFS: level %+.6f dB, THD+N %.1f dB%n", in, out, levelDb,
                    fit[1]);
            assertEquals(0, levelDb, 0.05, "level in dB");
            assertTrue(fit[1] < -90, "THD+N " + fit[1] + " dB");
            // frequency and phase: the output is the same sine sampled at the new rate, with no delay
            double error = 0;
            for (int j = edge; j < y[c].length - edge; j++) {
                double ideal = amplitude * Math.sin(2 * Math.PI * 1000 * j / out);
                error = Math.max(error, Math.abs(y[c][j] - ideal));
            }
            double errorDb = db(error / amplitude);
            assertTrue(errorDb < -90, "largest difference from the ideal sine " + errorDb + " dB");
        }
        assertEquals(1000, Signals.dominantFrequency(y[0], edge, edge + (int) out / 2, out, 995, 1005), 0.25);
    }

    /** Near the top of the pass band the blended table (odd ratios) is at its least exact: still far below −90 dB. */
    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"48000, 44100", "44100, 48000", "44100, 47999", "48000, 44101"})
    void aNineteenKilohertzSineStaysCleanOnBothKindsOfTable(double in, double out) throws IOException {
        float[][] y = convert(sine(1, (int) in, in, 19_000, 0.5), in, out);
        int edge = (int) out / 10;
        double[] fit = fitSine(y[0], edge, y[0].length - edge, out, 19_000);
        System.out.printf("%.0f -> %.0f Hz, 19 kHz at -6 dBFS: level %+.6f dB, THD+N %.1f dB%n", in, out,
                db(fit[0] / 0.5), fit[1]);
        assertEquals(0, db(fit[0] / 0.5), 0.001, "level in dB");
        assertTrue(fit[1] < -120, "THD+N " + fit[1] + " dB");
    }

    @ParameterizedTest(name = "{0} -> {1} Hz, tone {2} Hz")
    @CsvSource({"48000, 22050, 20000", "48000, 22050, 12000", "48000, 44100, 23000", "96000, 44100, 30000",
            "44100, 8000, 5000", "192000, 44100, 80000"})
    void aToneAboveTheNewNyquistFrequencyIsAttenuatedByAtLeast80DbInsteadOfFoldingBack(double in, double out,
            double hz) throws IOException {
        float[][] x = sine(1, (int) in, in, hz, 1.0);
        float[][] y = convert(x, in, out);
        int edge = (int) out / 10;
        double attenuation = db(Signals.rms(y[0], edge, y[0].length - edge) / Math.sqrt(0.5));
        double alias = Math.abs(out - hz % out) < out / 2 ? Math.abs(out - hz % out) : hz % out;
        System.out.printf("%.0f -> %.0f Hz, %.0f Hz tone at 0 dBFS (alias at %.0f Hz): %.1f dB%n", in, out, hz, alias,
                attenuation);
        assertTrue(attenuation <= -80, "a " + hz + " Hz tone comes out at " + attenuation + " dB");
    }

    @Test
    void thePassBandIsFlatTo20KilohertzAt44100() throws IOException {
        for (double hz : new double[] {20, 100, 5000, 15000, 19000, 20000}) {
            float[][] y = convert(sine(1, 48000, 48000, hz, 0.5), 48000, 44100);
            double[] fit = fitSine(y[0], 4410, y[0].length - 4410, 44100, hz);
            assertEquals(0, db(fit[0] / 0.5), 0.01, hz + " Hz");
        }
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"48000, 44100", "44100, 48000", "22050, 44100", "96000, 44100", "44100, 47999", "384000, 8000",
            "8000, 384000"})
    void dcPassesAtUnityGain(double in, double out) throws IOException {
        float[][] x = new float[1][(int) in / 4];
        Arrays.fill(x[0], 0.75f);
        float[] y = convert(x, in, out)[0];
        int taps = new Resampler(in, out, 1).taps();
        int margin = (int) Math.ceil(taps * out / in);
        for (int j = margin; j < y.length - margin; j++) {
            assertEquals(0.75f, y[j], 0.75e-6f, "frame " + j); // unity within 1e-6 (10^-5 dB)
        }
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"48000, 44100", "44100, 48000", "22050, 44100", "96000, 44100", "44100, 47999", "384000, 8000",
            "8000, 384000", "44100, 44100"})
    void theOutputLastsRoundOfTheInputTimesTheRatio(double in, double out) throws IOException {
        for (int frames : new int[] {0, 1, 2, 3, 7, 147, 160, 1000, 4801, 44_100, 100_003}) {
            long expected = Math.round(frames * out / in);
            float[][] y = convert(new float[1][frames], in, out, 999);
            assertEquals(expected, y[0].length, frames + " frames");
            // a source that does not say its length is converted to the same length
            ResampledSource s = new ResampledSource(unknownLength(new ArrayAudioSource(new float[1][frames], in)), out);
            assertEquals(AudioSource.UNKNOWN_LENGTH, s.lengthFrames());
            assertEquals(expected, readAll(s, 1000)[0].length);
            ResampledSource known = new ResampledSource(new ArrayAudioSource(new float[1][frames], in), out);
            assertEquals(expected, known.lengthFrames());
        }
        assertEquals(Math.round(3_600L * 48_000 * out / in), Resampler.outputLength(3_600L * 48_000, in, out));
        long huge = 1L << 50;
        assertEquals(Math.round(huge * (out / in)), Resampler.outputLength(huge, in, out), 1.0 * huge * 1e-15);
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"48000, 44100", "44100, 48000", "22050, 44100", "96000, 44100", "44100, 47999", "192000, 8000",
            "8000, 192000"})
    void aClickAtInputFrameNLandsOnOutputFrameNTimesTheRatio(double in, double out) throws IOException {
        for (int n : new int[] {0, 1, 5, 147, 1000, 4321, 9999}) {
            float[][] x = new float[1][10_000];
            x[0][n] = 1f;
            float[] y = convert(x, in, out)[0];
            int peak = 0;
            for (int j = 1; j < y.length; j++) {
                if (Math.abs(y[j]) > Math.abs(y[peak])) {
                    peak = j;
                }
            }
            assertEquals(n * out / in, peak, 1.0, "click at input frame " + n);
        }
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"48000, 44100", "44100, 48000", "44100, 47999", "96000, 22050"})
    void oddBlockSizesGiveExactlyTheSameSamplesAsOneRead(double in, double out) throws IOException {
        float[][] x = Signals.music(2, 30_000, in);
        float[][] whole = convert(x, in, out);
        for (int block : new int[] {1, 2, 3, 7, 333, 1023, 2049, 4097}) {
            float[][] y = convert(x, in, out, block);
            for (int c = 0; c < 2; c++) {
                assertArrayEquals(whole[c], y[c], 0f, "channel " + c + ", blocks of " + block);
            }
        }
        // and a reader that changes its block every time
        ResampledSource s = new ResampledSource(new ArrayAudioSource(x, in), out);
        float[][] buffer = new float[2][500];
        int at = 0;
        for (int i = 0, n; (n = s.read(buffer, 1 + (i * 37) % 500)) > 0; i++, at += n) {
            for (int c = 0; c < 2; c++) {
                assertArrayEquals(Arrays.copyOfRange(whole[c], at, at + n), Arrays.copyOf(buffer[c], n), 0f);
            }
        }
        assertEquals(whole[0].length, at);
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"48000, 44100", "44100, 48000", "44100, 47999", "96000, 22050", "22050, 44100"})
    void aStreamStartedOrSkippedToALaterFrameGivesTheSameSamplesFromThere(double in, double out) throws IOException {
        float[][] x = Signals.music(2, 30_000, in);
        float[][] whole = convert(x, in, out);
        for (long from : new long[] {0, 1, 50, 146, 147, 160, 1001, 6_000, whole[0].length - 3, whole[0].length}) {
            Resampler r = new Resampler(in, out, 2, from);
            int at = (int) r.nextInputFrame();
            assertTrue(at >= 0 && at <= Math.max(0, (long) (from * in / out)), "starts reading at " + at);
            float[][] rest = new float[2][];
            for (int c = 0; c < 2; c++) {
                rest[c] = Arrays.copyOfRange(x[c], at, x[c].length);
            }
            float[][] y = readAll(new ResampledSource(new ArrayAudioSource(rest, in), r), 777);
            float[][] skipped = new float[2][];
            ResampledSource s = new ResampledSource(new ArrayAudioSource(x, in), out);
            float[][] first = new float[2][100];
            s.read(first, (int) Math.min(100, from)); // read a little, then skip the rest of the way
            s.skip(from - Math.min(100, from));
            assertEquals(from, s.position());
            skipped = readAll(s, 500);
            for (int c = 0; c < 2; c++) {
                float[] expected = Arrays.copyOfRange(whole[c], (int) from, whole[c].length);
                assertArrayEquals(expected, y[c], 0f, "started at " + from);
                assertArrayEquals(expected, skipped[c], 0f, "skipped to " + from);
            }
        }
        // past the end: the source, opened where the resampler asks, is already over, and so is the stream
        Resampler late = new Resampler(in, out, 2, whole[0].length + 1000);
        assertTrue(late.nextInputFrame() > x[0].length);
        ResampledSource over = new ResampledSource(new ArrayAudioSource(new float[2][0], in), late);
        assertEquals(-1, over.read(new float[2][10], 10));
    }

    @Test
    void tenMinutesAt48kHzThroughTheConverterAllocateNothingPerBlock() throws IOException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long frames = 48_000L * 600;
        float[][] buffer = new float[2][1024];
        ResampledSource warmUp = new ResampledSource(new Noise(48_000, 2, 48_000L * 30), 44_100);
        while (warmUp.read(buffer, 1024) > 0) {
            // the JIT settles first
        }
        ResampledSource s = new ResampledSource(new Noise(48_000, 2, frames), 44_100);
        long total = 0;
        long before = 0;
        long baseline = 0;
        int blocks = 0;
        for (int n; (n = s.read(buffer, 1024)) > 0; ) {
            total += n;
            if (++blocks == 100) {
                before = mx.getCurrentThreadAllocatedBytes();
                baseline = mx.getCurrentThreadAllocatedBytes() - before; // what asking costs
            }
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before - 2 * baseline;
        assertEquals(44_100L * 600, total);
        // nothing per block: one object per block would be ≥ 16 bytes × 25 000 blocks; a late recompilation of the
        // JIT's may leave a hundred bytes or so once
        assertTrue(allocated < 1024, allocated + " bytes allocated by " + (blocks - 100) + " blocks");
    }

    @Test
    void ratesOutsideTheRangeAreRefusedInWords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Resampler(4000, 44100, 1));
        assertTrue(e.getMessage().contains("8000..384000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Resampler(Double.NaN, 44100, 1));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(44100, 500_000, 1));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(44100, 48000, 0));
    }

    @Test
    void anyChannelCountIsConvertedChannelByChannel() throws IOException {
        float[][] x = new float[6][5000];
        for (int c = 0; c < 6; c++) {
            x[c] = sine(1, 5000, 48000, 300 * (c + 1), 0.1 * (c + 1))[0];
        }
        float[][] y = convert(x, 48000, 44100);
        for (int c = 0; c < 6; c++) {
            assertArrayEquals(convert(new float[][] {x[c]}, 48000, 44100)[0], y[c], 0f, "channel " + c);
        }
    }

    /** {@code source} as a stream that does not say its length. */
    static AudioSource unknownLength(AudioSource source) {
        return new AudioSource() {
            @Override public double sampleRate() { return source.sampleRate(); }
            @Override public int channels() { return source.channels(); }
            @Override public long lengthFrames() { return UNKNOWN_LENGTH; }
            @Override public int read(float[][] buffer, int frames) throws IOException {
                return source.read(buffer, frames);
            }
            @Override public void close() throws IOException {
                source.close();
            }
        };
    }

    /** Deterministic noise computed as it is read; reads allocate nothing. */
    static final class Noise implements AudioSource {
        private final double rate;
        private final int channels;
        private final long frames;
        private long position;
        private long seed = 42;

        Noise(double rate, int channels, long frames) {
            this.rate = rate;
            this.channels = channels;
            this.frames = frames;
        }

        @Override public double sampleRate() { return rate; }
        @Override public int channels() { return channels; }
        @Override public long lengthFrames() { return frames; }
        @Override public int read(float[][] b, int max) {
            if (position >= frames) {
                return -1;
            }
            int n = (int) Math.min(max, frames - position);
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < n; i++) {
                    seed = seed * 6364136223846793005L + 1442695040888963407L;
                    b[c][i] = ((seed >>> 40) / (float) (1 << 24) - 0.5f) * 0.5f;
                }
            }
            position += n;
            return n;
        }
        @Override public void close() {}
    }
}
