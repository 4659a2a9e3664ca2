package studio.nexus.audio.decode;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * AAC's inverse MDCT (ISO/IEC 14496-3 4.6.11.3.2, x[n] = 2/N · Σ X[k] cos(2π/N (n + n0)(k + ½))) of N = 2048
 * or 256 outputs from N/2 coefficients, through one complex FFT of N/4 points with a twist before and after.
 * An extra factor {@code gain} is folded into the twiddles (the decoder's 1/32768 to full scale). Allocation-free.
 */
final class AacImdct {
    private final int n;
    private final float[] cos;
    private final float[] sin;
    private final float[] z;
    private final FloatFFT_1D fft;

    AacImdct(int n, double gain) {
        this.n = n;
        int n4 = n / 4;
        cos = new float[n4];
        sin = new float[n4];
        // split the scale between the twist before and the twist after the FFT
        double scale = Math.sqrt(2.0 / n * gain);
        for (int k = 0; k < n4; k++) {
            double a = 2 * Math.PI * (k + 1.0 / 8) / n;
            cos[k] = (float) (-Math.cos(a) * scale);
            sin[k] = (float) (-Math.sin(a) * scale);
        }
        z = new float[n / 2];
        fft = new FloatFFT_1D(n4);
    }

    /** {@code n/2} coefficients from {@code in[from..]} to {@code n} samples in {@code out[to..]}. */
    void transform(float[] in, int from, float[] out, int to) {
        float[] z = half(in, from);
        int n2 = n / 2;
        int n4 = n / 4;
        // z is the middle half of the output, negated; the outer quarters mirror it
        int mid = to + n4;
        for (int i = 0; i < n2; i++) {
            out[mid + i] = -z[i];
        }
        for (int k = 0; k < n4; k++) {
            out[to + k] = z[n4 - k - 1];
            out[to + n - k - 1] = -z[n4 + k];
        }
    }

    /**
     * The transform's n/2 distinct values (the output's middle half, negated; see {@link #transform} for how
     * the whole output follows), so a caller can window straight from them. The array is reused.
     */
    float[] half(float[] in, int from) {
        int n2 = n / 2;
        int n4 = n / 4;
        int n8 = n / 8;
        float[] z = this.z;
        for (int k = 0; k < n4; k++) {
            float re = in[from + n2 - 1 - 2 * k];
            float im = in[from + 2 * k];
            float c = cos[k];
            float s = sin[k];
            z[2 * k] = re * c - im * s;
            z[2 * k + 1] = re * s + im * c;
        }
        fft.complexInverse(z, false);
        for (int k = 0; k < n8; k++) {
            int a = n8 - k - 1;
            int b = n8 + k;
            float ar = z[2 * a];
            float ai = z[2 * a + 1];
            float br = z[2 * b];
            float bi = z[2 * b + 1];
            float r0 = ai * sin[a] - ar * cos[a];
            float i1 = ai * cos[a] + ar * sin[a];
            float r1 = bi * sin[b] - br * cos[b];
            float i0 = bi * cos[b] + br * sin[b];
            z[2 * a] = r0;
            z[2 * a + 1] = i0;
            z[2 * b] = r1;
            z[2 * b + 1] = i1;
        }
        return z;
    }
}
