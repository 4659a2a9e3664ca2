package studio.nexus.audio;

/** Lowering the sample rate of a whole-number factor, for analysis and for sending audio to external services. */
public final class Decimation {
    private Decimation() {}

    /**
     * Low-passes (windowed sinc, Blackman, cut-off 0.45 of the new Nyquist) and keeps every {@code factor}-th
     * sample, so nothing above the new Nyquist folds back.
     */
    public static float[] decimate(float[] x, int factor) {
        int taps = 16 * factor + 1;
        int half = taps / 2;
        double cutoff = 0.45 / factor;
        double[] h = new double[taps];
        double sum = 0;
        for (int i = 0; i < taps; i++) {
            int n = i - half;
            double sinc = n == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * n) / (Math.PI * n);
            double w = 0.42 - 0.5 * Math.cos(2 * Math.PI * i / (taps - 1)) + 0.08 * Math.cos(4 * Math.PI * i / (taps - 1));
            h[i] = sinc * w;
            sum += h[i];
        }
        for (int i = 0; i < taps; i++) {
            h[i] /= sum;
        }
        float[] y = new float[x.length / factor];
        for (int o = 0; o < y.length; o++) {
            int centre = o * factor;
            double acc = 0;
            for (int i = 0; i < taps; i++) {
                int k = centre + i - half;
                if (k >= 0 && k < x.length) {
                    acc += h[i] * x[k];
                }
            }
            y[o] = (float) acc;
        }
        return y;
    }
}
