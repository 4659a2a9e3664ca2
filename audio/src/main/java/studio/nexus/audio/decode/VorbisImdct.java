package studio.nexus.audio.decode;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Vorbis' inverse MDCT of one block size (Vorbis I, section 4.3.7; no scaling): n/2 spectral lines to n samples,
 * computed as a DCT-IV of size n/2 through a complex FFT of size n/4 with twiddles before and after,
 * then unfolded by the MDCT's symmetries. Work memory is held here, so a transform allocates nothing.
 */
final class VorbisImdct {
    private final int n;
    private final FloatFFT_1D fft;
    /** e^{-iπj/M}, j < M/2, and e^{-iπ(l+1/4)/M}, l < M/2, for M = n/2: interleaved cos, sin. */
    private final float[] before;
    private final float[] after;
    private final float[] work;
    private final float[] dct;

    VorbisImdct(int n) {
        this.n = n;
        int m = n / 2;
        int k = n / 4;
        fft = new FloatFFT_1D(k);
        before = new float[2 * k];
        after = new float[2 * k];
        for (int j = 0; j < k; j++) {
            before[2 * j] = (float) Math.cos(Math.PI * j / m);
            before[2 * j + 1] = (float) -Math.sin(Math.PI * j / m);
            after[2 * j] = (float) Math.cos(Math.PI * (j + 0.25) / m);
            after[2 * j + 1] = (float) -Math.sin(Math.PI * (j + 0.25) / m);
        }
        work = new float[2 * k];
        dct = new float[m];
    }

    /** {@code out[0, n)} from {@code spectrum[0, n/2)}. */
    void inverse(float[] spectrum, float[] out) {
        int m = n / 2;
        int k = n / 4;
        float[] w = work;
        for (int j = 0; j < k; j++) {
            float re = spectrum[2 * j];
            float im = spectrum[m - 1 - 2 * j];
            float c = before[2 * j];
            float s = before[2 * j + 1];
            w[2 * j] = re * c - im * s;
            w[2 * j + 1] = re * s + im * c;
        }
        fft.complexForward(w);
        float[] u = dct;
        for (int l = 0; l < k; l++) {
            float re = w[2 * l];
            float im = w[2 * l + 1];
            float c = after[2 * l];
            float s = after[2 * l + 1];
            u[2 * l] = re * c - im * s;
            u[m - 1 - 2 * l] = -(re * s + im * c);
        }
        // y[i] = u[k + i] for i < k; -u[3k - 1 - i] for k ≤ i < 3k; -u[i - 3k] for i ≥ 3k
        for (int i = 0; i < k; i++) {
            out[i] = u[k + i];
        }
        for (int i = k; i < 3 * k; i++) {
            out[i] = -u[3 * k - 1 - i];
        }
        for (int i = 3 * k; i < n; i++) {
            out[i] = -u[i - 3 * k];
        }
    }
}
