package studio.nexus.audio.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our AAC-LC decoder: the codebooks as the standard prints them, the inverse transform, and whole files from
 * ffmpeg's encoder (rates 8-96 kHz, mono to 5.1, 64-320 kb/s, with and without noise substitution, transients
 * for short windows) against ffmpeg's own decode.
 */
class AacLcDecoderTest {
    @TempDir
    static Path dir;

    static final int[][] CODES = {AacTables.CODES_1, AacTables.CODES_2, AacTables.CODES_3, AacTables.CODES_4,
        AacTables.CODES_5, AacTables.CODES_6, AacTables.CODES_7, AacTables.CODES_8, AacTables.CODES_9,
        AacTables.CODES_10, AacTables.CODES_11, AacTables.SCALEFACTOR_CODES};
    static final int[][] LENGTHS = {AacTables.LENGTHS_1, AacTables.LENGTHS_2, AacTables.LENGTHS_3,
        AacTables.LENGTHS_4, AacTables.LENGTHS_5, AacTables.LENGTHS_6, AacTables.LENGTHS_7, AacTables.LENGTHS_8,
        AacTables.LENGTHS_9, AacTables.LENGTHS_10, AacTables.LENGTHS_11, AacTables.SCALEFACTOR_LENGTHS};
    static final int[] SIZES = {81, 81, 81, 81, 81, 81, 64, 64, 169, 169, 289, 121};

    @Test
    void everyCodebookIsCompletePrefixFreeAndEveryCodewordDecodesBackToItsIndex() throws Exception {
        for (int b = 0; b < CODES.length; b++) {
            int[] codes = CODES[b];
            int[] lengths = LENGTHS[b];
            assertEquals(SIZES[b], codes.length, "book " + (b + 1) + " size");
            double kraft = 0;
            for (int i = 0; i < codes.length; i++) {
                assertTrue(lengths[i] >= 1 && lengths[i] <= 19 && codes[i] >>> lengths[i] == 0, "book " + (b + 1));
                kraft += Math.pow(2, -lengths[i]);
                for (int j = 0; j < codes.length; j++) { // no codeword is the start of another
                    if (j != i && lengths[j] >= lengths[i]) {
                        assertTrue(codes[j] >>> (lengths[j] - lengths[i]) != codes[i],
                                "book " + (b + 1) + ": " + i + " prefixes " + j);
                    }
                }
            }
            assertEquals(1.0, kraft, 1e-12, "book " + (b + 1) + " uses every bit pattern");
            for (int primary : new int[] {6, 10}) {
                int[] table = AacBits.table(codes, lengths, primary);
                for (int i = 0; i < codes.length; i++) {
                    byte[] frame = new byte[8 + AacBits.PADDING];
                    long word = ((long) codes[i] << (64 - lengths[i])) | (0x5a5aL << (48 - lengths[i]));
                    for (int k = 0; k < 8; k++) {
                        frame[k] = (byte) (word >>> (56 - 8 * k));
                    }
                    AacBits in = new AacBits();
                    in.set(frame, 8);
                    assertEquals(i, in.decode(table, primary), "book " + (b + 1) + " index " + i);
                    assertEquals(lengths[i], in.position(), "book " + (b + 1) + " index " + i + " length");
                }
            }
        }
    }

    /** A second, independent transcription of the standard's tables (JAAD's, rows of length, code, values). */
    @Test
    void theCodebooksAndBandEdgesAgreeWithJaadsTranscriptionOfTheStandard() throws Exception {
        Class<?> books = Class.forName("net.sourceforge.jaad.aac.huffman.Codebooks");
        for (int b = 1; b <= 12; b++) {
            int[][] rows = (int[][]) constant(books, b == 12 ? "HCB_SF" : "HCB" + b);
            assertEquals(CODES[b - 1].length, rows.length, "book " + b);
            for (int[] row : rows) {
                int index;
                if (b == 12) {
                    index = row[2];
                } else {
                    int modulo = AacLcDecoder.modulo(b);
                    int offset = AacLcDecoder.signed(b) ? modulo / 2 : 0;
                    index = 0;
                    for (int d = 0; d < AacLcDecoder.dimensions(b); d++) {
                        index = index * modulo + row[2 + d] + offset;
                    }
                }
                assertEquals(row[0], LENGTHS[b - 1][index], "book " + b + " index " + index + " length");
                assertEquals(row[1], CODES[b - 1][index], "book " + b + " index " + index + " code");
            }
        }
        Class<?> bands = Class.forName("net.sourceforge.jaad.aac.syntax.ScaleFactorBands");
        int[][] longBands = (int[][]) constant(bands, "SWB_OFFSET_LONG_WINDOW");
        int[][] shortBands = (int[][]) constant(bands, "SWB_OFFSET_SHORT_WINDOW");
        for (int r = 0; r < 13; r++) {
            int[] l = AacTables.LONG_BANDS[r];
            int[] s = AacTables.SHORT_BANDS[r];
            assertEquals(1024, l[l.length - 1]);
            assertEquals(128, s[s.length - 1]);
            for (int i = 0; i < l.length; i++) {
                assertEquals(longBands[Math.min(r, 11)][i], l[i], "long band edge " + i + " at rate index " + r);
            }
            for (int i = 0; i < s.length; i++) {
                assertEquals(shortBands[Math.min(r, 11)][i], s[i], "short band edge " + i + " at rate index " + r);
            }
        }
    }

    static Object constant(Class<?> type, String name) throws ReflectiveOperationException {
        java.lang.reflect.Field f = type.getField(name);
        f.setAccessible(true); // JAAD's table interfaces are package-private
        return f.get(null);
    }

    @Test
    void theInverseTransformMatchesTheStandardsFormula() {
        Random r = new Random(5);
        for (int n : new int[] {256, 2048}) {
            float[] in = new float[n / 2];
            for (int k = 0; k < in.length; k++) {
                in[k] = (float) r.nextGaussian();
            }
            float[] out = new float[n];
            new AacImdct(n, 1).transform(in, 0, out, 0);
            double n0 = (n / 2.0 + 1) / 2;
            double worst = 0;
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int k = 0; k < n / 2; k++) {
                    sum += in[k] * Math.cos(2 * Math.PI / n * (i + n0) * (k + 0.5));
                }
                worst = Math.max(worst, Math.abs(2.0 / n * sum - out[i]));
            }
            assertTrue(worst < 1e-5, n + ": off by " + worst);
        }
    }

    /** Test material: "music" (tones with vibrato over quiet noise), "clicks" (bursts in silence), "noise". */
    static byte[] material(String kind, int rate, int channels, double seconds, long seed) {
        int frames = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + frames * channels * 2).put("WAVEfmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * channels * 2)
                .putShort((short) (channels * 2)).putShort((short) 16).put("data".getBytes())
                .putInt(frames * channels * 2);
        Random r = new Random(seed);
        double[] low = new double[channels];
        for (int i = 0; i < frames; i++) {
            double t = (double) i / rate;
            for (int c = 0; c < channels; c++) {
                double v;
                double white = r.nextGaussian();
                low[c] += 0.2 * (white - low[c]);
                switch (kind) {
                    case "clicks" -> {
                        double since = t % 0.23;
                        v = 0.7 * Math.exp(-since * 60) * white * (since < 0.08 ? 1 : 0)
                                + 0.1 * Math.sin(2 * Math.PI * 330 * t);
                    }
                    case "noise" -> v = 0.25 * white + 0.3 * low[c];
                    default -> v = 0.3 * Math.sin(2 * Math.PI * (220 + 55 * c) * t + 3 * Math.sin(2 * Math.PI * 5 * t))
                            + 0.15 * Math.sin(2 * Math.PI * (1760 + 110 * c) * t) + 0.02 * white;
                }
                b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32767))));
            }
        }
        return b.array();
    }

    static Path encode(String name, byte[] wav, String... args) throws Exception {
        Path in = dir.resolve(name + ".wav");
        Files.write(in, wav);
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-i", in.toString(), "-c:a", "aac"));
        cmd.addAll(List.of(args));
        cmd.add(out.toString());
        TestAudioFiles.run(cmd.toArray(String[]::new));
        return out;
    }

    static float[][] ffmpeg(Path file, int channels) throws Exception {
        Path raw = dir.resolve(file.getFileName() + ".f32");
        TestAudioFiles.run("ffmpeg", "-v", "error", "-y", "-i", file.toString(), "-f", "f32le", raw.toString());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        int frames = b.capacity() / 4 / channels;
        float[][] pcm = new float[channels][frames];
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) {
                pcm[c][i] = b.getFloat();
            }
        }
        return pcm;
    }

    @ParameterizedTest(name = "{0} {1} Hz {2} ch {3}")
    @CsvSource({"music.m4a, 44100, 2, 128k", "music.aac, 48000, 2, 320k", "music.m4a, 8000, 1, 64k",
        "music.m4a, 11025, 1, 64k", "music.aac, 16000, 1, 64k", "music.m4a, 22050, 2, 96k",
        "music.m4a, 32000, 2, 128k", "music.m4a, 64000, 2, 256k", "music.m4a, 96000, 2, 320k",
        "music.m4a, 48000, 6, 320k", "clicks.m4a, 44100, 2, 128k", "clicks.aac, 44100, 1, 64k",
        "noise.m4a, 44100, 2, 192k", "clicks.m4a, 48000, 6, 256k"})
    void withoutNoiseSubstitutionEverySampleMatchesFfmpegsDecodeAbove80Db(String name, int rate, int channels,
            String bitrate) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        String kind = name.substring(0, name.indexOf('.'));
        Path file = encode(rate + "-" + channels + "-" + bitrate + "-" + name,
                material(kind, rate, channels, 2.5, rate), "-aac_pns", "0", "-b:a", bitrate);
        float[][] want = ffmpeg(file, channels);
        try (DecodedAudio a = Decoders.open(file)) {
            assertEquals(rate, a.info().sampleRate());
            assertEquals(channels, a.info().channels());
            List<float[]> got = TestAudioFiles.decodeAll(a);
            long expected = name.endsWith(".aac") ? want[0].length : (long) (rate * 2.5);
            assertEquals(expected, got.get(0).length, "frames");
            double worst = Double.MAX_VALUE;
            for (int c = 0; c < channels; c++) {
                double error = 0;
                double energy = 0;
                for (int i = 0; i < expected; i++) {
                    double d = got.get(c)[i] - want[c][i];
                    error += d * d;
                    energy += (double) want[c][i] * want[c][i];
                }
                double snr = 10 * Math.log10(energy / Math.max(error, 1e-30));
                worst = Math.min(worst, snr);
                assertTrue(energy > 0 && snr > 80, "channel " + c + ": " + snr + " dB");
            }
            System.out.printf("%s %d Hz %d ch %s: %.1f dB; %s%n", name, rate, channels, bitrate, worst, tools(a));
            AacSource aac = (AacSource) a;
            if (kind.equals("clicks")) { // else the recipe no longer protects short windows and TNS
                assertTrue(aac.used(AacLcDecoder.Tool.SHORT_WINDOWS) > 0 && aac.used(AacLcDecoder.Tool.TNS_FILTERS) > 0,
                        tools(a));
            }
            if (channels == 2 && rate >= 32000) { // and these the stereo tools
                assertTrue(aac.used(AacLcDecoder.Tool.MID_SIDE_BANDS) > 0
                        && aac.used(AacLcDecoder.Tool.INTENSITY_BANDS) > 0, tools(a));
            }
        }
    }

    /**
     * ffmpeg's encoder substitutes noise by default; noise is random, so the check is loudness: the whole
     * file's and every 4096-sample block's RMS within 1 dB of ffmpeg's decode (quiet blocks excepted).
     */
    @ParameterizedTest(name = "{0} {1} Hz {2} ch {3}")
    @CsvSource({"noise.m4a, 44100, 2, 64k", "noise.aac, 44100, 2, 128k", "noise.m4a, 22050, 1, 48k",
        "music.m4a, 48000, 2, 96k", "noise.m4a, 48000, 6, 192k", "clicks.m4a, 32000, 2, 64k"})
    void withNoiseSubstitutionTheLoudnessMatchesFfmpegsDecodeWithin1Db(String name, int rate, int channels,
            String bitrate) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        String kind = name.substring(0, name.indexOf('.'));
        Path file = encode("pns-" + rate + "-" + channels + "-" + bitrate + "-" + name,
                material(kind, rate, channels, 3, rate + 1), "-b:a", bitrate);
        float[][] want = ffmpeg(file, channels);
        try (DecodedAudio a = Decoders.open(file)) {
            List<float[]> got = TestAudioFiles.decodeAll(a);
            long expected = name.endsWith(".aac") ? want[0].length : rate * 3L;
            assertEquals(expected, got.get(0).length, "frames");
            assertTrue(((AacSource) a).used(AacLcDecoder.Tool.NOISE_BANDS) > 0, "the encoder substituted noise (else this proves nothing)");
            for (int c = 0; c < channels; c++) {
                assertEquals(rms(want[c], 0, (int) expected), rms(got.get(c), 0, (int) expected), 1.0,
                        "channel " + c + " overall");
                for (int at = 0; at + 4096 <= expected; at += 4096) {
                    double reference = rms(want[c], at, at + 4096);
                    if (reference > -60) {
                        assertEquals(reference, rms(got.get(c), at, at + 4096), 1.0, "channel " + c + " at " + at);
                    }
                }
            }
        }
    }

    /**
     * HE-AAC signalled only inside the frames (an SBR fill element in an LC stream, "implicit" signalling):
     * the first frame says so, and the caller hands the stream to JAAD, which doubles the rate as before.
     */
    @Test
    void aFillElementCarryingSbrSaysTheStreamIsNotPlainLc() throws Exception {
        AacLcDecoder lc = AacLcDecoder.open(new byte[] {0x12, 0x10}); // LC, 44.1 kHz, stereo
        assertEquals(44100, lc.sampleRate);
        // FIL (110), 1 byte (0001), extension type SBR (1101) + 4 bits, END (111)
        byte[] frame = new byte[3 + AacBits.PADDING];
        frame[0] = (byte) 0b1100_0011;
        frame[1] = (byte) 0b1010_0001;
        frame[2] = (byte) 0b1100_0000;
        org.junit.jupiter.api.Assertions.assertThrows(AacLcDecoder.NotPlainLc.class, () -> lc.decode(frame, 3));
        assertEquals(null, AacLcDecoder.open(new byte[] {0x2b, (byte) 0x92, 0x08, 0x00}), "explicit HE-AAC (type 5)");
        assertEquals(null, AacLcDecoder.open(new byte[] {0x0a, 0x10}), "Main");
    }

    /** Main (and LTP, HE-AAC) streams are not ours: they stay with JAAD and decode as they did before. */
    @Test
    void aMainProfileFileStillDecodesThroughJaad() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        Path file = encode("main.m4a", material("music", 44100, 2, 2, 3), "-profile:a", "aac_main", "-aac_pns", "0");
        float[][] want = ffmpeg(file, 2);
        try (DecodedAudio a = Decoders.open(file)) {
            assertTrue(!((AacSource) a).ownDecoder(), "JAAD decodes Main");
            List<float[]> got = TestAudioFiles.decodeAll(a);
            assertEquals(88200, got.get(0).length);
            double error = 0;
            double energy = 0;
            for (int i = 0; i < 88200; i++) {
                error += (got.get(0)[i] - want[0][i]) * (got.get(0)[i] - want[0][i]);
                energy += want[0][i] * want[0][i];
            }
            // JAAD's prediction is only roughly ffmpeg's (about 17 dB apart here): the check is that it still decodes
            assertTrue(error < energy * 0.1, error + " of " + energy);
        }
    }

    /** Damaged frames (flipped bits, cut frames, noise) end in a typed refusal or in audio, never a crash or hang. */
    @Test
    void damagedFramesAreRefusedWithATypedErrorOrDecodedNeverCrashOrHang() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        Random r = new Random(14);
        List<byte[]> seeds = List.of(
                Files.readAllBytes(encode("fuzz.aac", material("clicks", 44100, 2, 1, 7), "-b:a", "96k")),
                Files.readAllBytes(encode("fuzz6.aac", material("noise", 48000, 6, 0.5, 8), "-b:a", "192k")),
                Files.readAllBytes(encode("fuzz.m4a", material("music", 22050, 1, 1, 9), "-b:a", "32k")));
        for (byte[] seed : seeds) {
            for (int round = 0; round < 60; round++) {
                byte[] b = seed.clone();
                int flips = 1 + r.nextInt(round % 3 == 0 ? 200 : 8);
                for (int i = 0; i < flips; i++) {
                    int at = 64 + r.nextInt(b.length - 64);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
                TestAudioFiles.decodesOrRefuses(b, java.time.Duration.ofSeconds(2));
            }
        }
    }

    static String tools(DecodedAudio a) {
        StringBuilder s = new StringBuilder();
        for (AacLcDecoder.Tool t : AacLcDecoder.Tool.values()) {
            s.append(t.name().toLowerCase()).append(' ').append(((AacSource) a).used(t)).append(' ');
        }
        return s.toString();
    }

    static double rms(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return 10 * Math.log10(sum / (to - from) + 1e-20);
    }
}
