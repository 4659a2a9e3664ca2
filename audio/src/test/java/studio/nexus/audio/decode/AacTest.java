package studio.nexus.audio.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AAC from ffmpeg's encoder, in M4A (as iPhones write it) and raw ADTS. M4A: the edit list's priming is
 * dropped and the length is the source's. ADTS: every decoded frame, priming included (the stream does not
 * say), as ffmpeg decodes it. Samples agree with ffmpeg's decode after the same trimming.
 */
class AacTest {
    @TempDir
    static Path dir;

    static Path encode(int rate, int channels, int frames, String name, String... args) throws Exception {
        Path wav = dir.resolve(name + ".wav");
        Files.write(wav, TestAudioFiles.wav(1, 16, channels, rate, frames, channels > 2));
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-i", wav.toString()));
        cmd.addAll(List.of(args));
        cmd.add(out.toString());
        TestAudioFiles.run(cmd.toArray(String[]::new));
        return out;
    }

    static ByteBuffer ffmpeg(Path file) throws Exception {
        Path raw = dir.resolve(file.getFileName() + ".f32");
        TestAudioFiles.run("ffmpeg", "-v", "error", "-y", "-i", file.toString(), "-f", "f32le", raw.toString());
        return ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"take.m4a, 44100, 2, M4A", "memo.m4a, 48000, 1, M4A", "surround.m4a, 48000, 6, M4A",
        "fast.m4a, 44100, 2, M4A", "take.aac, 44100, 2, AAC", "memo.aac, 22050, 1, AAC"})
    void aacDecodesWithTheRightRateChannelsLengthAndSamples(String name, int rate, int channels, String format)
            throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        int frames = rate + 4321;
        Path file = name.startsWith("fast")
                ? encode(rate, channels, frames, name, "-c:a", "aac", "-aac_pns", "0", "-movflags", "+faststart")
                : encode(rate, channels, frames, name, "-c:a", "aac", "-aac_pns", "0");
        ByteBuffer ref = ffmpeg(file);
        long refFrames = ref.capacity() / 4 / channels;
        boolean adts = format.equals("AAC");
        // ffmpeg drops M4A priming but keeps the last frame's padding; ADTS it decodes whole
        long expected = adts ? refFrames : frames;
        assertTrue(refFrames >= expected);
        try (DecodedAudio a = Decoders.open(file)) {
            assertEquals(format, a.info().formatName());
            assertEquals(rate, a.info().sampleRate());
            assertEquals(channels, a.info().channels());
            assertEquals(expected, a.info().lengthFrames());
            List<float[]> pcm = TestAudioFiles.decodeAll(a);
            assertEquals(expected, pcm.get(0).length);
            for (int c = 0; c < channels; c++) {
                double error = 0;
                double energy = 0;
                for (int i = 0; i < expected; i++) {
                    float want = ref.getFloat((int) ((i * channels + c) * 4));
                    error += (pcm.get(c)[i] - want) * (pcm.get(c)[i] - want);
                    energy += want * want;
                }
                assertTrue(error < energy * 1e-3 + 1e-6, "channel " + c + " matches ffmpeg's (" + error + " of "
                        + energy + ")");
            }
        }
        try (DecodedAudio a = Decoders.open(Files.newInputStream(file))) {
            assertEquals(expected, TestAudioFiles.decodeAll(a).get(0).length, "the same from a stream");
        }
    }

    /** ffmpeg's default encoder substitutes noise (PNS); those bands decode as noise at the coded loudness. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"pns.m4a", "pns.aac"})
    void aacWithNoiseSubstitutionDecodesAtFfmpegsLoudnessNotAsSilence(String name) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        Path file = encode(44100, 2, 44100, name, "-c:a", "aac"); // ffmpeg's default coder uses PNS
        ByteBuffer ref = ffmpeg(file);
        try (DecodedAudio a = Decoders.open(file)) {
            List<float[]> pcm = TestAudioFiles.decodeAll(a);
            // M4A: the source's length (ffmpeg keeps the last frame's padding); ADTS: every frame, as ffmpeg
            assertEquals(name.endsWith(".m4a") ? 44100 : ref.capacity() / 8, pcm.get(0).length);
            for (int c = 0; c < 2; c++) {
                double ours = 0;
                double theirs = 0;
                for (int i = 0; i < pcm.get(c).length; i++) {
                    float want = ref.getFloat((i * 2 + c) * 4);
                    ours += pcm.get(c)[i] * pcm.get(c)[i];
                    theirs += want * want;
                }
                assertEquals(10 * Math.log10(theirs), 10 * Math.log10(ours), 1.0, "channel " + c + " loudness in dB");
            }
        }
    }

    /**
     * Three loud minutes (the issue's recipe): ffmpeg's encoder writes coefficients at AAC's full scale (8191)
     * on a few frames, where JAAD alone fails with an index error after about 43 s. The whole song decodes,
     * its length is the source's and every block matches ffmpeg's decode.
     */
    @Test
    void aLoudThreeMinuteAacSongDecodesToTheEndAndMatchesFfmpeg() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg") && TestAudioFiles.toolAvailable("sox"), "needs ffmpeg, sox");
        Path wav = dir.resolve("song.wav");
        // -R: the same noise every run, so the full-scale coefficients are there every run
        TestAudioFiles.run("sox", "-R", "-n", "-r", "44100", "-c", "2", "-b", "16", wav.toString(), "synth", "180",
                "sine", "110-1760", "pinknoise", "vol", "0.5");
        Path file = dir.resolve("song.m4a");
        TestAudioFiles.run("ffmpeg", "-v", "error", "-y", "-i", wav.toString(), "-c:a", "aac", "-aac_pns", "0",
                "-b:a", "192k", file.toString());
        ByteBuffer ref = ffmpeg(file);
        try (DecodedAudio a = Decoders.open(file)) {
            assertEquals(180 * 44100, a.info().lengthFrames());
            float[][] buf = new float[2][4096];
            long at = 0;
            double worst = Double.MAX_VALUE;
            int n;
            while ((n = a.read(buf, 4096)) >= 0) {
                double error = 0;
                double energy = 0;
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < 2; c++) {
                        float want = ref.getFloat((int) ((at + i) * 2 + c) * 4);
                        error += (buf[c][i] - want) * (buf[c][i] - want);
                        energy += want * want;
                    }
                }
                worst = Math.min(worst, 10 * Math.log10(energy / (error + 1e-20)));
                at += n;
            }
            assertEquals(180 * 44100, at);
            assertTrue(worst > 60, "every block within 60 dB of ffmpeg's (worst " + worst + " dB)");
            assertTrue(((AacSource) a).fullScaleCoefficients() > 0,
                    "this recipe holds full-scale coefficients (else the test no longer protects them)");
        }
    }

    static int find(byte[] b, String type) {
        byte[] t = type.getBytes();
        for (int i = 4; i + 4 <= b.length; i++) {
            if (b[i] == t[0] && b[i + 1] == t[1] && b[i + 2] == t[2] && b[i + 3] == t[3]) {
                return i - 4; // the box starts with its size
            }
        }
        throw new AssertionError(type + " not found");
    }

    static byte[] putInt(byte[] file, int at, int value) {
        byte[] b = file.clone();
        ByteBuffer.wrap(b).putInt(at, value);
        return b;
    }

    @Test
    void hostileM4aAndAdtsAreRefusedWithATypedErrorQuickly() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        byte[] m4a = Files.readAllBytes(encode(44100, 2, 30000, "h.m4a", "-c:a", "aac", "-aac_pns", "0",
                "-movflags", "+faststart"));
        byte[] late = Files.readAllBytes(encode(44100, 2, 30000, "l.m4a", "-c:a", "aac", "-aac_pns", "0"));
        byte[] adts = Files.readAllBytes(encode(44100, 2, 30000, "h.aac", "-c:a", "aac", "-aac_pns", "0"));
        int moov = find(m4a, "moov");
        int stsz = find(m4a, "stsz");
        int stco = find(m4a, "stco");
        int mdhd = find(m4a, "mdhd");
        int mp4a = find(m4a, "mp4a");
        List<byte[]> refused = List.of(
                Arrays.copyOf(late, late.length / 2), // the index (moov) comes last and is cut off
                Arrays.copyOf(m4a, moov + 100), // cut inside the index
                putInt(m4a, moov, Integer.MAX_VALUE), // moov claims 2 GiB
                putInt(m4a, moov, 3), // a box smaller than its header
                putInt(m4a, stsz + 16, Integer.MAX_VALUE), // two billion sample sizes in a few bytes
                putInt(m4a, stco + 12, 0x7fffffff), // chunk table lying about its count
                putInt(m4a, mdhd + 8 + 12, 0), // time scale zero
                putInt(m4a, mp4a + 4, 0x6f707573), // 'opus' in MP4: not ours
                putInt(m4a, find(m4a, "esds") + 12, 0), // a broken decoder configuration
                Arrays.copyOf(adts, 5));
        for (byte[] bad : refused) {
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThrows(AudioDecodeException.class, () -> {
                try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(bad))) {
                    TestAudioFiles.decodeAll(a);
                }
            }));
        }
        Random r = new Random(21);
        for (byte[] seed : List.of(m4a, adts)) {
            byte[] noise = seed.clone();
            r.nextBytes(noise);
            System.arraycopy(seed, 0, noise, 0, 12); // a real magic, then noise
            List<byte[]> cases = new ArrayList<>(List.of(noise));
            for (int round = 0; round < 40; round++) {
                cases.add(TestAudioFiles.mutated(seed, r, round % 4 == 0));
            }
            for (byte[] b : cases) {
                TestAudioFiles.decodesOrRefuses(b, Duration.ofSeconds(2));
            }
        }
    }

    /**
     * An M4A cut short (its index, first, places samples past the end: an interrupted upload or copy) decodes the
     * samples it holds whole, says so up front as its length, and is flagged truncated; the whole file is not.
     */
    @Test
    void aCutShortFaststartM4aDecodesTheFramesItHoldsWithThatLengthAndIsFlaggedTruncated() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        byte[] m4a = Files.readAllBytes(encode(44100, 2, 88200, "cut.m4a", "-c:a", "aac", "-aac_pns", "0",
                "-movflags", "+faststart"));
        try (DecodedAudio a = Decoders.open(TestAudioFiles.write(dir, "whole.m4a", m4a))) {
            assertFalse(a.info().truncated());
            assertEquals(88200, a.info().lengthFrames());
            assertEquals(88200, TestAudioFiles.decodeAll(a).get(0).length);
        }
        int mdat = find(m4a, "mdat");
        for (int cut : new int[] {m4a.length / 2, m4a.length - 1, mdat + 8 + 3000}) {
            try (DecodedAudio a = Decoders.open(TestAudioFiles.write(dir, "cut-short.m4a", Arrays.copyOf(m4a, cut)))) {
                assertTrue(a.info().truncated(), "cut at " + cut);
                int n = TestAudioFiles.decodeAll(a).get(0).length;
                assertEquals(n, a.info().lengthFrames(), "the length said up front is what decodes, cut at " + cut);
                assertTrue(n > 0 && n < 88200, n + " frames");
                assertEquals(0, n % 1024, "whole AAC frames after the 1024 of priming: " + n);
            }
        }
        try (DecodedAudio a = Decoders.open(TestAudioFiles.write(dir, "half.m4a", Arrays.copyOf(m4a, m4a.length / 2)))) {
            int n = TestAudioFiles.decodeAll(a).get(0).length;
            assertTrue(n > 20_000 && n < 70_000, n + " frames");
        }
    }

    /** No sample of the index in the file, or only the encoder's priming: no audio, whatever the index promises. */
    @Test
    void anM4aCutBeforeItsAudioHoldsNoAudio() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        byte[] m4a = Files.readAllBytes(encode(44100, 2, 44100, "early.m4a", "-c:a", "aac", "-aac_pns", "0",
                "-movflags", "+faststart"));
        int mdat = find(m4a, "mdat");
        int stsz = find(m4a, "stsz");
        assertEquals(0, ByteBuffer.wrap(m4a).getInt(stsz + 12), "sizes listed one by one");
        int first = ByteBuffer.wrap(m4a).getInt(stsz + 20);
        for (int cut : new int[] {mdat + 8, mdat + 8 + first - 1, mdat + 8 + first}) { // the first is priming
            assertThrows(NoAudioException.class,
                    () -> Decoders.open(TestAudioFiles.write(dir, "early-cut.m4a", Arrays.copyOf(m4a, cut))),
                    "cut at " + cut);
        }
    }

    /** A fragmented MP4 (its samples in moof boxes, as browsers' recorders write) is not ours yet: said so, 415. */
    @Test
    void aFragmentedM4aIsUnsupportedNotEmpty() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        Path file = encode(44100, 2, 44100, "frag.m4a", "-c:a", "aac", "-aac_pns", "0", "-movflags",
                "frag_keyframe+empty_moov");
        UnsupportedAudioFormatException e = assertThrows(UnsupportedAudioFormatException.class,
                () -> Decoders.open(file));
        assertTrue(e.getMessage().contains("fragments"), e.getMessage());
    }
}
