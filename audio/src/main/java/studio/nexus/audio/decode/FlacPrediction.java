package studio.nexus.audio.decode;

/**
 * FLAC's predictors, run in place: {@code s[0..order)} hold the warm-up samples and {@code s[order..n)} the
 * residual, which becomes the signal. Sums are exact: the fixed predictors wrap in int arithmetic, which still
 * gives the right sample when that fits its bit depth; LPC sums in long because its shift would not forgive a wrap.
 */
final class FlacPrediction {
    private FlacPrediction() {}

    static void fixed(int[] s, int order, int n) {
        switch (order) {
            case 1 -> {
                for (int i = 1; i < n; i++) {
                    s[i] += s[i - 1];
                }
            }
            case 2 -> {
                for (int i = 2; i < n; i++) {
                    s[i] += 2 * s[i - 1] - s[i - 2];
                }
            }
            case 3 -> {
                for (int i = 3; i < n; i++) {
                    s[i] += 3 * (s[i - 1] - s[i - 2]) + s[i - 3];
                }
            }
            case 4 -> {
                for (int i = 4; i < n; i++) {
                    s[i] += 4 * (s[i - 1] + s[i - 3]) - 6 * s[i - 2] - s[i - 4];
                }
            }
            default -> {
                // order 0: the residual is the signal
            }
        }
    }

    static void lpc(int[] s, int[] coefficients, int order, int shift, int n) {
        for (int i = order; i < n; i++) {
            long sum = 0;
            for (int j = 0; j < order; j++) {
                sum += (long) coefficients[j] * s[i - 1 - j];
            }
            s[i] += (int) (sum >> shift);
        }
    }

    /** The fixed predictors on 33-bit samples (the side channel of 32-bit stereo). */
    static void fixedWide(long[] s, int order, int n) {
        for (int i = order; i < n; i++) {
            long predicted = switch (order) {
                case 1 -> s[i - 1];
                case 2 -> 2 * s[i - 1] - s[i - 2];
                case 3 -> 3 * (s[i - 1] - s[i - 2]) + s[i - 3];
                case 4 -> 4 * (s[i - 1] + s[i - 3]) - 6 * s[i - 2] - s[i - 4];
                default -> 0;
            };
            s[i] += predicted;
        }
    }

    /** LPC on 33-bit samples; sums of 33-bit samples and 15-bit coefficients stay well inside a long. */
    static void lpcWide(long[] s, int[] coefficients, int order, int shift, int n) {
        for (int i = order; i < n; i++) {
            long sum = 0;
            for (int j = 0; j < order; j++) {
                sum += coefficients[j] * s[i - 1 - j];
            }
            s[i] += sum >> shift;
        }
    }
}
