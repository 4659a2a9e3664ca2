package studio.nexus.audio.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
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
 * Apple Lossless in M4A, made by ffmpeg's encoder from sox's signals: every sample equals ffmpeg's decode
 * (16- and 24-bit, mono to 5.1, 44.1 to 96 kHz, quiet passages coded as runs of zeros, loud noise stored
 * verbatim, minutes long), and broken or hostile files end in a typed refusal, quickly.
 */
class AlacTest {
    @TempDir
    static Path dir;

    /** sox makes the signal, ffmpeg encodes it as ALAC. */
    static Path alac(String name, int rate, int channels, int bits, String... synth) throws Exception {
        Path wav = dir.resolve(name + ".wav");
        List<String> sox = new ArrayList<>(List.of("sox", "-n", "-r", "" + rate, "-c", "" + channels, "-b", "" + bits,
                wav.toString(), "synth"));
        sox.addAll(List.of(synth));
        TestAudioFiles.run(sox.toArray(String[]::new));
        Path out = dir.resolve(name + ".m4a");
        List<String> ffmpeg = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-i", wav.toString(), "-c:a",
                "alac"));
        if (bits == 24) {
            ffmpeg.addAll(List.of("-sample_fmt", "s32p"));
        }
        ffmpeg.add(out.toString());
        TestAudioFiles.run(ffmpeg.toArray(String[]::new));
        return out;
    }

    /** ffmpeg's decode as integers, interleaved. */
    static int[] ffmpeg(Path file, int bits) throws Exception {
        Path raw = dir.resolve(file.getFileName() + ".raw");
        TestAudioFiles.run("ffmpeg", "-v", "error", "-y", "-i", file.toString(), "-f", bits == 16 ? "s16le" : "s24le",
                raw.toString());
        byte[] b = Files.readAllBytes(raw);
        int width = bits / 8;
        int[] samples = new int[b.length / width];
        for (int i = 0; i < samples.length; i++) {
            int p = i * width;
            samples[i] = width == 2 ? (short) ((b[p] & 0xff) | b[p + 1] << 8)
                    : (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | b[p + 2] << 16;
        }
        return samples;
    }

    static void assertSameSamples(DecodedAudio a, int[] ref, int bits) throws Exception {
        int channels = a.channels();
        float[][] buf = new float[channels][4096];
        float full = 1L << (bits - 1);
        long at = 0;
        int n;
        while ((n = a.read(buf, 4096)) >= 0) {
            for (int i = 0; i < n; i++, at++) {
                for (int c = 0; c < channels; c++) {
                    int want = ref[(int) (at * channels + c)];
                    float got = buf[c][i] * full;
                    if (got != want) {
                        throw new AssertionError("frame " + at + " channel " + c + ": " + got + ", ffmpeg " + want);
                    }
                }
            }
        }
        assertEquals(ref.length / channels, at, "frames decoded");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "take; 44100; 2; 16; 3 sine 110-1760 pinknoise vol 0.5",
        "memo; 48000; 1; 16; 2 sine 300-900 brownnoise vol 0.4",
        "hires; 96000; 2; 24; 2 sine 110-1760 pinknoise vol 0.5",
        "hires-mono; 44100; 1; 24; 2 pinknoise vol 0.7",
        "quiet; 44100; 2; 16; 1 sine 440 vol 0.2 pad 1.5 1.2",
        "quiet24; 48000; 2; 24; 1 sine 440 vol 0.2 pad 1.5 1.2",
        "loud-noise; 44100; 2; 16; 1 whitenoise vol 1",
        "loud-noise24; 48000; 2; 24; 1 whitenoise vol 1",
        "surround; 48000; 6; 16; 2 sine 200-2000 pinknoise vol 0.3",
    })
    void alacDecodesBitExactlyLikeFfmpegWithTheRightLength(String name, int rate, int channels, int bits,
            String synth) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg") && TestAudioFiles.toolAvailable("sox"), "needs ffmpeg, sox");
        Path file = alac(name, rate, channels, bits, synth.split(" "));
        int[] ref = ffmpeg(file, bits);
        long frames = ref.length / channels;
        try (DecodedAudio a = Decoders.open(file)) {
            assertEquals("M4A", a.info().formatName());
            assertEquals(rate, a.info().sampleRate());
            assertEquals(channels, a.info().channels());
            assertEquals(bits, a.info().bitsPerSample());
            assertEquals(frames, a.info().lengthFrames());
            assertSameSamples(a, ref, bits);
        }
        try (DecodedAudio a = Decoders.open(Files.newInputStream(file))) {
            assertSameSamples(a, ref, bits); // the same from an upload stream
        }
    }

    /** Random samples do not compress: the encoder stores such frames verbatim (its escape). */
    @ParameterizedTest(name = "{0} channels, {1} bits")
    @CsvSource({"2, 16", "1, 16", "2, 24"})
    void incompressibleFramesStoredVerbatimDecodeBitExactly(int channels, int bits) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "needs ffmpeg");
        byte[] random = new byte[300_000];
        new Random(channels * 100 + bits).nextBytes(random);
        Path raw = TestAudioFiles.write(dir, "random" + channels + bits + ".raw", random);
        Path file = dir.resolve("random" + channels + bits + ".m4a");
        TestAudioFiles.run("ffmpeg", "-v", "error", "-y", "-f", bits == 16 ? "s16le" : "s32le", "-ar", "48000",
                "-ac", "" + channels, "-i", raw.toString(), "-c:a", "alac", "-sample_fmt", bits == 16 ? "s16p" : "s32p",
                file.toString());
        int[] ref = ffmpeg(file, bits);
        try (DecodedAudio a = Decoders.open(file)) {
            assertEquals(bits, a.info().bitsPerSample());
            assertEquals(ref.length / channels, a.info().lengthFrames());
            assertSameSamples(a, ref, bits);
        }
    }

    @Test
    void aThreeMinuteAlacFileDecodesBitExactlyToTheLastSample() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg") && TestAudioFiles.toolAvailable("sox"), "needs ffmpeg, sox");
        Path file = alac("long", 44100, 2, 16, "180", "sine", "110-1760", "pinknoise", "vol", "0.5");
        int[] ref = ffmpeg(file, 16);
        assertEquals(180 * 44100, ref.length / 2);
        try (DecodedAudio a = Decoders.open(file)) {
            assertEquals(180 * 44100, a.info().lengthFrames());
            assertSameSamples(a, ref, 16);
        }
    }

    static byte[] putInt(byte[] file, int at, int value) {
        return AacTest.putInt(file, at, value);
    }

    static byte[] put(byte[] file, int at, int value) {
        byte[] b = file.clone();
        b[at] = (byte) value;
        return b;
    }

    @Test
    void hostileAlacFilesAreRefusedWithATypedErrorQuickly() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg") && TestAudioFiles.toolAvailable("sox"), "needs ffmpeg, sox");
        Path made = alac("h", 44100, 2, 16, "1", "sine", "440", "pinknoise", "vol", "0.5");
        Path fast = dir.resolve("hf.m4a");
        TestAudioFiles.run("ffmpeg", "-v", "error", "-y", "-i", made.toString(), "-c", "copy", "-movflags",
                "+faststart", fast.toString());
        byte[] m4a = Files.readAllBytes(fast);
        int stsd = AacTest.find(m4a, "stsd");
        int cookie = AacTest.find(Arrays.copyOfRange(m4a, stsd + 20, m4a.length), "alac") + stsd + 20 + 12;
        assertEquals(16, m4a[cookie + 5], "the cookie's bit depth is where the test expects it");
        int stsz = AacTest.find(m4a, "stsz");
        int mdat = AacTest.find(m4a, "mdat");
        byte[] noise = m4a.clone();
        new Random(7).nextBytes(noise);
        System.arraycopy(m4a, 0, noise, 0, mdat + 8); // the whole header, then random bytes for the audio
        List<byte[]> corrupt = List.of(
                noise,
                put(m4a, cookie + 5, 13), // 13-bit samples
                putInt(m4a, cookie, 0x7fffffff), // frames of two billion samples
                putInt(m4a, cookie, 0), // frames of no samples
                put(m4a, cookie + 9, 0), // no channels
                put(m4a, cookie + 9, 1), // one channel where the frames hold a pair
                put(m4a, cookie + 8, 0), // a Golomb limit of zero
                putInt(m4a, stsz + 20, 0x7fffffff), // the first frame claims 2 GiB
                putInt(m4a, stsz + 20, 40)); // the first frame claims 40 bytes
        // the first frame cut short: not one whole frame of audio in the file
        assertThrows(NoAudioException.class, () -> Decoders.open(new ByteArrayInputStream(
                Arrays.copyOf(m4a, mdat + 8 + 100))));
        for (byte[] bad : corrupt) {
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThrows(CorruptAudioException.class, () -> {
                try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(bad))) {
                    TestAudioFiles.decodeAll(a);
                }
            }));
        }
        Random r = new Random(14);
        for (int round = 0; round < 60; round++) {
            TestAudioFiles.decodesOrRefuses(TestAudioFiles.mutated(m4a, r, round % 4 == 0), Duration.ofSeconds(2));
        }
        // Random bytes in every frame after the first: refused, never an index error or a hang.
        for (int round = 0; round < 20; round++) {
            byte[] b = m4a.clone();
            for (int i = 0; i < 50; i++) {
                int at = mdat + 8 + 2000 + r.nextInt(b.length - mdat - 2008);
                b[at] = (byte) r.nextInt();
            }
            TestAudioFiles.decodesOrRefuses(b, Duration.ofSeconds(2));
        }
    }

    @Test
    void aCutShortAlacFileDecodesTheFramesItHolds() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg") && TestAudioFiles.toolAvailable("sox"), "needs ffmpeg, sox");
        Path made = alac("cut", 44100, 2, 16, "2", "sine", "440", "vol", "0.5");
        Path fast = dir.resolve("cutf.m4a");
        TestAudioFiles.run("ffmpeg", "-v", "error", "-y", "-i", made.toString(), "-c", "copy", "-movflags",
                "+faststart", fast.toString());
        byte[] m4a = Files.readAllBytes(fast);
        try (DecodedAudio a = Decoders.open(fast)) {
            assertFalse(a.info().truncated());
            assertEquals(88200, a.info().lengthFrames());
        }
        try (DecodedAudio a = Decoders.open(TestAudioFiles.write(dir, "cut-short.m4a",
                Arrays.copyOf(m4a, m4a.length / 2)))) {
            assertTrue(a.info().truncated());
            int n = TestAudioFiles.decodeAll(a).get(0).length;
            assertEquals(n, a.info().lengthFrames(), "the length said up front is what decodes");
            assertTrue(n > 20_000 && n < 70_000, n + " frames");
            assertEquals(0, n % 4096, "whole frames only");
        }
    }

    @Test
    void decodingAFrameAllocatesNothing() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg") && TestAudioFiles.toolAvailable("sox"), "needs ffmpeg, sox");
        Path file = alac("alloc", 44100, 2, 24, "20", "sine", "110-1760", "pinknoise", "vol", "0.5");
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (DecodedAudio a = Decoders.open(file)) {
            float[][] buf = new float[2][4096];
            for (int i = 0; i < 20; i++) {
                a.read(buf, 4096); // warm up
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            int frames = 0;
            int n;
            while ((n = a.read(buf, 4096)) >= 0) {
                frames += n;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(frames > 800_000, frames + " frames");
            assertTrue(allocated < 64 * 1024, allocated + " bytes allocated while decoding " + frames + " frames");
        }
    }

}
