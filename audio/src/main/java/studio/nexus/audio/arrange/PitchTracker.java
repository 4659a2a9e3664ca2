package studio.nexus.audio.arrange;

import studio.nexus.audio.Decimation;

/**
 * YIN fundamental-frequency estimation (de Cheveigné &amp; Kawahara 2002) of a monophonic signal: difference
 * function, cumulative-mean normalisation, absolute threshold, parabolic interpolation. The input is mixed to mono
 * and decimated to about 11 kHz first (a singing voice's fundamental is below 1.1 kHz), which makes the
 * O(window x lag) difference function cheap enough for far faster than real time on one core.
 * Stateless apart from its settings; thread-safe.
 */
public final class PitchTracker {
    /** One analysis frame: its time (centre of the window), MIDI pitch (NaN when unvoiced), YIN confidence, RMS. */
    public record Frame(double seconds, double midi, double confidence, double rms) {
        public boolean voiced() {
            return !Double.isNaN(midi);
        }
    }

    /** The frames of a whole signal, {@code hopSeconds} apart. */
    public record Track(Frame[] frames, double hopSeconds) {
        /** Mean confidence over voiced frames (0 when nothing is voiced). */
        public double meanConfidence() {
            double sum = 0;
            int n = 0;
            for (Frame frame : frames) {
                if (frame.voiced()) {
                    sum += frame.confidence();
                    n++;
                }
            }
            return n == 0 ? 0 : sum / n;
        }
    }

    private final double minHz;
    private final double maxHz;
    private final double threshold;

    public PitchTracker() {
        this(70, 1100, 0.15);
    }

    public PitchTracker(double minHz, double maxHz, double threshold) {
        if (!(minHz > 20 && maxHz > minHz && maxHz < 5000)) {
            throw new IllegalArgumentException("pitch range must satisfy 20 < min < max < 5000 Hz");
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1)");
        }
        this.minHz = minHz;
        this.maxHz = maxHz;
        this.threshold = threshold;
    }

    /** Tracks the pitch of {@code mono} sampled at {@code sampleRate}. */
    public Track track(float[] mono, double sampleRate) {
        int factor = Math.max(1, (int) Math.floor(sampleRate / 11025.0));
        float[] x = factor == 1 ? mono : Decimation.decimate(mono, factor);
        double rate = sampleRate / factor;
        int window = Math.max(64, (int) Math.round(rate * 0.04));      // 40 ms integration window
        int hop = Math.max(16, (int) Math.round(rate * 0.005));        // 5 ms hop
        int maxLag = Math.min(window, (int) Math.ceil(rate / minHz));
        int minLag = Math.max(2, (int) Math.floor(rate / maxHz));
        int count = x.length < window + maxLag ? 0 : (x.length - window - maxLag) / hop + 1;
        Frame[] frames = new Frame[count];
        double[] diff = new double[maxLag + 1];
        double[] cmnd = new double[maxLag + 1];
        for (int f = 0; f < count; f++) {
            int start = f * hop;
            double energy = 0;
            for (int j = 0; j < window; j++) {
                energy += x[start + j] * x[start + j];
            }
            double rms = Math.sqrt(energy / window);
            double seconds = (start + window / 2.0) / rate;
            if (rms < 1e-4) {
                frames[f] = new Frame(seconds, Double.NaN, 0, rms);
                continue;
            }
            for (int lag = 1; lag <= maxLag; lag++) {
                double sum = 0;
                int a = start;
                int b = start + lag;
                for (int j = 0; j < window; j++) {
                    double d = x[a + j] - x[b + j];
                    sum += d * d;
                }
                diff[lag] = sum;
            }
            cmnd[0] = 1;
            double running = 0;
            for (int lag = 1; lag <= maxLag; lag++) {
                running += diff[lag];
                cmnd[lag] = running == 0 ? 1 : diff[lag] * lag / running;
            }
            int best = -1;
            for (int lag = minLag; lag <= maxLag; lag++) {
                if (cmnd[lag] < threshold) {
                    while (lag + 1 <= maxLag && cmnd[lag + 1] < cmnd[lag]) {
                        lag++;
                    }
                    best = lag;
                    break;
                }
            }
            if (best < 0) {
                frames[f] = new Frame(seconds, Double.NaN, 0, rms);
                continue;
            }
            double refined = best;
            if (best > 1 && best < maxLag) {
                double s0 = cmnd[best - 1];
                double s1 = cmnd[best];
                double s2 = cmnd[best + 1];
                double denominator = s0 - 2 * s1 + s2;
                if (denominator != 0) {
                    refined = best + 0.5 * (s0 - s2) / denominator;
                }
            }
            double hz = rate / refined;
            double midi = 69 + 12 * Math.log(hz / 440.0) / Math.log(2);
            frames[f] = new Frame(seconds, midi, Math.max(0, Math.min(1, 1 - cmnd[best])), rms);
        }
        return new Track(frames, hop / rate);
    }

}
