package studio.nexus.audio.effects;

import studio.nexus.audio.analysis.TruePeakDetector;

/**
 * The master's safety net for renders and exports: a look-ahead limiter that keeps the TRUE peak (4×
 * oversampled, {@link TruePeakDetector}) under {@code ceilingDbtp}. The gain computer of {@code limiter}
 * ({@link LookaheadGain}: sliding minimum of the needed gain over the look-ahead window, one-pole release,
 * moving average of the window's length, so the gain applied to a sample never exceeds what that sample
 * needs), but the needed gain comes from the oversampled peak of the interval after each sample instead
 * of the sample alone, aiming {@link #MARGIN_DB} under the ceiling; a final clamp holds every sample under it.
 * Channels share one gain, so the stereo image stays put. Latency: 5 ms plus the interpolator's
 * {@link TruePeakDetector#DELAY_FRAMES}.
 * Not part of the effects catalog: a render or export request switches it on.
 */
public final class SafetyLimiter extends BlockEffect {
    public static final double DEFAULT_CEILING_DBTP = -1.0;
    public static final double MIN_CEILING_DBTP = -20.0;
    public static final double MAX_CEILING_DBTP = 0.0;
    private static final double LOOKAHEAD_SECONDS = 0.005;
    private static final double RELEASE_MS = 100;
    /**
     * The gain aims this far under the ceiling: a 4× interpolator reads a crest between its points a little low
     * (up to ~0.1 dB against ffmpeg's 192 kHz resampler), and the gain itself moves within the interpolator's span.
     */
    static final double MARGIN_DB = 0.1;

    private final double ceilingDbtp;
    private final double ceiling;
    private final double target;
    private TruePeakDetector detector;
    private int lookahead;
    private int window;
    private int delay;
    private float[][] delayLines;
    private int delayIndex;
    private LookaheadGain gain;
    private double releaseCoef;
    private final double[] gains = new double[CONTROL_INTERVAL];

    /** @param ceilingDbtp the highest true peak let through, −20..0 dBTP */
    public SafetyLimiter(double ceilingDbtp) {
        if (!(ceilingDbtp >= MIN_CEILING_DBTP && ceilingDbtp <= MAX_CEILING_DBTP)) {
            throw new IllegalArgumentException("ceiling_dbtp must be between " + MIN_CEILING_DBTP + " and "
                    + MAX_CEILING_DBTP + " dBTP, got " + ceilingDbtp);
        }
        this.ceilingDbtp = ceilingDbtp;
        this.ceiling = dbToGain(ceilingDbtp);
        this.target = dbToGain(ceilingDbtp - MARGIN_DB);
    }

    public double ceilingDbtp() {
        return ceilingDbtp;
    }

    @Override
    public int latencyFrames() {
        return delay;
    }

    @Override
    protected void allocate(Spec spec) {
        detector = new TruePeakDetector(spec.channels());
        lookahead = Math.max(1, (int) Math.round(LOOKAHEAD_SECONDS * spec.sampleRate()));
        window = lookahead + 1;
        delay = lookahead + TruePeakDetector.DELAY_FRAMES;
        delayLines = new float[spec.channels()][delay];
        gain = new LookaheadGain(window);
        releaseCoef = timeConstant(RELEASE_MS);
    }

    @Override
    protected void clearState() {
        detector.reset();
        for (float[] d : delayLines) {
            java.util.Arrays.fill(d, 0f);
        }
        delayIndex = 0;
        gain.reset();
    }

    @Override
    protected void updateControls(double seconds) {
        // fixed parameters
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        for (int i = 0; i < frames; i++) {
            double peak = 0;
            for (int c = 0; c < channelCount; c++) {
                peak = Math.max(peak, detector.push(c, ch[c][offset + i]));
            }
            gains[i] = gain.next(peak > target ? target / peak : 1.0, releaseCoef);
        }
        delayIndex = LookaheadGain.applyDelayed(ch, channelCount, offset, frames, delayLines, delayIndex, delay, gains,
                (float) ceiling);
    }
}
