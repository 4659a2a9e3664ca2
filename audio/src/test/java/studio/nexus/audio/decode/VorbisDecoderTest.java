package studio.nexus.audio.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our Vorbis decoder gives libvorbis' samples (as ffmpeg decodes them), frame for frame. */
class VorbisDecoderTest {
    @TempDir
    static Path dir;

    @Test
    void theInverseMdctIsTheSpecsSumOfCosines() {
        for (int n : new int[] {64, 256, 2048}) {
            Random r = new Random(n);
            float[] spectrum = new float[n / 2];
            for (int k = 0; k < n / 2; k++) {
                spectrum[k] = (float) r.nextGaussian();
            }
            float[] fast = new float[n];
            new VorbisImdct(n).inverse(spectrum.clone(), fast);
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int k = 0; k < n / 2; k++) {
                    sum += spectrum[k] * Math.cos(2 * Math.PI / n * (i + 0.5 + n / 4.0) * (k + 0.5));
                }
                assertEquals(sum, fast[i], 1e-3 * Math.sqrt(n), "n " + n + " sample " + i);
            }
        }
    }

    /** Sweep plus noise, so every codebook, long and short blocks and both coupling branches are exercised. */
    static Path encoded(int rate, int channels, double seconds, String quality) throws Exception {
        String name = "v" + rate + channels + quality;
        Path wav = dir.resolve(name + ".wav");
        TestAudioFiles.run("sox", "-n", "-r", String.valueOf(rate), "-c", String.valueOf(channels), "-b", "16",
                wav.toString(), "synth", String.valueOf(seconds), "sine", "110-3520", "pinknoise", "vol", "0.5",
                "fade", "0", "-0", "0.3");
        Path ogg = dir.resolve(name + ".ogg");
        TestAudioFiles.run("oggenc", "-Q", "-q", quality, "-o", ogg.toString(), wav.toString());
        return ogg;
    }

    @ParameterizedTest(name = "{0} Hz, {1} ch, q{2}")
    @CsvSource({"44100, 2, 5", "44100, 2, -1", "48000, 1, 3", "22050, 2, 10", "32000, 2, 0", "44100, 6, 4"})
    void oggencFilesDecodeToFfmpegsSamplesAbove90dBWithTheExactLength(int rate, int channels, String quality)
            throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("oggenc") && TestAudioFiles.toolAvailable("sox")
                && TestAudioFiles.toolAvailable("ffmpeg"), "oggenc, sox or ffmpeg not installed");
        double seconds = 3.3;
        Path ogg = encoded(rate, channels, seconds, quality);
        Path raw = dir.resolve(ogg.getFileName() + ".f32");
        TestAudioFiles.run("ffmpeg", "-v", "error", "-y", "-i", ogg.toString(), "-f", "f32le", raw.toString());
        ByteBuffer ref = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        int frames = (int) Math.round(seconds * rate);
        assertEquals(frames * channels * 4, ref.capacity(), "ffmpeg gives the source's length");
        int[] wav = VorbisSource.wavOrder(channels); // ffmpeg delivers WAV order too
        try (DecodedAudio a = Decoders.open(ogg)) {
            assertEquals(frames, a.info().lengthFrames());
            List<float[]> pcm = TestAudioFiles.decodeAll(a);
            assertEquals(frames, pcm.get(0).length);
            for (int c = 0; c < channels; c++) {
                double error = 0;
                double energy = 0;
                for (int i = 0; i < frames; i++) {
                    float expected = ref.getFloat((i * channels + c) * 4);
                    double d = pcm.get(c)[i] - expected;
                    error += d * d;
                    energy += expected * expected;
                }
                double snr = 10 * Math.log10(energy / Math.max(error, 1e-30));
                assertTrue(snr > 90, "channel " + c + " (" + wav[c] + ") at " + snr + " dB");
            }
        }
    }
}
