package studio.nexus.audio.effects;

/**
 * {@code limiter}: look-ahead brickwall limiter with a guaranteed sample-peak ceiling at
 * {@code threshold_db}. No make-up gain.
 *
 * <p>How the ceiling is guaranteed: for every input sample the needed gain is
 * g = min(1, ceiling / peak). A sliding minimum over the last W = L + 1 values (L = 5 ms look-ahead)
 * followed by a W-tap moving average yields a smooth gain that is, by construction, never above the
 * needed gain of the sample it is applied to (the input is delayed by L). Release is a one-pole glide
 * ({@code release_ms}) applied before the average, which only ever lowers the gain. A final clamp
 * catches float rounding. Latency: L frames, reported via {@link #latencyFrames()}.
 */
final class LimiterEffect extends BlockEffect {
    private static final double LOOKAHEAD_SECONDS = 0.005;

    private final Automation thresholdDb;
    private final Automation releaseMs;
    private int lookahead;
    private int window;
    private float[][] delayLines;
    private int delayIndex;
    private LookaheadGain gain;
    private double ceiling;
    private double releaseCoef;
    private final double[] gains = new double[CONTROL_INTERVAL];

    LimiterEffect(EffectSettings s) {
        thresholdDb = s.number("threshold_db");
        releaseMs = s.number("release_ms");
    }

    @Override
    public int latencyFrames() {
        return lookahead;
    }

    @Override
    protected void allocate(Spec spec) {
        lookahead = Math.max(1, (int) Math.round(LOOKAHEAD_SECONDS * spec.sampleRate()));
        window = lookahead + 1;
        delayLines = new float[spec.channels()][lookahead];
        gain = new LookaheadGain(window);
    }

    @Override
    protected void clearState() {
        for (float[] d : delayLines) {
            java.util.Arrays.fill(d, 0f);
        }
        delayIndex = 0;
        gain.reset();
    }

    @Override
    protected void updateControls(double seconds) {
        ceiling = dbToGain(thresholdDb.valueAt(seconds));
        releaseCoef = timeConstant(releaseMs.valueAt(seconds));
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        for (int i = 0; i < frames; i++) {
            double peak = 0;
            for (int c = 0; c < channelCount; c++) {
                peak = Math.max(peak, Math.abs(ch[c][offset + i]));
            }
            gains[i] = gain.next(peak > ceiling ? ceiling / peak : 1.0, releaseCoef);
        }
        delayIndex = LookaheadGain.applyDelayed(ch, channelCount, offset, frames, delayLines, delayIndex, lookahead,
                gains, (float) ceiling);
    }
}
