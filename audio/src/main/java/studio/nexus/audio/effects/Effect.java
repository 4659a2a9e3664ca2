package studio.nexus.audio.effects;

import java.util.function.Consumer;

/**
 * One audio processor. Instances are stateful and NOT thread-safe: one render uses one instance.
 * Build a fresh instance per job from an immutable {@link ChainDefinition}.
 *
 * <p>Life cycle: {@link #prepare} (allocates everything), then any number of {@link #process} calls
 * (never allocate, work in place), {@link #reset} to start a new stream.
 */
public interface Effect {

    /** Allocates buffers for the given format and resets state. May be called again to re-prepare. */
    void prepare(Spec spec);

    /**
     * Processes {@code channels[c][offset .. offset+frames)} in place for the first {@code spec.channels()}
     * channels. {@code frames} may be 0 and is at most {@code spec.maxBlock()}. Allocation-free.
     */
    void process(float[][] channels, int offset, int frames);

    /** Clears all state (delay lines, envelopes, stream position) as if freshly prepared. */
    void reset();

    /**
     * Frames by which this effect delays its input (e.g. a look-ahead limiter). Renderers drop this
     * many leading output frames and flush the same number of zeros at the end so output stays aligned.
     */
    default int latencyFrames() {
        return 0;
    }

    /**
     * Tells time-based effects (fade) where the real content lies in the stream this effect will see:
     * it starts at input frame {@code contentStart} (the latency of the effects before this one) and lasts
     * {@code contentFrames} frames ({@code -1} when unknown). Renderers call it before the first
     * {@link #process}; containers pass it on, adding the latency of earlier stages. Survives {@link #reset}.
     */
    default void setStreamTiming(long contentFrames, long contentStart) {}

    /** Visits this effect and every effect nested inside it (chains, parallel branches), depth first. */
    default void visit(Consumer<Effect> visitor) {
        visitor.accept(this);
    }
}
