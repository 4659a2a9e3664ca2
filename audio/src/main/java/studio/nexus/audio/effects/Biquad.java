package studio.nexus.audio.effects;

/**
 * RBJ Audio-EQ-Cookbook biquad, transposed direct form II in double precision, one state pair per
 * channel. Mutable; owned by one effect.
 */
final class Biquad {

    enum Kind { PEAK, LOW_SHELF, HIGH_SHELF, LOW_PASS, HIGH_PASS }

    private double b0 = 1;
    private double b1;
    private double b2;
    private double a1;
    private double a2;
    private final double[] z1;
    private final double[] z2;

    Biquad(int channels) {
        z1 = new double[channels];
        z2 = new double[channels];
    }

    void clear() {
        java.util.Arrays.fill(z1, 0);
        java.util.Arrays.fill(z2, 0);
    }

    /** Sets cookbook coefficients; frequency is clamped below Nyquist so the filter stays stable. */
    void design(Kind kind, double sampleRate, double frequencyHz, double gainDb, double q) {
        double f = Math.max(1.0, Math.min(frequencyHz, sampleRate * 0.4999));
        double w0 = 2 * Math.PI * f / sampleRate;
        double cos = Math.cos(w0);
        double sin = Math.sin(w0);
        double alpha = sin / (2 * Math.max(q, 1e-3));
        double a = Math.pow(10, gainDb / 40);
        double nb0;
        double nb1;
        double nb2;
        double na0;
        double na1;
        double na2;
        switch (kind) {
            case PEAK -> {
                nb0 = 1 + alpha * a;
                nb1 = -2 * cos;
                nb2 = 1 - alpha * a;
                na0 = 1 + alpha / a;
                na1 = -2 * cos;
                na2 = 1 - alpha / a;
            }
            case LOW_SHELF -> {
                double s = 2 * Math.sqrt(a) * alpha;
                nb0 = a * ((a + 1) - (a - 1) * cos + s);
                nb1 = 2 * a * ((a - 1) - (a + 1) * cos);
                nb2 = a * ((a + 1) - (a - 1) * cos - s);
                na0 = (a + 1) + (a - 1) * cos + s;
                na1 = -2 * ((a - 1) + (a + 1) * cos);
                na2 = (a + 1) + (a - 1) * cos - s;
            }
            case HIGH_SHELF -> {
                double s = 2 * Math.sqrt(a) * alpha;
                nb0 = a * ((a + 1) + (a - 1) * cos + s);
                nb1 = -2 * a * ((a - 1) + (a + 1) * cos);
                nb2 = a * ((a + 1) + (a - 1) * cos - s);
                na0 = (a + 1) - (a - 1) * cos + s;
                na1 = 2 * ((a - 1) - (a + 1) * cos);
                na2 = (a + 1) - (a - 1) * cos - s;
            }
            case LOW_PASS -> {
                nb0 = (1 - cos) / 2;
                nb1 = 1 - cos;
                nb2 = (1 - cos) / 2;
                na0 = 1 + alpha;
                na1 = -2 * cos;
                na2 = 1 - alpha;
            }
            default -> { // HIGH_PASS
                nb0 = (1 + cos) / 2;
                nb1 = -(1 + cos);
                nb2 = (1 + cos) / 2;
                na0 = 1 + alpha;
                na1 = -2 * cos;
                na2 = 1 - alpha;
            }
        }
        b0 = nb0 / na0;
        b1 = nb1 / na0;
        b2 = nb2 / na0;
        a1 = na1 / na0;
        a2 = na2 / na0;
    }

    void process(float[] x, int channel, int offset, int frames) {
        double s1 = z1[channel];
        double s2 = z2[channel];
        final double c0 = b0;
        final double c1 = b1;
        final double c2 = b2;
        final double d1 = a1;
        final double d2 = a2;
        for (int i = offset, end = offset + frames; i < end; i++) {
            double in = x[i];
            double out = c0 * in + s1;
            s1 = c1 * in - d1 * out + s2;
            s2 = c2 * in - d2 * out;
            x[i] = (float) out;
        }
        // Flush denormals in the recursion so long silent tails stay fast.
        z1[channel] = Math.abs(s1) < 1e-25 ? 0 : s1;
        z2[channel] = Math.abs(s2) < 1e-25 ? 0 : s2;
    }
}
