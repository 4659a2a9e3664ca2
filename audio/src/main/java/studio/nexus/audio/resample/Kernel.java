package studio.nexus.audio.resample;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The interpolation filter of one rate pair as a polyphase table: a Kaiser-windowed sinc, low-pass at
 * {@link #CUTOFF} of the lower rate's Nyquist frequency, in the input's sample units.
 *
 * <p>Output frame j sits at input time {@code t = j·in/out = i + μ} (i whole, 0 ≤ μ < 1) and is
 * {@code Σ_m x[i − half + 1 + m] · h(μ + half − 1 − m)} for {@code m = 0 .. taps − 1}: the filter is centred on t, so
 * it adds no delay. Row {@code p} of the table holds {@code h(p/phases + half − 1 − m)} for every m, contiguous, so
 * one output is one row (or two rows blended) times {@code taps} consecutive input samples.
 *
 * <p>Two kinds of table. When the reduced ratio {@code in/out = num/den} has a small {@code den} (44100↔48000 has
 * 147 or 160, 22050→44100 has 2), μ only ever takes the values {@code r/den} and the table has exactly those
 * {@code den} rows: every coefficient is the filter's own, nothing is interpolated. Otherwise (an odd ratio such as
 * 44100→47999) the table samples the filter at {@link #PHASES_PER_LOW_SAMPLE} points per sample of the lower rate
 * and an output blends the two rows around μ linearly.
 *
 * <p>Every row is scaled to sum to exactly 1, so DC passes at unity gain whatever μ (a blend of two rows sums to 1
 * too). Immutable and thread-safe: tables are built once per rate pair and shared ({@link #of}).
 */
final class Kernel {
    /** Stop-band attenuation the Kaiser window is designed for. */
    static final double STOPBAND_DB = 120;
    /** Where the pass band ends, as a fraction of the lower rate's Nyquist frequency (20.07 kHz at 44.1 kHz). */
    static final double PASSBAND_EDGE = 0.91;
    /** Where the stop band begins: the lower Nyquist frequency itself, so nothing above it folds back. */
    static final double STOPBAND_EDGE = 1.0;
    /** The sinc's cut-off (its −6 dB point), half-way across the transition band. */
    static final double CUTOFF = (PASSBAND_EDGE + STOPBAND_EDGE) / 2;
    /** Kaiser's β for {@link #STOPBAND_DB} (Kaiser's formula for A > 50 dB). */
    static final double BETA = 0.1102 * (STOPBAND_DB - 8.7);
    /** Half the filter's length in samples of the lower rate (Kaiser's estimate for the transition, rounded up). */
    static final int HALF_LOW = halfLength();
    /**
     * Table resolution of the interpolated kind, per sample of the lower rate: a 19 kHz sine from 44.1 kHz to
     * 47.999 kHz keeps its THD+N at −130 dB (256 gave −108 dB, 512 −120 dB).
     */
    static final int PHASES_PER_LOW_SAMPLE = 1024;
    /** The exact kind is used while its table has at most this many rows … */
    static final int MAX_EXACT_ROWS = 4096;
    /** … and at most this many coefficients (1 MiB; every pair of common rates fits: 192000→44100 takes 112 k). */
    static final int MAX_EXACT_COEFFICIENTS = 1 << 18;

    /** Filter length in input samples (even). */
    final int taps;
    /** {@code taps / 2}: the filter reaches {@code half} input samples either side of an output's instant. */
    final int half;
    /** Rows per input sample: {@code den} for the exact kind, else the interpolation's resolution. */
    final int phases;
    /** True when every μ has its own row ({@code phases == den}); false when rows are blended. */
    final boolean exact;
    /** {@code (phases + 1) × taps} coefficients, row after row (the last row is μ = 1, for blending). */
    final float[] table;

    private Kernel(long num, long den) {
        // the lower rate in input samples: 1 when upsampling, out/in when downsampling
        double scale = Math.min(1.0, (double) den / num);
        half = (int) Math.ceil(HALF_LOW / scale);
        taps = 2 * half;
        long exactCoefficients = (den + 1) * (long) taps;
        exact = den <= MAX_EXACT_ROWS && exactCoefficients <= MAX_EXACT_COEFFICIENTS;
        phases = exact ? (int) den : Math.max(8, (int) Math.ceil(PHASES_PER_LOW_SAMPLE * scale));
        table = new float[(phases + 1) * taps];
        double cutoff = CUTOFF * 0.5 * scale; // cycles per input sample
        double i0Beta = besselI0(BETA);
        double[] row = new double[taps];
        for (int p = 0; p <= phases; p++) {
            double mu = (double) p / phases;
            double sum = 0;
            for (int m = 0; m < taps; m++) {
                double t = mu + half - 1 - m;
                double x = t / half;
                double window = Math.abs(x) >= 1 ? 0 : besselI0(BETA * Math.sqrt(1 - x * x)) / i0Beta;
                row[m] = 2 * cutoff * sinc(2 * cutoff * t) * window;
                sum += row[m];
            }
            double rounded = 0;
            int largest = 0;
            for (int m = 0; m < taps; m++) {
                float h = (float) (row[m] / sum);
                table[p * taps + m] = h;
                rounded += h;
                if (Math.abs(h) > Math.abs(table[p * taps + largest])) {
                    largest = m;
                }
            }
            // what rounding to float took from the row's sum goes back into its largest tap
            table[p * taps + largest] += (float) (1 - rounded);
        }
    }

    private static int halfLength() {
        double transition = (STOPBAND_EDGE - PASSBAND_EDGE) * 0.5; // cycles per sample of the lower rate
        double taps = (STOPBAND_DB - 7.95) / (14.36 * transition);
        return (int) Math.ceil(taps / 2);
    }

    private static double sinc(double x) {
        if (x == 0) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** The modified Bessel function of the first kind, order 0, by its power series (converges for all x). */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    private static final int CACHED = 8;
    private static final Map<Ratio, Kernel> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Ratio, Kernel> eldest) {
            return size() > CACHED;
        }
    };

    private record Ratio(long num, long den) {}

    /**
     * The table for the reduced ratio {@code in/out = num/den}, built on first use and kept for the
     * {@value #CACHED} most recently used ratios (a song rarely has more than two or three rates), so opening a
     * take again costs no filter design.
     */
    static Kernel of(long num, long den) {
        Ratio key = new Ratio(num, den);
        synchronized (CACHE) {
            Kernel k = CACHE.get(key);
            if (k != null) {
                return k;
            }
        }
        Kernel built = new Kernel(num, den); // outside the lock: two threads may both build it, both are right
        synchronized (CACHE) {
            CACHE.put(key, built);
        }
        return built;
    }
}
