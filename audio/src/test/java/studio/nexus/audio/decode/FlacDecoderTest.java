package studio.nexus.audio.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our FLAC decoder against the reference decoder: files made by the flac tool (every preset, odd block sizes,
 * non-subset settings, metadata or none) and by ffmpeg decode to exactly the samples `flac -d` gives, no more and
 * no fewer; damaged and hostile files are refused with typed errors in bounded time.
 */
class FlacDecoderTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void tools() {
        assumeTrue(TestAudioFiles.toolAvailable("flac") && TestAudioFiles.toolAvailable("sox"), "flac and sox needed");
    }

    /** Sweep, pink and white noise with silence in front (constant subframes), so every subframe type gets used. */
    static Path source(int bits, int channels, int rate, double seconds, String name) throws Exception {
        Path wav = dir.resolve(name + ".wav");
        TestAudioFiles.run("sox", "-n", "-r", Integer.toString(rate), "-c", Integer.toString(channels), "-b",
                Integer.toString(bits), "-e", bits == 8 ? "unsigned-integer" : "signed-integer", wav.toString(),
                "synth", Double.toString(seconds), "sine", "60-" + rate / 3, "pinknoise", "whitenoise", "sine", "1000",
                "vol", "0.7", "pad", "0.2", "0");
        return wav;
    }

    static Path encode(Path wav, String name, String... options) throws Exception {
        Path flac = dir.resolve(name + ".flac");
        List<String> cmd = new ArrayList<>(List.of("flac", "-s", "-f"));
        cmd.addAll(Arrays.asList(options));
        cmd.addAll(List.of("-o", flac.toString(), wav.toString()));
        TestAudioFiles.run(cmd.toArray(String[]::new));
        return flac;
    }

    /** The reference decoder's samples, per channel. */
    static int[][] reference(Path flac, int bits, int channels) throws Exception {
        Path raw = dir.resolve(flac.getFileName() + ".raw");
        TestAudioFiles.run("flac", "-s", "-d", "-f", "--force-raw-format", "--endian=little", "--sign=signed",
                "-o", raw.toString(), flac.toString());
        byte[] b = Files.readAllBytes(raw);
        int bytes = (bits + 7) / 8;
        int frames = b.length / (bytes * channels);
        assertEquals(b.length, frames * bytes * channels, "whole frames from flac -d");
        int[][] out = new int[channels][frames];
        int p = 0;
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) {
                int v = 0;
                for (int k = 0; k < bytes; k++) {
                    v |= (b[p++] & 0xFF) << (8 * k);
                }
                int shift = 32 - 8 * bytes;
                out[c][i] = (v << shift) >> shift;
            }
        }
        return out;
    }

    /** Decodes from the file and from a stream; both must give the reference's samples exactly and its count. */
    static void assertDecodesLikeTheReference(Path flac, int bits, int channels, int rate) throws Exception {
        int[][] expected = reference(flac, bits, channels);
        float scale = (float) (1.0 / (1L << (bits - 1)));
        for (DecodedAudio a : List.of(Decoders.open(flac), Decoders.open(Files.newInputStream(flac)))) {
            try (a) {
                assertEquals("FLAC", a.info().formatName());
                assertEquals(rate, a.info().sampleRate());
                assertEquals(channels, a.info().channels());
                assertEquals(bits, a.info().bitsPerSample());
                assertEquals(expected[0].length, a.info().lengthFrames(), "STREAMINFO's count");
                List<float[]> pcm = TestAudioFiles.decodeAll(a);
                for (int c = 0; c < channels; c++) {
                    assertEquals(expected[c].length, pcm.get(c).length, "frames decoded, channel " + c);
                    float[] want = new float[expected[c].length];
                    for (int i = 0; i < want.length; i++) {
                        want[i] = expected[c][i] * scale;
                    }
                    assertArrayEquals(want, pcm.get(c), "channel " + c + " bit-exact");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}-bit {1} ch {2} Hz, flac {3}")
    @CsvSource(delimiter = ';', value = {
        "16; 2; 44100; -0", "16; 2; 44100; -1", "16; 2; 44100; -2", "16; 2; 44100; -3", "16; 2; 44100; -4",
        "16; 2; 44100; -5", "16; 2; 44100; -6", "16; 2; 44100; -7", "16; 2; 44100; -8",
        "16; 1; 48000; -5", "16; 6; 48000; -5", "24; 6; 48000; -8", "24; 2; 96000; -8", "24; 1; 88200; -3",
        "24; 2; 192000; -5", "8; 1; 8000; -5", "8; 2; 11025; -8", "8; 6; 22050; -0", "16; 2; 32000; -8 -e -p",
        "16; 2; 44100; --lax -b 4095 -l 32 -q 15", "16; 2; 22050; --lax -b 65535 -l 12",
        "16; 2; 44100; --lax -b 17 -l 8 -r 0", "16; 1; 16000; --lax -b 333 -r 15",
        "24; 2; 44100; --lax -b 8192 -l 32 -r 15 -A tukey(0.5)",
        "16; 2; 44100; -5 --no-seektable --no-padding", "16; 2; 44100; -5 --padding=100000 -S 10x -T ARTIST=Band -T TITLE=Take",
        "32; 2; 48000; -5", "32; 1; 44100; -8", "32; 2; 96000; -0", "16; 2; 44100; -8 -m", "16; 2; 44100; -8 -M"})
    void filesFromTheFlacToolDecodeExactlyAsTheReferenceDecoder(int bits, int channels, int rate, String options)
            throws Exception {
        String name = ("f" + bits + "_" + channels + "_" + rate + options).replaceAll("[^A-Za-z0-9_]", "_");
        Path wav = source(bits, channels, rate, 1.3, name);
        Path flac = encode(wav, name, options.split(" "));
        assertDecodesLikeTheReference(flac, bits, channels, rate);
    }

    @Test
    void wastedBitsOfSixteenBitAudioInATwentyFourBitFileDecodeExactly() throws Exception {
        Path wav16 = source(16, 2, 48000, 1.0, "w16");
        Path wav24 = dir.resolve("w24.wav");
        TestAudioFiles.run("sox", wav16.toString(), "-b", "24", wav24.toString());
        assertDecodesLikeTheReference(encode(wav24, "w24", "-8"), 24, 2, 48000);
    }

    @ParameterizedTest(name = "ffmpeg {0}")
    @CsvSource(delimiter = ';', value = {"16; -compression_level 12", "16; -compression_level 0",
        "16; -ch_mode mid_side -lpc_type cholesky", "16; -ch_mode left_side -exact_rice_parameters 1",
        "16; -ch_mode right_side -min_partition_order 0 -max_partition_order 8", "16; -frame_size 1000",
        "16; -lpc_type fixed", "16; -max_prediction_order 32 -lpc_type levinson",
        "24; -compression_level 8", "24; -ch_mode mid_side -frame_size 777"})
    void filesFromFfmpegDecodeExactlyAsTheReferenceDecoder(int bits, String options) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg needed");
        String name = ("ff" + bits + options).replaceAll("[^A-Za-z0-9_]", "_");
        Path wav = source(bits, 2, 44100, 1.3, name);
        Path flac = dir.resolve(name + ".flac");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-i", wav.toString(), "-c:a", "flac"));
        cmd.addAll(Arrays.asList(options.split(" ")));
        if (bits == 24) {
            cmd.addAll(List.of("-sample_fmt", "s32"));
        }
        cmd.add(flac.toString());
        TestAudioFiles.run(cmd.toArray(String[]::new));
        assertDecodesLikeTheReference(flac, bits, 2, 44100);
    }

    @Test
    void aVariableBlockSizeStreamDecodesExactlyAsTheReferenceDecoder() throws Exception {
        List<byte[]> parts = new ArrayList<>();
        String[][] encodes = {{"-b", "1152"}, {"--lax", "-b", "333"}, {"-b", "4608", "-8"}, {"--lax", "-b", "16"}};
        for (int i = 0; i < encodes.length; i++) {
            Path wav = source(16, 2, 44100, 0.3 + 0.1 * i, "var" + i);
            parts.add(Files.readAllBytes(encode(wav, "var" + i, encodes[i])));
        }
        byte[] variable = FlacStreams.variableBlockStream(parts, 44100, 2, 16);
        Path flac = TestAudioFiles.write(dir, "variable.flac", variable);
        assertDecodesLikeTheReference(flac, 16, 2, 44100);
    }

    // ---- frames written by hand: codings encoders rarely use -------------------------------------

    @Test
    void escapedRicePartitionsConstantVerbatimAndWastedBitsDecodeAsWritten() throws Exception {
        int n = 64;
        int[] residual = new int[n];
        Random r = new Random(7);
        for (int i = 0; i < n; i++) {
            residual[i] = r.nextInt(101) - 50;
        }
        FlacStreams.Bits body = new FlacStreams.Bits();
        // channel 0: FIXED order 1, 4-bit parameters, 4 partitions: raw 7 bits, Rice k=3, raw 0 bits, Rice k=5
        body.put(0, 1).put(9, 6).put(0, 1).put(residual[0], 16);
        body.put(0, 2).put(2, 4);
        int[] expectedResidual = residual.clone();
        body.put(15, 4).put(7, 5);
        for (int i = 1; i < 16; i++) {
            body.put(residual[i] & 0x7F, 7);
        }
        body.put(3, 4);
        for (int i = 16; i < 32; i++) {
            body.rice(residual[i], 3);
        }
        body.put(15, 4).put(0, 5);
        Arrays.fill(expectedResidual, 32, 48, 0);
        body.put(5, 4);
        for (int i = 48; i < 64; i++) {
            body.rice(residual[i], 5);
        }
        // channel 1: LPC order 2 with 5-bit parameters and an escape (parameter 31), then CONSTANT with wasted bits
        body.put(0, 1).put(33, 6).put(0, 1).put(100, 16).put(-100, 16);
        body.put(11, 4).put(3, 5).put(12, 12).put(-4, 12); // precision 12, shift 3: (12 a - 4 b) >> 3
        body.put(1, 2).put(0, 4).put(31, 5).put(9, 5);
        for (int i = 2; i < n; i++) {
            body.put(residual[i] & 0x1FF, 9);
        }
        byte[] first = FlacStreams.frame(false, 0, n, 1, body.align().bytes());
        FlacStreams.Bits second = new FlacStreams.Bits();
        second.put(0, 1).put(0, 6).put(1, 1).unary(3).put(-3, 12); // CONSTANT -3, 4 wasted bits
        second.put(0, 1).put(1, 6).put(1, 1).unary(0); // VERBATIM, 1 wasted bit
        for (int i = 0; i < 20; i++) {
            second.put(i * 1000 - 9000, 15);
        }
        byte[] frame2 = FlacStreams.frame(false, 1, 20, 1, second.align().bytes());
        byte[] file = FlacStreams.concat(FlacStreams.streamInfo(16, 64, 44100, 2, 16, n + 20), first, frame2);

        int[] left = new int[n + 20];
        left[0] = residual[0];
        for (int i = 1; i < n; i++) {
            left[i] = left[i - 1] + expectedResidual[i];
        }
        int[] right = new int[n + 20];
        right[0] = 100;
        right[1] = -100;
        for (int i = 2; i < n; i++) {
            right[i] = residual[i] + ((12 * right[i - 1] - 4 * right[i - 2]) >> 3);
        }
        for (int i = 0; i < 20; i++) {
            left[n + i] = -3 << 4;
            right[n + i] = (i * 1000 - 9000) << 1;
        }
        try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(file))) {
            List<float[]> pcm = TestAudioFiles.decodeAll(a);
            assertArrayEquals(scaled(left, 16), pcm.get(0));
            assertArrayEquals(scaled(right, 16), pcm.get(1));
        }
    }

    static float[] scaled(int[] samples, int bits) {
        float[] out = new float[samples.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = samples[i] * (float) (1.0 / (1L << (bits - 1)));
        }
        return out;
    }

    // ---- damaged and hostile files -----------------------------------------------------------------

    static byte[] realFile() throws Exception {
        Path flac = dir.resolve("real.flac");
        if (!Files.exists(flac)) {
            encode(source(16, 2, 44100, 2.0, "real"), "real", "-5", "-b", "1024");
        }
        return Files.readAllBytes(flac);
    }

    @Test
    void aFileCutShortDecodesItsWholeFramesExactlyAndEndsThere() throws Exception {
        byte[] whole = realFile();
        int[][] expected = reference(dir.resolve("real.flac"), 16, 2);
        List<int[]> frames = FlacStreams.frames(whole);
        for (int cut : new int[] {frames.get(3)[1], frames.get(3)[1] + 7, frames.get(10)[0] + 1, whole.length - 1}) {
            try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(Arrays.copyOf(whole, cut)))) {
                assertEquals(expected[0].length, a.info().lengthFrames(), "the header's claim");
                List<float[]> pcm = TestAudioFiles.decodeAll(a);
                int wholeFrames = (int) frames.stream().filter(f -> f[1] <= cut).count();
                assertEquals(Math.min(wholeFrames * 1024, expected[0].length), pcm.get(0).length, "cut at " + cut);
                float[] want = scaled(Arrays.copyOf(expected[1], pcm.get(1).length), 16);
                assertArrayEquals(want, pcm.get(1));
            }
        }
        byte[] insideTheFirstFrame = Arrays.copyOf(whole, frames.get(0)[0] + 100);
        assertThrows(NoAudioException.class, () -> Decoders.open(new ByteArrayInputStream(insideTheFirstFrame)));
    }

    @Test
    void aTagAfterTheLastFrameIsIgnored() throws Exception {
        byte[] whole = realFile();
        byte[] id3v1 = new byte[128];
        System.arraycopy("TAGsome title".getBytes(), 0, id3v1, 0, 13);
        id3v1[60] = (byte) 0xFF;
        id3v1[61] = (byte) 0xF8;
        try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(FlacStreams.concat(whole, id3v1)))) {
            assertEquals(2.2 * 44100, TestAudioFiles.decodeAll(a).get(0).length, 1);
        }
    }

    @Test
    void aDamagedFrameInTheMiddleIsRefusedAsCorrupt() throws Exception {
        byte[] whole = realFile();
        int[] frame = FlacStreams.frames(whole).get(20);
        byte[] body = whole.clone();
        body[(frame[0] + frame[1]) / 2] ^= 0x10; // the frame checksum catches it
        byte[] sync = whole.clone();
        sync[frame[0] + 1] = 0x00; // a frame's start is lost: the frames after it are not taken for trailing bytes
        byte[] header = whole.clone();
        header[frame[0] + 3] ^= 0x02; // bit depth code, caught by the header checksum
        for (byte[] damaged : List.of(body, sync, header)) {
            CorruptAudioException e = assertThrows(CorruptAudioException.class, () -> {
                try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(damaged))) {
                    TestAudioFiles.decodeAll(a);
                }
            });
            assertTrue(e.getMessage().startsWith("FLAC: "), e.getMessage());
        }
    }

    @ParameterizedTest(name = "max block size {0}")
    @CsvSource({"0", "1", "15"})
    void aStreamInfoWithAnImpossibleMaximumBlockSizeIsRefusedAsDamaged(int maxBlock) {
        byte[] file = FlacStreams.streamInfo(16, maxBlock, 44100, 2, 16, 1000);
        CorruptAudioException e = assertThrows(CorruptAudioException.class,
                () -> Decoders.open(new ByteArrayInputStream(file)));
        assertTrue(e.getMessage().contains("at most " + maxBlock + " samples"), e.getMessage());
    }

    @Test
    void aFrameLargerThanStreamInfosMaximumIsRefused() {
        FlacStreams.Bits body = new FlacStreams.Bits();
        body.put(0, 8).put(0, 16).align(); // CONSTANT 0
        byte[] file = FlacStreams.concat(FlacStreams.streamInfo(16, 256, 44100, 1, 16, 4096),
                FlacStreams.frame(false, 0, 4096, 0, body.bytes()));
        CorruptAudioException e = assertThrows(CorruptAudioException.class,
                () -> Decoders.open(new ByteArrayInputStream(file)));
        assertTrue(e.getMessage().contains("more than STREAMINFO's maximum"), e.getMessage());
    }

    @Test
    void aRiceCodeBeyondThirtyTwoBitsIsRefusedNotOverflowed() {
        FlacStreams.Bits body = new FlacStreams.Bits();
        body.put(0, 1).put(8, 6).put(0, 1).put(0, 2).put(0, 4).put(14, 4); // FIXED order 0, one partition, k = 14
        body.unary(1 << 20).put(0, 14).align(); // a quotient of 2^20: 2^34 is beyond any residual
        byte[] file = FlacStreams.concat(FlacStreams.streamInfo(16, 256, 44100, 1, 16, 256),
                FlacStreams.frame(false, 0, 256, 0, body.bytes()));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            CorruptAudioException e = assertThrows(CorruptAudioException.class,
                    () -> Decoders.open(new ByteArrayInputStream(file)));
            assertTrue(e.getMessage().contains("beyond 32 bits"), e.getMessage());
        });
    }

    @Test
    void predictorsAndPartitionsThatDoNotFitTheBlockAreRefused() {
        FlacStreams.Bits order = new FlacStreams.Bits(); // LPC order 32 for a block of 20
        order.put(0, 1).put(63, 6).put(0, 1).align();
        FlacStreams.Bits partitions = new FlacStreams.Bits(); // 2^4 partitions of a block of 20
        partitions.put(0, 1).put(8, 6).put(0, 1).put(0, 2).put(4, 4).align();
        FlacStreams.Bits reserved = new FlacStreams.Bits(); // subframe type 2
        reserved.put(0, 1).put(2, 6).put(0, 1).align();
        for (FlacStreams.Bits body : List.of(order, partitions, reserved)) {
            byte[] file = FlacStreams.concat(FlacStreams.streamInfo(16, 256, 44100, 1, 16, 20),
                    FlacStreams.frame(false, 0, 20, 0, FlacStreams.concat(body.bytes(), new byte[64])));
            assertThrows(CorruptAudioException.class, () -> Decoders.open(new ByteArrayInputStream(file)));
        }
    }

    @Test
    void randomBytesAfterAValidStreamInfoAreRefusedOrEndQuickly() {
        Random r = new Random(3);
        for (int round = 0; round < 50; round++) {
            byte[] junk = new byte[1 + r.nextInt(200_000)];
            r.nextBytes(junk);
            if (round % 2 == 0) {
                junk[0] = (byte) 0xFF;
                junk[1 % junk.length] = (byte) 0xF8;
            }
            byte[] file = FlacStreams.concat(FlacStreams.streamInfo(16, 4096, 44100, 2, 16, 1 << 30), junk);
            TestAudioFiles.decodesOrRefuses(file, Duration.ofSeconds(5));
        }
    }

    @Test
    void mutatedRealFilesDecodeOrAreRefusedWithTypedErrors() throws Exception {
        byte[] whole = realFile();
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            TestAudioFiles.decodesOrRefuses(TestAudioFiles.mutated(whole, r, round % 3 == 0), Duration.ofSeconds(5));
        }
    }

    @Test
    void aHugePaddingBlockIsSkippedNotRead() throws Exception {
        Path wav = source(16, 1, 44100, 0.5, "pad");
        Path flac = encode(wav, "pad", "--padding=16777000");
        assertDecodesLikeTheReference(flac, 16, 1, 44100);
    }
}
