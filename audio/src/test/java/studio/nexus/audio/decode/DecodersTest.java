package studio.nexus.audio.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DecodersTest {

    @TempDir
    static Path dir;

    @ParameterizedTest(name = "tag {0}, {1} bits, {2} ch, {3} Hz, extensible {4}")
    @CsvSource({"1, 8, 1, 8000, false", "1, 16, 2, 44100, false", "1, 24, 2, 48000, false", "1, 32, 1, 96000, false",
        "3, 32, 2, 44100, false", "3, 64, 1, 22050, false", "1, 24, 6, 48000, true", "3, 32, 8, 192000, true",
        "1, 16, 4, 11025, true"})
    void wavVariantsDecodeWithRightFormatDurationAndSamples(int tag, int bits, int channels, int rate, boolean ext)
            throws Exception {
        int frames = rate / 2 + 17;
        byte[] bytes = TestAudioFiles.wav(tag, bits, channels, rate, frames, ext);
        Path p = TestAudioFiles.write(dir, "v" + tag + bits + channels + rate + ext + ".bin", bytes);
        for (DecodedAudio a : List.of(Decoders.open(p), Decoders.open(new ByteArrayInputStream(bytes)))) {
            try (a) {
                assertEquals("WAV", a.info().formatName());
                assertEquals(rate, a.info().sampleRate());
                assertEquals(channels, a.info().channels());
                assertEquals(bits, a.info().bitsPerSample());
                assertEquals(frames, a.info().lengthFrames());
                assertEquals(frames / (double) rate, a.info().durationSeconds(), 1e-9);
                List<float[]> pcm = TestAudioFiles.decodeAll(a);
                assertEquals(frames, pcm.get(0).length);
                double tolerance = bits == 8 ? 0.01 : 1e-4;
                for (int c = 0; c < channels; c++) {
                    for (int i = 0; i < frames; i += 97) {
                        assertEquals(TestAudioFiles.sampleValue(i, c, rate), pcm.get(c)[i], tolerance);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} bits")
    @CsvSource({"AIFF, 16", "AIFF, 24", "AIFF, 8", "NONE, 16", "sowt, 16", "sowt, 24", "fl32, 32", "fl64, 64", "twos, 16"})
    void aiffAndAifcVariantsDecode(String kind, int bits) throws Exception {
        int rate = 44100;
        int frames = 30000;
        String compression = kind.equals("AIFF") ? null : kind;
        byte[] bytes = TestAudioFiles.aiff(compression, bits, 2, rate, frames);
        try (DecodedAudio a = Decoders.open(TestAudioFiles.write(dir, "a" + kind + bits + ".x", bytes))) {
            assertEquals(compression == null ? "AIFF" : "AIFF-C", a.info().formatName());
            assertEquals(rate, a.info().sampleRate());
            assertEquals(frames, a.info().lengthFrames());
            List<float[]> pcm = TestAudioFiles.decodeAll(a);
            assertEquals(frames, pcm.get(1).length);
            for (int i = 0; i < frames; i += 101) {
                assertEquals(TestAudioFiles.sampleValue(i, 1, rate), pcm.get(1)[i], bits == 8 ? 0.01 : 1e-4);
            }
        }
    }

    // ---- lossless/lossy formats from the command line tools --------------------------------------

    static Path referenceWav(int rate, int channels, double seconds) throws IOException {
        Path p = dir.resolve("ref" + rate + channels + seconds + ".wav");
        if (!Files.exists(p)) {
            Files.write(p, TestAudioFiles.wav(1, 16, channels, rate, (int) (rate * seconds), false));
        }
        return p;
    }

    @ParameterizedTest(name = "{0} Hz {1} ch")
    @CsvSource({"44100, 2", "48000, 1", "96000, 2"})
    void flacFromTheFlacToolDecodesBitExactly(int rate, int channels) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("flac"), "flac not installed");
        Path wav = referenceWav(rate, channels, 1.5);
        Path flac = dir.resolve("t" + rate + channels + ".flac");
        TestAudioFiles.run("flac", "-s", "-f", "-o", flac.toString(), wav.toString());
        try (DecodedAudio f = Decoders.open(flac); DecodedAudio w = Decoders.open(wav)) {
            assertEquals("FLAC", f.info().formatName());
            assertEquals(rate, f.info().sampleRate());
            assertEquals(16, f.info().bitsPerSample());
            assertEquals(1.5, f.info().durationSeconds(), 1e-9);
            List<float[]> a = TestAudioFiles.decodeAll(f);
            List<float[]> b = TestAudioFiles.decodeAll(w);
            for (int c = 0; c < channels; c++) {
                assertTrue(Arrays.equals(b.get(c), a.get(c)), "channel " + c + " bit-exact");
            }
        }
    }

    @ParameterizedTest(name = "{0} Hz {1} ch")
    @CsvSource({"44100, 2", "48000, 1", "22050, 2", "32000, 1"})
    void mp3FromLameDecodesWithRightRateAndDuration(int rate, int channels) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("lame"), "lame not installed");
        Path wav = referenceWav(rate, channels, 2.0);
        Path mp3 = dir.resolve("t" + rate + channels + ".mp3");
        TestAudioFiles.run("lame", "--quiet", "-b", "128", "--add-id3v2", "--tt", "title", wav.toString(), mp3.toString());
        try (DecodedAudio a = Decoders.open(mp3)) {
            assertEquals("MP3", a.info().formatName());
            assertEquals(rate, a.info().sampleRate());
            assertEquals(channels, a.info().channels());
            List<float[]> pcm = TestAudioFiles.decodeAll(a);
            // LAME's tag names its delay and padding: they and the Info frame are trimmed, and the last frame is
            // kept although the ID3v1 tag lame appends follows it
            assertEquals(2 * rate, pcm.get(0).length);
            assertEquals(pcm.get(0).length, a.info().lengthFrames(), "header scan predicts the decoded length");
            assertTrue(studio.nexus.audio.Signals.rms(pcm.get(0), rate / 2, rate) > 0.3, "audio, not silence");
        }
        try (DecodedAudio s = Decoders.open(Files.newInputStream(mp3))) {
            assertEquals(-1, s.info().lengthFrames(), "unknown from a stream");
        }
    }

    @ParameterizedTest(name = "{0} Hz {1} ch")
    @CsvSource({"44100, 2", "48000, 1", "16000, 1"})
    void oggVorbisFromOggencDecodesWithRightRateAndDuration(int rate, int channels) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("oggenc"), "oggenc not installed");
        Path wav = referenceWav(rate, channels, 2.0);
        Path ogg = dir.resolve("t" + rate + channels + ".ogg");
        TestAudioFiles.run("oggenc", "-Q", "-q", "3", "-o", ogg.toString(), wav.toString());
        try (DecodedAudio a = Decoders.open(ogg)) {
            assertEquals("Ogg Vorbis", a.info().formatName());
            assertEquals(rate, a.info().sampleRate());
            assertEquals(2.0, a.info().durationSeconds(), 1e-6);
            List<float[]> pcm = TestAudioFiles.decodeAll(a);
            assertEquals(2 * rate, pcm.get(0).length, rate * 0.01);
            assertTrue(studio.nexus.audio.Signals.rms(pcm.get(0), rate / 2, rate) > 0.3);
        }
    }

    // ---- rejection ----------------------------------------------------------------------------

    static byte[] validWav() {
        return TestAudioFiles.wav(1, 16, 2, 44100, 4410, false);
    }

    /** WAV header offsets in {@link TestAudioFiles#wav}: fmt chunk at 12, fields from 20. */
    static byte[] patched(int offset, int value, int size) {
        byte[] b = validWav();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (size == 2) {
            bb.putShort(offset, (short) value);
        } else {
            bb.putInt(offset, value);
        }
        return b;
    }

    /** "fLaC" and a STREAMINFO claiming 2^36 - 1 samples of 8-channel 192 kHz (99 hours), then no frame at all. */
    static byte[] flacWithoutFrames() {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 34);
        b.put("fLaC".getBytes());
        b.put((byte) 0x80).put((byte) 0).put((byte) 0).put((byte) 34); // last metadata block: STREAMINFO, 34 bytes
        b.putShort((short) 4096).putShort((short) 4096);
        b.put(new byte[6]); // frame sizes unknown
        b.putLong((192_000L << 44) | (7L << 41) | (15L << 36) | ((1L << 36) - 1));
        b.put(new byte[16]); // MD5 unset
        return b.array();
    }

    @Test
    void aFlacWithoutFramesHasNoAudioWhateverItsHeaderClaims() throws Exception {
        byte[] flac = flacWithoutFrames();
        assertThrows(NoAudioException.class, () -> Decoders.open(TestAudioFiles.write(dir, "empty.flac", flac)));
        assertThrows(NoAudioException.class, () -> Decoders.open(new ByteArrayInputStream(flac)));
    }

    @Test
    void aWavOrAiffWithoutSamplesHasNoAudio() throws Exception {
        byte[] wav = TestAudioFiles.wav(1, 16, 2, 44100, 0, false);
        assertThrows(NoAudioException.class, () -> Decoders.open(TestAudioFiles.write(dir, "empty.wav", wav)));
        try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(wav))) {
            assertEquals(-1, a.read(new float[2][16], 16), "from a stream nothing decodes either");
        }
        byte[] aiff = TestAudioFiles.aiff(null, 16, 2, 44100, 0);
        assertThrows(NoAudioException.class, () -> Decoders.open(TestAudioFiles.write(dir, "empty.aiff", aiff)));
    }

    @Test
    void emptyInputIsCorrupt() {
        assertThrows(CorruptAudioException.class, () -> Decoders.open(new ByteArrayInputStream(new byte[0])));
    }

    @ParameterizedTest(name = "{0} random bytes")
    @ValueSource(ints = {3, 12, 100, 4096, 100_000})
    void randomBytesAreUnsupported(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        assertThrows(UnsupportedAudioFormatException.class, () -> Decoders.open(new ByteArrayInputStream(b)));
    }

    @Test
    void otherFormatsAreUnsupported() {
        byte[] oggFlac = new byte[64];
        System.arraycopy("OggS".getBytes(), 0, oggFlac, 0, 4);
        oggFlac[26] = 1;
        oggFlac[27] = 19;
        System.arraycopy("\u007fFLAC".getBytes(), 0, oggFlac, 28, 5);
        assertThrows(UnsupportedAudioFormatException.class, () -> Decoders.open(new ByteArrayInputStream(oggFlac)));
        byte[] adpcm = patched(20, 2, 2);
        assertThrows(UnsupportedAudioFormatException.class, () -> Decoders.open(new ByteArrayInputStream(adpcm)));
        byte[] text = "hello, this is a text file and not audio at all".getBytes();
        assertThrows(UnsupportedAudioFormatException.class, () -> Decoders.open(new ByteArrayInputStream(text)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"zero channels, 22, 0, 2", "zero block align, 32, 0, 2", "zero sample rate, 24, 0, 4",
        "absurd sample rate, 24, 2000000000, 4", "fmt chunk claims 2 GiB, 16, 2147483647, 4",
        "12-bit PCM block align mismatch, 34, 12, 2"})
    void lyingHeadersAreCorrupt(String what, int offset, int value, int size) {
        byte[] b = patched(offset, value, size);
        assertThrows(AudioDecodeException.class, () -> Decoders.open(new ByteArrayInputStream(b)), what);
    }

    @Test
    void absurdChannelCountIsUnsupportedAndRateOutsideRangeToo() {
        assertThrows(UnsupportedAudioFormatException.class, () -> Decoders.open(new ByteArrayInputStream(patched(22, 200, 2))));
        assertThrows(UnsupportedAudioFormatException.class, () -> Decoders.open(new ByteArrayInputStream(patched(24, 4000, 4))));
    }

    @Test
    void chunkClaimingGigabytesIsSkippedToEndOfInputAndRejectedQuickly() {
        byte[] b = patched(36 + 4, 0x7FFFFFF0, 4); // the LIST chunk's size
        assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertThrows(CorruptAudioException.class, () -> Decoders.open(new ByteArrayInputStream(b))));
    }

    @Test
    void anAiffWhoseHeaderPromisesMoreFramesThanItsSoundDataIsFlaggedTruncated() throws Exception {
        byte[] aiff = TestAudioFiles.aiff(null, 16, 2, 44100, 1000);
        java.nio.ByteBuffer.wrap(aiff).putInt(22, 5000); // COMM's frame count, after FORM, COMM, size, channels
        try (DecodedAudio a = Decoders.open(TestAudioFiles.write(dir, "promises.aiff", aiff))) {
            assertTrue(a.info().truncated());
            assertEquals(1000, a.info().lengthFrames());
            assertEquals(1000, TestAudioFiles.decodeAll(a).get(0).length);
        }
        try (DecodedAudio a = Decoders.open(TestAudioFiles.write(dir, "honest.aiff",
                TestAudioFiles.aiff(null, 16, 2, 44100, 1000)))) {
            assertFalse(a.info().truncated());
        }
    }

    @Test
    void truncatedWavIsAcceptedWithTheFramesPresentAndFlaggedTruncated() throws Exception {
        byte[] full = validWav();
        int dataStart = full.length - 4410 * 4;
        byte[] cut = Arrays.copyOf(full, dataStart + 1000 * 4 + 3); // plus a partial frame
        try (DecodedAudio a = Decoders.open(TestAudioFiles.write(dir, "cut.wav", cut))) {
            assertTrue(a.info().truncated());
            assertEquals(1000, a.info().lengthFrames());
            assertEquals(1000, TestAudioFiles.decodeAll(a).get(0).length);
        }
        try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(cut))) {
            assertEquals(4410, a.info().lengthFrames(), "from a stream the header is all we know");
            assertEquals(1000, TestAudioFiles.decodeAll(a).get(0).length, "but only real frames come out");
        }
    }

    /**
     * An RF64 file as broadcast recorders and ffmpeg write it: a ds64 chunk holding the data size ({@code promised}
     * bytes), the data chunk's own size 0xFFFFFFFF, then {@code frames} frames of 16-bit stereo at 44.1 kHz.
     */
    static byte[] rf64(long promised, int frames) {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + 28 + 8 + 16 + 8 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RF64".getBytes()).putInt(-1).put("WAVE".getBytes());
        b.put("ds64".getBytes()).putInt(28).putLong(b.capacity() - 8).putLong(promised).putLong(promised / 4).putInt(0);
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 2).putInt(44100).putInt(44100 * 4)
                .putShort((short) 4).putShort((short) 16);
        b.put("data".getBytes()).putInt(-1);
        for (int i = 0; i < frames; i++) {
            b.putShort((short) (i * 7)).putShort((short) -(i * 7));
        }
        return b.array();
    }

    @ParameterizedTest(name = "ds64 promises {0} bytes")
    @ValueSource(longs = {4000, 4004, 44100L * 4 * 3600, Long.MAX_VALUE, -1L}) // -1: 2^64-1, unsigned
    void anRf64IsTruncatedExactlyWhenItsDs64PromisesMoreThanItHoldsAndItsLengthIsWhatItHolds(long promised)
            throws Exception {
        byte[] file = rf64(promised, 1000); // 4000 bytes of samples
        try (DecodedAudio a = Decoders.open(TestAudioFiles.write(dir, "promises" + promised + ".rf64", file))) {
            assertEquals("RF64", a.info().formatName());
            assertEquals(promised != 4000, a.info().truncated());
            assertEquals(1000, a.info().lengthFrames(), "what the file holds, from the start");
            List<float[]> pcm = TestAudioFiles.decodeAll(a);
            assertEquals(1000, pcm.get(0).length);
            assertEquals(999 * 7 / 32768f, pcm.get(0)[999], 1e-6);
        }
        byte[] withAHalfFrame = Arrays.copyOf(file, file.length - 2);
        try (DecodedAudio a = Decoders.open(TestAudioFiles.write(dir, "half" + promised + ".rf64", withAHalfFrame))) {
            assertTrue(a.info().truncated());
            assertEquals(999, a.info().lengthFrames());
            assertEquals(999, TestAudioFiles.decodeAll(a).get(0).length);
        }
    }

    @Test
    void aWavOrRf64CutBeforeItsFirstSampleHoldsNoAudioAndOneWithPartOfAFrameIsCorrupt() throws Exception {
        byte[] rf64 = rf64(44100L * 4 * 60, 0); // a minute promised, the header alone
        assertThrows(NoAudioException.class, () -> Decoders.open(TestAudioFiles.write(dir, "none.rf64", rf64)));
        byte[] wav = validWav();
        byte[] header = Arrays.copyOf(wav, wav.length - 4410 * 4);
        assertThrows(NoAudioException.class, () -> Decoders.open(TestAudioFiles.write(dir, "none.wav", header)));
        byte[] partOfAFrame = Arrays.copyOf(rf64(4000, 1), rf64(4000, 1).length - 1);
        assertThrows(CorruptAudioException.class,
                () -> Decoders.open(TestAudioFiles.write(dir, "part.rf64", partOfAFrame)));
        byte[] aiff = TestAudioFiles.aiff(null, 16, 2, 44100, 1000);
        byte[] aiffHeader = Arrays.copyOf(aiff, aiff.length - 1000 * 4);
        assertThrows(NoAudioException.class, () -> Decoders.open(TestAudioFiles.write(dir, "none.aiff", aiffHeader)));
    }

    @Test
    void dataChunkLargerThanTheFileDoesNotMakeUsAllocateIt() throws Exception {
        byte[] b = patched(validWav().length - 4410 * 4 - 4, Integer.MAX_VALUE, 4);
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(b))) {
            assertEquals(4410, TestAudioFiles.decodeAll(a).get(0).length);
        }
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(after - before < 64L << 20, "no header-sized allocation");
    }

    @ParameterizedTest(name = "header cut at {0} bytes")
    @ValueSource(ints = {13, 20, 30, 43, 60})
    void wavCutInsideItsHeaderIsCorrupt(int length) {
        byte[] b = Arrays.copyOf(validWav(), length);
        assertThrows(CorruptAudioException.class, () -> Decoders.open(new ByteArrayInputStream(b)));
    }

    @Test
    void garbageAfterAMagicNumberIsCorruptNotACrash() {
        Random r = new Random(1);
        for (String magic : List.of("fLaC", "OggS", "RIFF", "FORM")) {
            byte[] b = new byte[5000];
            r.nextBytes(b);
            System.arraycopy(magic.getBytes(), 0, b, 0, 4);
            if (magic.equals("RIFF")) {
                System.arraycopy("WAVE".getBytes(), 0, b, 8, 4);
            } else if (magic.equals("FORM")) {
                System.arraycopy("AIFF".getBytes(), 0, b, 8, 4);
            }
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(b))) {
                    TestAudioFiles.decodeAll(a);
                } catch (AudioDecodeException expected) {
                    // fine: typed rejection
                }
            }, magic);
        }
    }

    /** Mutation fuzzing of real files: any outcome but a typed exception, a hang or a crash is a bug. */
    @Test
    void mutatedFilesOfEveryFormatDecodeOrFailWithTypedErrorsInBoundedTime() throws Exception {
        java.util.List<byte[]> seeds = new java.util.ArrayList<>();
        seeds.add(validWav());
        seeds.add(TestAudioFiles.aiff("sowt", 16, 2, 44100, 4000));
        Path wav = referenceWav(44100, 2, 0.5);
        for (String[] tool : new String[][] {{"flac", "flac", "-s", "-f", "-o", "%o", "%i"},
            {"lame", "lame", "--quiet", "%i", "%o"}, {"oggenc", "oggenc", "-Q", "-o", "%o", "%i"}}) {
            if (TestAudioFiles.toolAvailable(tool[0])) {
                Path out = dir.resolve("fuzz." + tool[0]);
                String[] cmd = Arrays.copyOfRange(tool, 1, tool.length);
                for (int i = 0; i < cmd.length; i++) {
                    cmd[i] = cmd[i].replace("%o", out.toString()).replace("%i", wav.toString());
                }
                TestAudioFiles.run(cmd);
                seeds.add(Files.readAllBytes(out));
            }
        }
        Random r = new Random(99);
        for (byte[] seed : seeds) {
            for (int round = 0; round < 25; round++) {
                byte[] b = round % 5 == 4 ? Arrays.copyOf(seed, r.nextInt(seed.length)) : seed.clone();
                int flips = 1 + r.nextInt(40);
                for (int k = 0; k < flips && b.length > 0; k++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                TestAudioFiles.decodesOrRefuses(b, Duration.ofSeconds(10));
            }
        }
        assertFalse(seeds.isEmpty());
    }
}
