package studio.nexus.audio.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import studio.nexus.audio.Signals;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;

class EncodersTest {
    @TempDir
    Path dir;

    static float[][] readAll(DecodedAudio a) throws IOException {
        float[][] out = new float[a.channels()][0];
        float[][] buf = new float[a.channels()][4096];
        int n;
        int len = 0;
        while ((n = a.read(buf, 4096)) >= 0) {
            for (int c = 0; c < a.channels(); c++) {
                out[c] = Arrays.copyOf(out[c], len + n);
                System.arraycopy(buf[c], 0, out[c], len, n);
            }
            len += n;
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(WavEncoder.SampleFormat.class)
    void wavRoundTripsThroughOurDecoderToAPathWithUnknownLength(WavEncoder.SampleFormat format) throws Exception {
        float[][] in = Signals.music(2, 30000, 48000);
        Path p = dir.resolve("x.wav");
        try (WavEncoder w = WavEncoder.create(p, 48000, 2, format)) {
            w.write(in, 10000);
            float[][] rest = {Arrays.copyOfRange(in[0], 10000, 30000), Arrays.copyOfRange(in[1], 10000, 30000)};
            w.write(rest, 20000);
        }
        try (DecodedAudio a = Decoders.open(p)) {
            assertEquals(30000, a.info().lengthFrames());
            assertEquals(format == WavEncoder.SampleFormat.PCM_16 ? 16 : format == WavEncoder.SampleFormat.PCM_24 ? 24 : 32,
                    a.info().bitsPerSample());
            float[][] out = readAll(a);
            double lsb = format == WavEncoder.SampleFormat.PCM_16 ? 1 / 32768.0 : format == WavEncoder.SampleFormat.PCM_24
                    ? 1 / 8388608.0 : 0;
            for (int i = 0; i < 30000; i++) {
                assertEquals(in[1][i], out[1][i], 2.01 * lsb, "TPDF dither stays within ±2 LSB");
            }
        }
        assertTrue(ffprobeAccepts(p));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1.5, 32767", "-1.5, -32768", "1.0, 32767", "-1.0, -32768", "0.5, 16384", "NaN, 0", "Infinity, 32767",
        "-Infinity, -32768", "1e30, 32767"})
    void sixteenBitPcmClampsAndNeverWraps(float input, int expected) {
        assertEquals(expected, new Quantizer(16, false).quantize(input));
        int dithered = new Quantizer(16, true).quantize(input);
        assertTrue(Math.abs(dithered - expected) <= 1, "dither moves at most 1 LSB, clamps too: " + dithered);
    }

    @Test
    void twentyFourBitClampsAtItsExtremes() {
        assertEquals(8388607, new Quantizer(24, true).quantize(2f));
        assertEquals(-8388608, new Quantizer(24, true).quantize(-2f));
    }

    @Test
    void streamedWavWithUnknownLengthIsReadToTheEnd() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (WavEncoder w = WavEncoder.create(bytes, 44100, 1, WavEncoder.SampleFormat.PCM_16, false, -1)) {
            w.write(Signals.sine(1, 5000, 44100, 440, 0.5), 5000);
        }
        try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(-1, a.info().lengthFrames());
            assertEquals(5000, readAll(a)[0].length);
        }
    }

    @Test
    void streamedWavWithAnnouncedLengthPadsMissingFramesAndRefusesExtraOnes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WavEncoder w = WavEncoder.create(bytes, 44100, 2, WavEncoder.SampleFormat.PCM_24, false, 1000);
        w.write(Signals.sine(2, 600, 44100, 440, 0.5), 600);
        assertThrows(IOException.class, () -> w.write(Signals.sine(2, 500, 44100, 440, 0.5), 500));
        w.close();
        try (DecodedAudio a = Decoders.open(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(1000, a.info().lengthFrames());
            float[][] out = readAll(a);
            assertEquals(1000, out[0].length);
            assertEquals(0f, out[0][999]);
        }
    }

    @Test
    void wavBeyondTheRiffLimitBecomesRf64() throws Exception {
        Path p = dir.resolve("big.wav");
        try (WavEncoder w = WavEncoder.create(p, 48000, 2, WavEncoder.SampleFormat.PCM_24, false, 1000)) {
            w.write(Signals.sine(2, 48000, 48000, 1000, 0.5), 48000);
        }
        assertEquals("RF64", new String(Arrays.copyOf(Files.readAllBytes(p), 4)));
        try (DecodedAudio a = Decoders.open(p)) {
            assertEquals("RF64", a.info().formatName());
            assertEquals(48000, a.info().lengthFrames());
            assertEquals(48000, readAll(a)[0].length);
        }
        assertTrue(ffprobeAccepts(p));
    }

    @Test
    void flacRoundTripsThroughOurDecoder() throws Exception {
        float[][] in = Signals.music(2, 50000, 44100);
        Path p = dir.resolve("x.flac");
        try (FlacEncoder f = FlacEncoder.create(p, 44100, 2, 16)) {
            f.write(in, 50000);
        }
        try (DecodedAudio a = Decoders.open(p)) {
            assertEquals("FLAC", a.info().formatName());
            assertEquals(50000, a.info().lengthFrames(), "STREAMINFO patched at close");
            float[][] out = readAll(a);
            assertEquals(50000, out[0].length);
            for (int i = 0; i < 50000; i += 7) {
                assertEquals(in[0][i], out[0][i], 2.01 / 32768);
            }
        }
        assertTrue(ffprobeAccepts(p));
    }

    @Test
    void mp3EncodesAndDecodesWithRateAndDuration() throws Exception {
        float[][] in = Signals.sine(2, 88200, 44100, 440, 0.5);
        Path p = dir.resolve("x.mp3");
        try (Mp3Encoder m = Mp3Encoder.create(p, 44100, 2, 192, false)) {
            m.write(in, 88200);
        }
        try (DecodedAudio a = Decoders.open(p)) {
            assertEquals("MP3", a.info().formatName());
            assertEquals(44100, a.info().sampleRate());
            float[][] out = readAll(a);
            assertEquals(2.0, out[0].length / 44100.0, 0.1);
            assertEquals(Signals.rms(in[0], 22050, 66150), Signals.rms(out[0], 22050, 66150), 0.03);
        }
    }

    /** Cross-check with ffprobe when installed; true when it is absent. */
    static boolean ffprobeAccepts(Path p) throws Exception {
        try {
            Process pr = new ProcessBuilder("ffprobe", "-v", "error", p.toString()).redirectErrorStream(true).start();
            String log = new String(pr.getInputStream().readAllBytes());
            return pr.waitFor() == 0 && log.isBlank();
        } catch (IOException e) {
            return true;
        }
    }
}
