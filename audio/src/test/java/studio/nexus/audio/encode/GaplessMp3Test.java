package studio.nexus.audio.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;

/**
 * MP3 timing: what we encode, and what LAME encodes, decodes to the source's length and in time with it (a click
 * lands within 1 ms of where it was), through our decoder and through ffmpeg.
 */
class GaplessMp3Test {
    @TempDir
    Path dir;

    /** Clicks (2 ms windowed bursts) on silence at awkward places, in every channel; an odd length. */
    static float[][] clicks(int channels, int rate) {
        int frames = (int) (1.37 * rate) + 7;
        float[][] out = new float[channels][frames];
        int burst = rate / 500;
        for (double at : new double[] {0.013, 0.41, 0.9031}) {
            int start = (int) (at * rate);
            for (int i = 0; i < burst; i++) {
                double window = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / burst);
                for (int c = 0; c < channels; c++) {
                    out[c][start + i] = (float) (0.8 * window * Math.sin(2 * Math.PI * 2000 * i / rate));
                }
            }
        }
        return out;
    }

    /** The lag (decoded minus source, in frames) that best lines the decoded channel up with the source. */
    static int lag(float[] source, float[] decoded, int maxLag) {
        int best = 0;
        double bestSum = Double.NEGATIVE_INFINITY;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double sum = 0;
            for (int i = Math.max(0, -lag); i < source.length && i + lag < decoded.length; i++) {
                sum += source[i] * decoded[i + lag];
            }
            if (sum > bestSum) {
                bestSum = sum;
                best = lag;
            }
        }
        return best;
    }

    static float[] ours(Path mp3, int[] frames) throws IOException {
        try (DecodedAudio audio = Decoders.open(mp3)) {
            float[] out = new float[1 << 16];
            float[][] buffer = new float[audio.channels()][4096];
            int length = 0;
            int n;
            while ((n = audio.read(buffer, 4096)) >= 0) {
                if (length + n > out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
                System.arraycopy(buffer[0], 0, out, length, n);
                length += n;
            }
            frames[0] = length;
            assertEquals(length, audio.info().lengthFrames(), "the length we report is the length that decodes");
            return java.util.Arrays.copyOf(out, length);
        }
    }

    /** The first channel as ffmpeg decodes it (32-bit float). */
    static float[] ffmpeg(Path mp3, int channels) throws Exception {
        byte[] raw = run("ffmpeg", "-v", "error", "-i", mp3.toString(), "-f", "f32le", "-acodec", "pcm_f32le", "-");
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] first = new float[raw.length / 4 / channels];
        for (int i = 0; i < first.length; i++) {
            first[i] = b.getFloat(i * 4 * channels);
        }
        return first;
    }

    static byte[] run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, String.join(" ", command));
        return out.toByteArray();
    }

    static boolean installed(String tool) {
        try {
            Process process = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0} Hz, {1} ch, {2} kb/s, vbr {3}")
    @CsvSource({"44100, 2, 192, false", "48000, 1, 128, false", "22050, 2, 64, false", "32000, 2, 320, false",
        "44100, 2, 192, true"})
    void ourMp3DecodesToTheSourcesLengthAndTimingHereAndInFfmpeg(int rate, int channels, int kbps, boolean vbr)
            throws Exception {
        float[][] source = clicks(channels, rate);
        Path mp3 = dir.resolve("ours-" + rate + channels + kbps + vbr + ".mp3");
        try (Mp3Encoder encoder = Mp3Encoder.create(mp3, rate, channels, kbps, vbr)) {
            encoder.write(source, source[0].length);
        }
        int oneMs = rate / 1000;
        int[] frames = new int[1];
        float[] decoded = ours(mp3, frames);
        assertEquals(source[0].length, frames[0], "decoded frames");
        int ourLag = lag(source[0], decoded, 3000);
        assertTrue(Math.abs(ourLag) <= oneMs, "our decode is " + ourLag + " frames off");

        assumeTrue(installed("ffmpeg"), "ffmpeg not installed");
        float[] theirs = ffmpeg(mp3, channels);
        assertEquals(source[0].length, theirs.length, "ffmpeg's decoded frames");
        int theirLag = lag(source[0], theirs, 3000);
        assertTrue(Math.abs(theirLag) <= oneMs, "ffmpeg's decode is " + theirLag + " frames off");
    }

    @ParameterizedTest(name = "lame {0} at {1} Hz, {2} ch")
    @CsvSource({"-b 192, 44100, 2", "-V 2, 44100, 2", "-b 96 -m m, 48000, 1", "-b 64, 22050, 2",
        "--abr 160, 32000, 2"})
    void anMp3FromLameDecodesToTheSourcesLengthAndTiming(String options, int rate, int channels) throws Exception {
        assumeTrue(installed("lame"), "lame not installed");
        float[][] source = clicks(channels, rate);
        Path wav = dir.resolve("source-" + rate + channels + ".wav");
        try (WavEncoder encoder = WavEncoder.create(wav, rate, channels, WavEncoder.SampleFormat.PCM_16)) {
            encoder.write(source, source[0].length);
        }
        Path mp3 = dir.resolve("lame-" + options.replace(' ', '_') + rate + ".mp3");
        List<String> command = new ArrayList<>(List.of("lame", "--quiet"));
        command.addAll(List.of(options.split(" ")));
        command.addAll(List.of(wav.toString(), mp3.toString()));
        run(command.toArray(String[]::new));
        int[] frames = new int[1];
        float[] decoded = ours(mp3, frames);
        assertEquals(source[0].length, frames[0], "decoded frames");
        int lag = lag(source[0], decoded, 3000);
        assertTrue(Math.abs(lag) <= rate / 1000, "our decode of lame's MP3 is " + lag + " frames off");
        assertTrue(Files.size(mp3) > 0);
    }

    @org.junit.jupiter.api.Test
    void anMp3CutShortKeepsItsTimingAndDecodesToItsEnd() throws Exception {
        float[][] source = clicks(2, 44100);
        Path whole = dir.resolve("whole.mp3");
        try (Mp3Encoder encoder = Mp3Encoder.create(whole, 44100, 2, 128, false)) {
            encoder.write(source, source[0].length);
        }
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.mp3");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length * 6 / 10));
        try (DecodedAudio audio = Decoders.open(cut)) {
            float[][] buffer = new float[2][4096];
            float[] decoded = new float[source[0].length];
            int length = 0;
            int n;
            while ((n = audio.read(buffer, 4096)) >= 0) {
                System.arraycopy(buffer[0], 0, decoded, length, n);
                length += n;
            }
            assertTrue(length > source[0].length / 2 && length < source[0].length * 7 / 10, "decoded " + length);
            float[] head = java.util.Arrays.copyOf(source[0], length);
            int lag = lag(head, java.util.Arrays.copyOf(decoded, length), 3000);
            assertTrue(Math.abs(lag) <= 44, lag + " frames off");
        }
    }
}
