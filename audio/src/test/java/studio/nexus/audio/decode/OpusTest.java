package studio.nexus.audio.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ogg Opus from libopus (through ffmpeg): 48 kHz, pre-skip dropped and the end cut at the last granule, so
 * the frame count is the source's; samples agree with ffmpeg's own decode.
 */
class OpusTest {
    @TempDir
    static Path dir;

    static Path opus(int rate, int channels, int frames, String... extra) throws Exception {
        Path wav = dir.resolve("o" + rate + channels + frames + ".wav");
        Files.write(wav, TestAudioFiles.wav(1, 16, channels, rate, frames, channels > 2));
        Path out = dir.resolve("o" + rate + channels + frames + extra.length + ".opus");
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-i", wav.toString(),
                "-c:a", "libopus"));
        cmd.addAll(List.of(extra));
        cmd.add(out.toString());
        TestAudioFiles.run(cmd.toArray(String[]::new));
        return out;
    }

    /** At low bitrates libopus uses SILK, where ffmpeg's own decoder differs more from libopus'. */
    @ParameterizedTest(name = "{0} ch, {1}")
    @CsvSource({"1, 64k, 1e-3", "2, 96k, 1e-3", "6, 256k, 1e-3", "2, 16k, 1e-2"})
    void oggOpusDecodesAt48kHzWithTheSourcesExactLengthAndFfmpegsSamples(int channels, String bitrate,
            double tolerance) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        int frames = 48_000 + 321;
        Path file = opus(48_000, channels, frames, "-b:a", bitrate);
        Path raw = dir.resolve(file.getFileName() + ".f32");
        TestAudioFiles.run("ffmpeg", "-v", "error", "-y", "-i", file.toString(), "-f", "f32le", raw.toString());
        ByteBuffer ref = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(frames * channels * 4, ref.capacity(), "ffmpeg trims to the source's length too");
        try (DecodedAudio a = Decoders.open(file)) {
            assertEquals("Ogg Opus", a.info().formatName());
            assertEquals(48_000, a.info().sampleRate());
            assertEquals(channels, a.info().channels());
            assertEquals(frames, a.info().lengthFrames());
            List<float[]> pcm = TestAudioFiles.decodeAll(a);
            assertEquals(frames, pcm.get(0).length);
            for (int c = 0; c < channels; c++) {
                double error = 0;
                double energy = 0;
                for (int i = 0; i < frames; i++) {
                    double d = pcm.get(c)[i] - ref.getFloat((i * channels + c) * 4);
                    error += d * d;
                    energy += ref.getFloat((i * channels + c) * 4) * ref.getFloat((i * channels + c) * 4);
                }
                assertTrue(error < energy * tolerance + 1e-6, "channel " + c + " matches ffmpeg's (error " + error
                        + " of " + energy + ")");
            }
        }
        try (DecodedAudio a = Decoders.open(Files.newInputStream(file))) {
            assertEquals(-1, a.info().lengthFrames(), "unknown from a stream");
            assertEquals(frames, TestAudioFiles.decodeAll(a).get(0).length, "but the decode is exact");
        }
    }

    @Test
    void aVoiceNoteAt16kHzInIsStill48kHzOutWithItsDuration() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        Path file = opus(16_000, 1, 16_000 * 3, "-b:a", "24k", "-application", "voip");
        try (DecodedAudio a = Decoders.open(file)) {
            assertEquals(48_000, a.info().sampleRate());
            assertEquals(3 * 48_000, a.info().lengthFrames());
            assertEquals(3 * 48_000, TestAudioFiles.decodeAll(a).get(0).length);
        }
    }

    static byte[] valid() throws Exception {
        return Files.readAllBytes(opus(48_000, 2, 24_000, "-b:a", "64k"));
    }

    /** OpusHead sits at 28 in the first page (one segment); its fields follow the 8-byte magic. */
    static byte[] patched(byte[] b, int offset, int value) {
        byte[] c = b.clone();
        c[28 + offset] = (byte) value;
        return c;
    }

    @Test
    void hostileOggOpusIsRefusedWithATypedErrorQuickly() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        byte[] good = valid();
        // the Ogg page CRC covers the header, so a patched one is a damaged page, refused like a lying field
        for (byte[] bad : List.of(patched(good, 9, 0), patched(good, 9, 9), patched(good, 9, 200),
                patched(good, 18, 1), patched(good, 18, 255), patched(good, 8, 0x10), Arrays.copyOf(good, 40),
                Arrays.copyOf(good, 80))) {
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThrows(AudioDecodeException.class,
                    () -> Decoders.open(new ByteArrayInputStream(bad))));
        }
        byte[] garbage = good.clone();
        new Random(5).nextBytes(garbage);
        System.arraycopy(good, 0, garbage, 0, 47); // a real first page, then noise
        TestAudioFiles.decodesOrRefuses(garbage, Duration.ofSeconds(2));
        Random r = new Random(11);
        for (int round = 0; round < 60; round++) {
            TestAudioFiles.decodesOrRefuses(TestAudioFiles.mutated(good, r, round % 4 == 0), Duration.ofSeconds(2));
        }
    }

    static byte[] oggPage(int headerType, long granule, int sequence, int[] lacing, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(27 + lacing.length + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("OggS".getBytes()).put((byte) 0).put((byte) headerType).putLong(granule).putInt(77).putInt(sequence)
                .putInt(0).put((byte) lacing.length);
        for (int l : lacing) {
            b.put((byte) l);
        }
        b.put(body);
        byte[] page = b.array();
        int crc = 0;
        for (byte x : page) { // Ogg's CRC-32: polynomial 0x04c11db7, not reflected, computed with the CRC field zero
            crc ^= (x & 0xff) << 24;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
            }
        }
        ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).putInt(22, crc);
        return page;
    }

    @Test
    void aPacketThatNeverEndsIsRefusedBeforeItFillsTheHeap() throws Exception {
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        byte[] head = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN).put("OpusHead".getBytes()).put((byte) 1)
                .put((byte) 2).putShort((short) 312).putInt(48000).putShort((short) 0).put((byte) 0).array();
        file.write(oggPage(2, 0, 0, new int[] {19}, head));
        byte[] tags = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).put("OpusTags".getBytes()).putInt(0)
                .putInt(0).array();
        file.write(oggPage(0, 0, 1, new int[] {16}, tags));
        int[] lacing = new int[255];
        Arrays.fill(lacing, 255);
        byte[] body = new byte[255 * 255];
        for (int page = 0; page < 400; page++) { // 26 MB of one packet that never ends
            file.write(oggPage(page == 0 ? 0 : 1, -1, 2 + page, lacing, body));
        }
        byte[] b = file.toByteArray();
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            CorruptAudioException e = assertThrows(CorruptAudioException.class, () -> {
                try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(b))) {
                    TestAudioFiles.decodeAll(a);
                }
            });
            assertTrue(e.getMessage().contains("MiB"), e.getMessage());
        });
    }

    @Test
    void aTruncatedOpusFileDecodesWhatItHolds() throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        byte[] good = Files.readAllBytes(opus(48_000, 2, 48_000 * 4, "-b:a", "64k"));
        try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(Arrays.copyOf(good, good.length / 2)))) {
            int n = TestAudioFiles.decodeAll(a).get(0).length;
            assertTrue(n > 48_000 && n < 48_000 * 3, n + " frames");
        }
    }
}
