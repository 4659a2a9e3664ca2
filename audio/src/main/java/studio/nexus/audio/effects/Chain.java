package studio.nexus.audio.effects;

import java.util.List;
import java.util.function.Consumer;

/** Effects run in series. Itself an {@link Effect}; not thread-safe (its effects are stateful). */
public final class Chain implements Effect {

    private final Effect[] effects;

    public Chain(List<? extends Effect> effects) {
        this.effects = effects.toArray(new Effect[0]);
        // Every effect sanitizes its output, so an effect that follows another one gets clean input
        // and can skip its own input pass (one pass over the data less per effect).
        for (int i = 1; i < this.effects.length; i++) {
            Effect previous = this.effects[i - 1];
            boolean previousSanitizes = previous instanceof BlockEffect || previous instanceof ParallelEffect;
            if (previousSanitizes && this.effects[i] instanceof BlockEffect b) {
                b.inputAlreadySanitized = true;
            }
        }
    }

    public int size() {
        return effects.length;
    }

    public Effect get(int index) {
        return effects[index];
    }

    @Override
    public void prepare(Spec spec) {
        for (Effect e : effects) {
            e.prepare(spec);
        }
    }

    @Override
    public void process(float[][] channels, int offset, int frames) {
        // Indexed loop: an enhanced for over an array does not allocate, but keep it obviously so.
        for (int i = 0; i < effects.length; i++) {
            effects[i].process(channels, offset, frames);
        }
    }

    @Override
    public void reset() {
        for (Effect e : effects) {
            e.reset();
        }
    }

    @Override
    public int latencyFrames() {
        int total = 0;
        for (Effect e : effects) {
            total += e.latencyFrames();
        }
        return total;
    }

    @Override
    public void setStreamTiming(long contentFrames, long contentStart) {
        long start = contentStart;
        for (Effect e : effects) {
            e.setStreamTiming(contentFrames, start);
            start += e.latencyFrames(); // content reaches the next effect this much later
        }
    }

    @Override
    public void visit(Consumer<Effect> visitor) {
        visitor.accept(this);
        for (Effect e : effects) {
            e.visit(visitor);
        }
    }
}
