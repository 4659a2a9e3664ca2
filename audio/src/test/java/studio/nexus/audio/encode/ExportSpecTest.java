package studio.nexus.audio.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.Signals;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;

class ExportSpecTest {
    @TempDir
    Path dir;

    /** Music already on the codes of {@code bits}-bit PCM, as a decoded original of that depth is. */
    private static float[][] onCodes(int bits) {
        float[][] x = Signals.music(2, 44100, 44100);
        double scale = Math.pow(2, bits - 1);
        for (float[] channel : x) {
            for (int i = 0; i < channel.length; i++) {
                channel[i] = (float) (Math.rint(channel[i] * 0.5 * scale) / scale) + 0.0f; // no -0.0: PCM has one zero
            }
        }
        return x;
    }

    private Path write(ExportSpec spec, float[][] x) throws Exception {
        Path out = dir.resolve(spec.container() + spec.bitDepth() + spec.bitrateKbps() + spec.vbrQuality() + "."
                + spec.extension());
        try (AudioSink sink = spec.open(out, 44100, x.length)) {
            sink.write(x, x[0].length);
        }
        return out;
    }

    private static float[][] read(Path p, int expectedBits) throws Exception {
        try (DecodedAudio a = Decoders.open(p)) {
            assertEquals(expectedBits, a.info().bitsPerSample(), p.toString());
            return EncodersTest.readAll(a);
        }
    }

    @ParameterizedTest
    @CsvSource({"wav,16,16", "wav,16,24", "flac,16,16", "flac,16,24", "wav,24,24", "flac,24,24"})
    void samplesAlreadyOnTheTargetsCodesAreWrittenExactlyWithoutDither(String container, int sourceBits,
            int targetBits) throws Exception {
        float[][] x = onCodes(sourceBits);
        ExportSpec spec = container.equals("wav") ? ExportSpec.wav(targetBits) : ExportSpec.flac(targetBits);
        float[][] back = read(write(spec, x), targetBits);
        for (int c = 0; c < x.length; c++) {
            assertArrayEquals(x[c], back[c], container + " " + sourceBits + "→" + targetBits);
        }
    }

    @ParameterizedTest
    @CsvSource({"wav", "flac"})
    void reducingTwentyFourBitsToSixteenIsDitheredWithinOneAndAHalfSteps(String container) throws Exception {
        float[][] x = onCodes(24);
        ExportSpec spec = container.equals("wav") ? ExportSpec.wav(16) : ExportSpec.flac(16);
        float[][] back = read(write(spec, x), 16);
        int differsFromRounding = 0;
        for (int i = 0; i < x[0].length; i++) {
            double exact = x[0][i] * 32768.0;
            double got = back[0][i] * 32768.0;
            assertTrue(Math.abs(got - exact) <= 1.5, "error at " + i);
            if (got != Math.rint(exact)) {
                differsFromRounding++;
            }
        }
        assertTrue(differsFromRounding > 1000, "TPDF dither moves many samples off plain rounding: "
                + differsFromRounding);
    }

    @Test
    void mp3ConstantBitratesGiveFilesOfThatRateAndVbrQualitiesScaleTheSize() throws Exception {
        float[][] x = Signals.music(2, 44100 * 4, 44100);
        for (int kbps : Mp3Encoder.BITRATES) {
            long bytes = Files.size(write(ExportSpec.mp3Cbr(kbps), x));
            assertEquals(kbps * 1000 / 8.0 * 4, bytes, kbps * 1000 / 8.0 * 0.15, kbps + " kb/s");
        }
        long v0 = Files.size(write(ExportSpec.mp3Vbr(0), x));
        long v9 = Files.size(write(ExportSpec.mp3Vbr(9), x));
        assertTrue(v0 > v9 * 1.5, "V0 " + v0 + " bytes, V9 " + v9);
        for (String vbr : new String[] {"mp3000.mp3", "mp3009.mp3"}) {
            try (DecodedAudio a = Decoders.open(dir.resolve(vbr))) {
                assertEquals(44100, a.info().sampleRate(), vbr + " keeps the source's rate");
                assertEquals(2, a.info().channels());
                assertEquals(4.0, EncodersTest.readAll(a)[0].length / 44100.0, 0.08);
            }
        }
    }

    @Test
    void optionsOutsideWhatEachContainerHoldsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ExportSpec.flac(32));
        assertThrows(IllegalArgumentException.class, () -> ExportSpec.wav(8));
        assertThrows(IllegalArgumentException.class, () -> ExportSpec.mp3Cbr(224));
        assertThrows(IllegalArgumentException.class, () -> ExportSpec.mp3Vbr(10));
        assertThrows(IllegalArgumentException.class, () -> ExportSpec.mp3Vbr(-1));
        assertEquals("audio/mpeg", ExportSpec.mp3Vbr(2).mimeType());
        assertEquals("audio/flac", ExportSpec.flac(16).mimeType());
    }
}
