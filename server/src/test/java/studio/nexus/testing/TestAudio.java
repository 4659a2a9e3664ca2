package studio.nexus.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import studio.nexus.audio.encode.WavEncoder;

/** The audio tests play with, made on the spot: the one place for test takes, so no test keeps a file or a copy. */
public final class TestAudio {
    private TestAudio() {}

    /** A 16-bit WAV of a 440 Hz sine (left) and 660 Hz (right, when stereo) at half scale. */
    public static byte[] wav(int rate, int channels, double seconds) {
        int frames = (int) Math.round(seconds * rate);
        float[][] data = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                data[c][i] = (float) (0.5 * Math.sin(2 * Math.PI * (440 + 220 * c) * i / rate));
            }
        }
        return encode(data, rate, WavEncoder.SampleFormat.PCM_16);
    }

    /** A 16-bit mono WAV of a sine at {@code hz}, 0.6 of full scale, with 50 ms soft edges. */
    public static byte[] sineWav(int rate, double seconds, double hz) {
        int frames = (int) (rate * seconds);
        float[] x = new float[frames];
        for (int i = 0; i < frames; i++) {
            double envelope = Math.min(1.0, Math.min(i, frames - i) / (0.05 * rate));
            x[i] = (float) (Math.sin(2 * Math.PI * hz * i / rate) * 0.6 * envelope);
        }
        return encode(new float[][] {x}, rate, WavEncoder.SampleFormat.PCM_16);
    }

    /**
     * A sung-like melody of {@code notes} notes up a C major scale (vibrato, a few harmonics), a quarter note each at
     * 120 bpm after a quarter second of silence, in mono samples.
     */
    public static float[] melody(int rate, int notes) {
        int[] scale = {60, 62, 64, 65, 67, 69, 71, 72};
        double beat = 0.5;
        float[] x = new float[(int) ((notes * beat + 0.5) * rate)];
        double phase = 0;
        for (int n = 0; n < notes; n++) {
            double f0 = 440 * Math.pow(2, (scale[(n * 3) % scale.length] - 69) / 12.0);
            int start = (int) ((0.25 + n * beat) * rate);
            int length = (int) (beat * rate);
            for (int i = 0; i < length && start + i < x.length; i++) {
                double t = i / (double) rate;
                double f = f0 * (1 + 0.01 * Math.sin(2 * Math.PI * 5.5 * t));
                phase += 2 * Math.PI * f / rate;
                double env = Math.min(1, t / 0.02) * Math.min(1, (beat - t) / 0.04);
                x[start + i] = (float) (0.3 * env
                        * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase)));
            }
        }
        return x;
    }

    /** {@link #melody} as a 16-bit mono WAV. */
    public static byte[] melodyWav(int rate, int notes) {
        return encode(new float[][] {melody(rate, notes)}, rate, WavEncoder.SampleFormat.PCM_16);
    }

    /** Samples ({@code [channel][frame]}) as a WAV file's bytes. */
    public static byte[] encode(float[][] channels, int rate, WavEncoder.SampleFormat format) {
        int frames = channels[0].length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (WavEncoder encoder = WavEncoder.create(out, rate, channels.length, format, false, frames)) {
            encoder.write(channels, frames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * {@code wav} encoded by a command-line tool, e.g. {@code "flac -s -o %O.flac %i"}: {@code %i} is the WAV written
     * under {@code dir}, {@code %O} the output's stem (the word that starts with it names the file read back). The
     * test is skipped, not failed, when the tool is not installed.
     */
    public static byte[] encodedBy(java.nio.file.Path dir, String name, byte[] wav, String command) throws Exception {
        java.nio.file.Path in = dir.resolve(name + "-in.wav");
        java.nio.file.Files.write(in, wav);
        String stem = dir.resolve(name + "-out").toString();
        java.nio.file.Path out = null;
        java.util.List<String> argv = new java.util.ArrayList<>();
        for (String word : command.trim().split(" ")) {
            if (word.startsWith("%O")) {
                out = java.nio.file.Path.of(stem + word.substring(2));
            }
            argv.add(word.replace("%i", in.toString()).replace("%O", stem));
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(toolInstalled(argv.get(0)), argv.get(0) + " not installed");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        p.getInputStream().transferTo(log);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new java.io.IOException(command + " failed: " + log);
        }
        return java.nio.file.Files.readAllBytes(out);
    }

    public static boolean toolInstalled(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }
}
