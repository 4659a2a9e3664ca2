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

    /**
     * Orders up to 12 (every preset of the flac tool) spelled out, so each is a straight run of multiplies; the
     * sample just made stays in a register, as waiting for it to come back from memory would be the slow part.
     */
    static void lpc(int[] s, int[] coefficients, int order, int shift, int n) {
        switch (order) {
            case 1 -> {
                long c0 = coefficients[0];
                int last = s[0];
                for (int i = 1; i < n; i++) {
                    long sum = c0 * last;
                    last = s[i] += (int) (sum >> shift);
                }
            }
            case 2 -> {
                long c0 = coefficients[0];
                long c1 = coefficients[1];
                int last = s[1];
                for (int i = 2; i < n; i++) {
                    long sum = c0 * last + c1 * s[i - 2];
                    last = s[i] += (int) (sum >> shift);
                }
            }
            case 3 -> {
                long c0 = coefficients[0];
                long c1 = coefficients[1];
                long c2 = coefficients[2];
                int last = s[2];
                for (int i = 3; i < n; i++) {
                    long sum = c0 * last + c1 * s[i - 2] + c2 * s[i - 3];
                    last = s[i] += (int) (sum >> shift);
                }
            }
            case 4 -> {
                long c0 = coefficients[0];
                long c1 = coefficients[1];
                long c2 = coefficients[2];
                long c3 = coefficients[3];
                int last = s[3];
                for (int i = 4; i < n; i++) {
                    long sum = c0 * last + c1 * s[i - 2] + c2 * s[i - 3] + c3 * s[i - 4];
                    last = s[i] += (int) (sum >> shift);
                }
            }
            case 5 -> {
                long c0 = coefficients[0];
                long c1 = coefficients[1];
                long c2 = coefficients[2];
                long c3 = coefficients[3];
                long c4 = coefficients[4];
                int last = s[4];
                for (int i = 5; i < n; i++) {
                    long sum = c0 * last + c1 * s[i - 2] + c2 * s[i - 3] + c3 * s[i - 4] + c4 * s[i - 5];
                    last = s[i] += (int) (sum >> shift);
                }
            }
            case 6 -> {
                long c0 = coefficients[0];
                long c1 = coefficients[1];
                long c2 = coefficients[2];
                long c3 = coefficients[3];
                long c4 = coefficients[4];
                long c5 = coefficients[5];
                int last = s[5];
                for (int i = 6; i < n; i++) {
                    long sum = c0 * last + c1 * s[i - 2] + c2 * s[i - 3] + c3 * s[i - 4] + c4 * s[i - 5]
                            + c5 * s[i - 6];
                    last = s[i] += (int) (sum >> shift);
                }
            }
            case 7 -> {
                long c0 = coefficients[0];
                long c1 = coefficients[1];
                long c2 = coefficients[2];
                long c3 = coefficients[3];
                long c4 = coefficients[4];
                long c5 = coefficients[5];
                long c6 = coefficients[6];
                int last = s[6];
                for (int i = 7; i < n; i++) {
                    long sum = c0 * last + c1 * s[i - 2] + c2 * s[i - 3] + c3 * s[i - 4] + c4 * s[i - 5]
                            + c5 * s[i - 6] + c6 * s[i - 7];
                    last = s[i] += (int) (sum >> shift);
                }
            }
            case 8 -> {
                long c0 = coefficients[0];
                long c1 = coefficients[1];
                long c2 = coefficients[2];
                long c3 = coefficients[3];
                long c4 = coefficients[4];
                long c5 = coefficients[5];
                long c6 = coefficients[6];
                long c7 = coefficients[7];
                int last = s[7];
                for (int i = 8; i < n; i++) {
                    long sum = c0 * last + c1 * s[i - 2] + c2 * s[i - 3] + c3 * s[i - 4] + c4 * s[i - 5]
                            + c5 * s[i - 6] + c6 * s[i - 7] + c7 * s[i - 8];
                    last = s[i] += (int) (sum >> shift);
                }
            }
            case 9 -> {
                long c0 = coefficients[0];
                long c1 = coefficients[1];
                long c2 = coefficients[2];
                long c3 = coefficients[3];
                long c4 = coefficients[4];
                long c5 = coefficients[5];
                long c6 = coefficients[6];
                long c7 = coefficients[7];
                long c8 = coefficients[8];
                int last = s[8];
                for (int i = 9; i < n; i++) {
                    long sum = c0 * last + c1 * s[i - 2] + c2 * s[i - 3] + c3 * s[i - 4] + c4 * s[i - 5]
                            + c5 * s[i - 6] + c6 * s[i - 7] + c7 * s[i - 8] + c8 * s[i - 9];
                    last = s[i] += (int) (sum >> shift);
                }
            }
            case 10 -> {
                long c0 = coefficients[0];
                long c1 = coefficients[1];
                long c2 = coefficients[2];
                long c3 = coefficients[3];
                long c4 = coefficients[4];
                long c5 = coefficients[5];
                long c6 = coefficients[6];
                long c7 = coefficients[7];
                long c8 = coefficients[8];
                long c9 = coefficients[9];
                int last = s[9];
                for (int i = 10; i < n; i++) {
                    long sum = c0 * last + c1 * s[i - 2] + c2 * s[i - 3] + c3 * s[i - 4] + c4 * s[i - 5]
                            + c5 * s[i - 6] + c6 * s[i - 7] + c7 * s[i - 8] + c8 * s[i - 9] + c9 * s[i - 10];
                    last = s[i] += (int) (sum >> shift);
                }
            }
            case 11 -> {
                long c0 = coefficients[0];
                long c1 = coefficients[1];
                long c2 = coefficients[2];
                long c3 = coefficients[3];
                long c4 = coefficients[4];
                long c5 = coefficients[5];
                long c6 = coefficients[6];
                long c7 = coefficients[7];
                long c8 = coefficients[8];
                long c9 = coefficients[9];
                long c10 = coefficients[10];
                int last = s[10];
                for (int i = 11; i < n; i++) {
                    long sum = c0 * last + c1 * s[i - 2] + c2 * s[i - 3] + c3 * s[i - 4] + c4 * s[i - 5]
                            + c5 * s[i - 6] + c6 * s[i - 7] + c7 * s[i - 8] + c8 * s[i - 9] + c9 * s[i - 10]
                            + c10 * s[i - 11];
                    last = s[i] += (int) (sum >> shift);
                }
            }
            case 12 -> {
                long c0 = coefficients[0];
                long c1 = coefficients[1];
                long c2 = coefficients[2];
                long c3 = coefficients[3];
                long c4 = coefficients[4];
                long c5 = coefficients[5];
                long c6 = coefficients[6];
                long c7 = coefficients[7];
                long c8 = coefficients[8];
                long c9 = coefficients[9];
                long c10 = coefficients[10];
                long c11 = coefficients[11];
                int last = s[11];
                for (int i = 12; i < n; i++) {
                    long sum = c0 * last + c1 * s[i - 2] + c2 * s[i - 3] + c3 * s[i - 4] + c4 * s[i - 5]
                            + c5 * s[i - 6] + c6 * s[i - 7] + c7 * s[i - 8] + c8 * s[i - 9] + c9 * s[i - 10]
                            + c10 * s[i - 11] + c11 * s[i - 12];
                    last = s[i] += (int) (sum >> shift);
                }
            }
            default -> {
                for (int i = order; i < n; i++) {
                    long sum = 0;
                    for (int j = 0; j < order; j++) {
                        sum += (long) coefficients[j] * s[i - 1 - j];
                    }
                    s[i] += (int) (sum >> shift);
                }
            }
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
