package studio.nexus.audio.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
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

/** µ-law, A-law, IMA and MS ADPCM, RIFX: made by ffmpeg/sox, checked sample by sample against sox's decode. */
class WavCodecsTest {
    @TempDir
    static Path dir;

    static Path source(int rate, int channels, int frames) throws Exception {
        Path p = dir.resolve("src" + rate + channels + frames + ".wav");
        if (!Files.exists(p)) {
            Files.write(p, TestAudioFiles.wav(1, 16, channels, rate, frames, false));
        }
        return p;
    }

    /**
     * sox's decode of {@code file} as interleaved 16-bit samples: the reference, because sox decodes ADPCM as
     * the IMA and Microsoft reference decoders do (ffmpeg multiplies where IMA's adds shifted steps and divides
     * where Microsoft's shifts, so it lands up to a few dozen steps away). Whole blocks, past the fact length.
     */
    static short[] referenceDecode(Path file) throws Exception {
        Path raw = dir.resolve(file.getFileName() + ".s16");
        TestAudioFiles.run("sox", file.toString(), "-t", "s16", "-e", "signed", "-L", raw.toString());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[b.remaining() / 2];
        b.asShortBuffer().get(s);
        return s;
    }

    /**
     * sox writes the exact length in the fact chunk; ffmpeg writes whole blocks there (its padding included),
     * and then that is the length: a fact chunk is the only length an ADPCM file states.
     */
    @ParameterizedTest(name = "{0} {1} {2} Hz {3} ch")
    @CsvSource({"ffmpeg, pcm_mulaw, 8000, 1, 8", "ffmpeg, pcm_alaw, 8000, 1, 8", "ffmpeg, pcm_mulaw, 44100, 2, 8",
        "ffmpeg, pcm_alaw, 22050, 2, 8", "sox, u-law, 48000, 6, 8", "sox, a-law, 16000, 3, 8",
        "ffmpeg, adpcm_ima_wav, 44100, 2, 4", "ffmpeg, adpcm_ima_wav, 8000, 1, 4", "sox, ima-adpcm, 48000, 2, 4",
        "sox, ima-adpcm, 11025, 1, 4", "ffmpeg, adpcm_ms, 44100, 2, 4", "ffmpeg, adpcm_ms, 8000, 1, 4",
        "sox, ms-adpcm, 22050, 2, 4", "sox, ms-adpcm, 44100, 1, 4"})
    void compressedWavDecodesLikeTheReferenceDecoderWithTheLengthItStates(String tool, String codec, int rate, int channels,
            int bits) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable(tool), tool + " not installed");
        assumeTrue(TestAudioFiles.toolAvailable("sox"), "sox not installed");
        int frames = rate + 1234; // not a whole number of ADPCM blocks
        Path wav = dir.resolve(tool + codec + rate + channels + ".wav");
        String src = source(rate, channels, frames).toString();
        if (tool.equals("sox")) {
            TestAudioFiles.run("sox", src, "-e", codec, wav.toString());
        } else {
            TestAudioFiles.run("ffmpeg", "-v", "error", "-y", "-i", src, "-c:a", codec, wav.toString());
        }
        short[] expected = referenceDecode(wav);
        long stated = tool.equals("sox") || bits == 8 ? frames : expected.length / channels;
        assertEquals(true, expected.length >= stated * channels, "sox decodes at least as much");
        for (DecodedAudio a : List.of(Decoders.open(wav), Decoders.open(Files.newInputStream(wav)))) {
            try (a) {
                assertEquals("WAV", a.info().formatName());
                assertEquals(rate, a.info().sampleRate());
                assertEquals(channels, a.info().channels());
                assertEquals(bits, a.info().bitsPerSample());
                assertEquals(stated, a.info().lengthFrames());
                List<float[]> pcm = TestAudioFiles.decodeAll(a);
                assertEquals(stated, pcm.get(0).length);
                for (int c = 0; c < channels; c++) {
                    for (int i = 0; i < stated; i++) {
                        assertEquals(expected[i * channels + c] / 32768f, pcm.get(c)[i], 0.5f / 32768,
                                "channel " + c + " frame " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @CsvSource({"8", "16", "24", "32"})
    void bigEndianRifxFromSoxDecodesLikeTheLittleEndianOriginal(int bits) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("sox"), "sox not installed");
        int frames = 22050 + 7;
        Path src = dir.resolve("rifxsrc" + bits + ".wav");
        Files.write(src, TestAudioFiles.wav(1, bits, 2, 22050, frames, false));
        Path rifx = dir.resolve("rifx" + bits + ".wav");
        TestAudioFiles.run("sox", src.toString(), "-B", rifx.toString());
        assertEquals("RIFX", new String(Files.readAllBytes(rifx), 0, 4));
        try (DecodedAudio a = Decoders.open(rifx); DecodedAudio b = Decoders.open(src)) {
            assertEquals(22050, a.info().sampleRate());
            assertEquals(2, a.info().channels());
            assertEquals(bits, a.info().bitsPerSample());
            assertEquals(frames, a.info().lengthFrames());
            List<float[]> got = TestAudioFiles.decodeAll(a);
            List<float[]> want = TestAudioFiles.decodeAll(b);
            for (int c = 0; c < 2; c++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(want.get(c), got.get(c));
            }
        }
    }

    static byte[] adpcm(String codec) throws Exception {
        Path wav = dir.resolve("hostile-" + codec + ".wav");
        if (!Files.exists(wav)) {
            TestAudioFiles.run("ffmpeg", "-v", "error", "-y", "-i", source(44100, 2, 20000).toString(), "-c:a", codec,
                    wav.toString());
        }
        return Files.readAllBytes(wav);
    }

    /** ffmpeg's ADPCM fmt chunk starts at 12; its fields at 20 (tag), 22 (channels), 32 (block align). */
    static byte[] patched(byte[] file, int offset, int value) {
        byte[] b = file.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, (short) value);
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"adpcm_ima_wav", "adpcm_ms"})
    void hostileAdpcmIsRefusedWithATypedErrorQuickly(String codec) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        byte[] good = adpcm(codec);
        for (byte[] bad : List.of(patched(good, 32, 0), patched(good, 32, 1), patched(good, 22, 0),
                patched(good, 34, 0), patched(good, 38, 60000), Arrays.copyOf(good, 50))) {
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThrows(AudioDecodeException.class,
                    () -> Decoders.open(new ByteArrayInputStream(bad))));
        }
        // a block align of 65535 (the most a header can say) allocates a block, not the file
        Random r = new Random(3);
        for (int round = 0; round < 40; round++) {
            TestAudioFiles.decodesOrRefuses(TestAudioFiles.mutated(good, r, round % 4 == 0), Duration.ofSeconds(2));
        }
    }

    @Test
    void aTruncatedAdpcmFileDecodesTheBlocksItHolds() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        byte[] good = adpcm("adpcm_ima_wav");
        byte[] cut = Arrays.copyOf(good, good.length / 2);
        try (DecodedAudio a = Decoders.open(TestAudioFiles.write(dir, "cut-ima.wav", cut))) {
            assertEquals(true, a.info().truncated());
            long frames = a.info().lengthFrames();
            assertEquals(frames, TestAudioFiles.decodeAll(a).get(0).length);
            assertEquals(10000, frames, 1100);
        }
    }

    @Test
    void aRifxAdpcmOrTwelveBitMuLawIsRefused() throws Exception {
        byte[] mulaw = TestAudioFiles.wav(1, 16, 1, 8000, 100, false);
        ByteBuffer.wrap(mulaw).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 7);
        assertThrows(AudioDecodeException.class, () -> Decoders.open(new ByteArrayInputStream(mulaw)));
    }
}
