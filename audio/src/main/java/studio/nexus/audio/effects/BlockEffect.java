package studio.nexus.audio.effects;

import studio.nexus.audio.SampleGuard;

/**
 * Base class for the built-in effects. It slices every {@code process} call at fixed control
 * boundaries (every {@link #CONTROL_INTERVAL} frames of ABSOLUTE stream position) and re-reads
 * automated parameters there. Because boundaries depend on the stream position and not on the
 * caller's block size, the output is bit-identical whatever block sizes the renderer uses.
 * Input and output of every slice go through {@link SampleGuard#sanitize}.
 */
public abstract class BlockEffect implements Effect {

    /** Control rate granularity: parameters are re-evaluated every 128 frames (2.9 ms at 44.1 kHz). */
    public static final int CONTROL_INTERVAL = 128;

    protected double sampleRate;
    protected int channelCount;
    protected int maxBlock;
    private long position;
    private boolean prepared;
    /** Set by {@link Chain} when the previous stage already sanitized this effect's input. */
    boolean inputAlreadySanitized;

    @Override
    public final void prepare(Spec spec) {
        sampleRate = spec.sampleRate();
        channelCount = spec.channels();
        maxBlock = spec.maxBlock();
        allocate(spec);
        prepared = true;
        reset();
    }

    @Override
    public final void reset() {
        position = 0;
        if (prepared) {
            clearState();
        }
    }

    @Override
    public final void process(float[][] channels, int offset, int frames) {
        if (!prepared) {
            throw new IllegalStateException(getClass().getSimpleName() + " used before prepare()");
        }
        int done = 0;
        while (done < frames) {
            int phase = (int) (position & (CONTROL_INTERVAL - 1));
            if (phase == 0) {
                // Targets are taken at the END of the interval: a ramp started now then reaches the
                // envelope's value exactly at the next boundary, so automation is followed without lag.
                updateControls((position + CONTROL_INTERVAL) / sampleRate);
            }
            int n = Math.min(CONTROL_INTERVAL - phase, frames - done);
            int start = offset + done;
            if (!inputAlreadySanitized) {
                SampleGuard.sanitize(channels, channelCount, start, n);
            }
            processSlice(channels, start, n);
            SampleGuard.sanitize(channels, channelCount, start, n);
            done += n;
            position += n;
        }
    }

    /** Frames processed since the last reset. */
    protected final long position() {
        return position;
    }

    /** Allocates buffers for {@code spec}. Called by {@link #prepare}, followed by {@link #clearState}. */
    protected abstract void allocate(Spec spec);

    /** Clears delay lines and envelopes; puts smoothed parameters at their value for time 0. */
    protected abstract void clearState();

    /**
     * Re-reads automated parameters; {@code seconds} is the stream time at the end of the control
     * interval that starts now. Allocation-free.
     */
    protected abstract void updateControls(double seconds);

    /** Processes at most {@link #CONTROL_INTERVAL} frames in place. Allocation-free. */
    protected abstract void processSlice(float[][] channels, int offset, int frames);

    protected static double dbToGain(double db) {
        return Math.pow(10.0, db / 20.0);
    }

    /** One-pole smoothing coefficient reaching ~63% in {@code ms} milliseconds. */
    protected final double timeConstant(double ms) {
        double samples = ms * 0.001 * sampleRate;
        return samples < 1e-9 ? 0.0 : Math.exp(-1.0 / samples);
    }
}
