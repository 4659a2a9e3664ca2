package studio.nexus.audio;

import java.util.Random;
import studio.nexus.audio.effects.Effect;
import studio.nexus.audio.effects.Spec;

/** Test signal generators and measurements. */
public final class Signals {
    private Signals() {}

    public static float[][] sine(int channels, int frames, double rate, double hz, double amplitude) {
        float[][] x = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                x[c][i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
            }
        }
        return x;
    }

    public static float[][] noise(int channels, int frames, double amplitude, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                x[c][i] = (float) (amplitude * (r.nextDouble() * 2 - 1));
            }
        }
        return x;
    }

    /** Sine + noise, a bit of everything, deterministic. */
    public static float[][] music(int channels, int frames, double rate) {
        float[][] x = noise(channels, frames, 0.1, 42);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                double t = i / rate;
                x[c][i] += (float) (0.4 * Math.sin(2 * Math.PI * (220 + 110 * c) * t)
                        + 0.2 * Math.sin(2 * Math.PI * 3300 * t) * (i % 11025 < 2000 ? 1 : 0));
            }
        }
        return x;
    }

    public static float[][] impulse(int channels, int frames) {
        float[][] x = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            x[c][0] = 1f;
        }
        return x;
    }

    public static float[][] copy(float[][] x) {
        float[][] y = new float[x.length][];
        for (int c = 0; c < x.length; c++) {
            y[c] = x[c].clone();
        }
        return y;
    }

    /** Prepares {@code e} and processes a copy of {@code input} in blocks of {@code block} frames. */
    public static float[][] run(Effect e, float[][] input, double rate, int block) {
        e.prepare(new Spec(rate, block, input.length));
        return process(e, input, block);
    }

    /** Processes a copy of {@code input} with an already prepared effect. */
    public static float[][] process(Effect e, float[][] input, int block) {
        float[][] x = copy(input);
        int n = x[0].length;
        float[][] buf = new float[x.length][block];
        for (int pos = 0; pos < n; pos += block) {
            int len = Math.min(block, n - pos);
            for (int c = 0; c < x.length; c++) {
                System.arraycopy(x[c], pos, buf[c], 0, len);
            }
            e.process(buf, 0, len);
            for (int c = 0; c < x.length; c++) {
                System.arraycopy(buf[c], 0, x[c], pos, len);
            }
        }
        return x;
    }

    public static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return Math.sqrt(s / Math.max(1, to - from));
    }

    public static double peak(float[] x, int from, int to) {
        double p = 0;
        for (int i = from; i < to; i++) {
            p = Math.max(p, Math.abs(x[i]));
        }
        return p;
    }

    public static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

    /** Magnitude of the DFT of x[from..to) at frequency hz (Hann-windowed). */
    public static double magnitudeAt(float[] x, int from, int to, double rate, double hz) {
        int n = to - from;
        double w = 2 * Math.PI * hz / rate;
        double re = 0;
        double im = 0;
        for (int i = 0; i < n; i++) {
            double win = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
            re += x[from + i] * win * Math.cos(w * i);
            im -= x[from + i] * win * Math.sin(w * i);
        }
        return Math.hypot(re, im);
    }

    /** The strongest frequency between lo and hi Hz, scanned in 0.25 Hz steps. */
    public static double dominantFrequency(float[] x, int from, int to, double rate, double lo, double hi) {
        double best = lo;
        double bestMag = -1;
        for (double f = lo; f <= hi; f += 0.25) {
            double m = magnitudeAt(x, from, to, rate, f);
            if (m > bestMag) {
                bestMag = m;
                best = f;
            }
        }
        return best;
    }
}
