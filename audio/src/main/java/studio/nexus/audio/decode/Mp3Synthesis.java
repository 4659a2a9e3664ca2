package studio.nexus.audio.decode;

/**
 * The polyphase synthesis filterbank of MPEG audio (ISO/IEC 11172-3 2.4.3.5 / annex A.2), one channel: 32 subband
 * samples in, 32 PCM samples out. The matrixing of the standard is a 32-point DCT-II (computed by halving, Lee's
 * way: about 80 multiplications instead of 2048), whose 32 values give the 64 of the V vector by symmetry; the
 * windowing then sums 16 rows of 32, laid out so the JIT can vectorise the inner loop.
 */
final class Mp3Synthesis {
    /** ISO/IEC 11172-3 table B.3, D[0..256] in units of 2^-16; D[512 - i] = -D[i] except where i is a multiple of 64. */
    private static final int[] WINDOW_HALF = {
        0, -1, -1, -1, -1, -1, -1, -2, -2, -2, -2, -3, -3, -4, -4, -5,
        -5, -6, -7, -7, -8, -9, -10, -11, -13, -14, -16, -17, -19, -21, -24, -26,
        -29, -31, -35, -38, -41, -45, -49, -53, -58, -63, -68, -73, -79, -85, -91, -97,
        -104, -111, -117, -125, -132, -139, -147, -154, -161, -169, -176, -183, -190, -196, -202, -208,
        213, 218, 222, 225, 227, 228, 228, 227, 224, 221, 215, 208, 200, 189, 177, 163,
        146, 127, 106, 83, 57, 29, -2, -36, -72, -111, -153, -197, -244, -294, -347, -401,
        -459, -519, -581, -645, -711, -779, -848, -919, -991, -1064, -1137, -1210, -1283, -1356, -1428, -1498,
        -1567, -1634, -1698, -1759, -1817, -1870, -1919, -1962, -2001, -2032, -2057, -2075, -2085, -2087, -2080, -2063,
        2037, 2000, 1952, 1893, 1822, 1739, 1644, 1535, 1414, 1280, 1131, 970, 794, 605, 402, 185,
        -45, -288, -545, -814, -1095, -1388, -1692, -2006, -2330, -2663, -3004, -3351, -3705, -4063, -4425, -4788,
        -5153, -5517, -5879, -6237, -6589, -6935, -7271, -7597, -7910, -8209, -8491, -8755, -8998, -9219, -9416, -9585,
        -9727, -9838, -9916, -9959, -9966, -9935, -9863, -9750, -9592, -9389, -9139, -8840, -8492, -8092, -7640, -7134,
        6574, 5959, 5288, 4561, 3776, 2935, 2037, 1082, 70, -998, -2122, -3300, -4533, -5818, -7154, -8540,
        -9975, -11455, -12980, -14548, -16155, -17799, -19478, -21189, -22929, -24694, -26482, -28289, -30112, -31947, -33791, -35640,
        -37489, -39336, -41176, -43006, -44821, -46617, -48390, -50137, -51853, -53534, -55178, -56778, -58333, -59838, -61289, -62684,
        -64019, -65290, -66494, -67629, -68692, -69679, -70590, -71420, -72169, -72835, -73415, -73908, -74313, -74630, -74856, -74992,
        75038,
    };
    /** The synthesis window D[i], scaled to unit gain. */
    private static final float[] WINDOW = new float[512];
    /** 1 / (2 cos(pi (2k + 1) / (2n))) for each halving step n = 32, 16, 8, 4, 2, stored at [n + k]. */
    private static final float[] HALVING = new float[64];

    static {
        for (int i = 0; i < 257; i++) {
            float d = WINDOW_HALF[i] / 65536f;
            WINDOW[i] = d;
            if (i > 0 && i < 256) {
                WINDOW[512 - i] = i % 64 == 0 ? d : -d;
            }
        }
        for (int n = 2; n <= 32; n <<= 1) {
            for (int k = 0; k < n / 2; k++) {
                HALVING[n + k] = (float) (1 / (2 * Math.cos(Math.PI * (2 * k + 1) / (2 * n))));
            }
        }
    }

    /** V vectors of the last 16 slots, 64 values each; {@link #newest} is the block written last. */
    private final float[] v = new float[16 * 64];
    private int newest;
    private final float[] dct = new float[32];
    private final float[] scratch = new float[32];
    private final float[] sum = new float[32];

    /** Filters one slot: {@code in[inOff..inOff+32)} (subbands 0-31) to {@code out[outOff..outOff+32)}. */
    void synthesize(float[] in, int inOff, float[] out, int outOff) {
        float[] a = dct;
        System.arraycopy(in, inOff, a, 0, 32);
        dct(a, 0, 32, scratch);
        newest = (newest - 1) & 15;
        int base = newest * 64;
        float[] vv = v;
        for (int i = 0; i < 16; i++) {
            vv[base + i] = a[16 + i];
            vv[base + 48 + i] = -a[i];
        }
        vv[base + 16] = 0;
        for (int i = 17; i < 48; i++) {
            vv[base + i] = -a[48 - i];
        }
        float[] s = sum;
        float[] w = WINDOW;
        for (int q = 0; q < 16; q++) {
            int row = (q - newest) & 15; // how many slots ago block q was written
            int vOff = q * 64 + (row & 1) * 32;
            int wOff = row * 32;
            for (int j = 0; j < 32; j++) {
                s[j] += vv[vOff + j] * w[wOff + j];
            }
        }
        System.arraycopy(s, 0, out, outOff, 32);
        java.util.Arrays.fill(s, 0f);
    }

    /**
     * In-place unnormalised DCT-II of x[off..off+n): X[m] = sum x[k] cos(pi m (2k + 1) / (2n)). Splits into the DCT of
     * the sums x[k] + x[n-1-k] (even outputs) and of the scaled differences (odd outputs, each the sum of two
     * neighbours); t is scratch of the same extent.
     */
    static void dct(float[] x, int off, int n, float[] t) {
        if (n == 2) {
            float a = x[off];
            float b = x[off + 1];
            x[off] = a + b;
            x[off + 1] = (a - b) * HALVING[2];
            return;
        }
        int half = n >> 1;
        for (int k = 0; k < half; k++) {
            float a = x[off + k];
            float b = x[off + n - 1 - k];
            t[off + k] = a + b;
            t[off + half + k] = (a - b) * HALVING[n + k];
        }
        dct(t, off, half, x);
        dct(t, off + half, half, x);
        for (int m = 0; m < half - 1; m++) {
            x[off + 2 * m] = t[off + m];
            x[off + 2 * m + 1] = t[off + half + m] + t[off + half + m + 1];
        }
        x[off + n - 2] = t[off + half - 1];
        x[off + n - 1] = t[off + n - 1];
    }
}
