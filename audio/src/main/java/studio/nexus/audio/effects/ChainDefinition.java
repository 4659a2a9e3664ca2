package studio.nexus.audio.effects;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A validated, immutable effect chain, as parsed by {@link EffectChainParser}. Thread-safe: share it
 * freely and call {@link #instantiate()} once per render job to get fresh stateful effects.
 */
public final class ChainDefinition {

    /** One validated effect: its type and complete settings. */
    public record Step(String type, EffectSettings settings) {}

    private final List<Step> steps;
    private final List<Function<EffectSettings, Effect>> factories;

    ChainDefinition(List<Step> steps, List<Function<EffectSettings, Effect>> factories) {
        this.steps = List.copyOf(steps);
        this.factories = List.copyOf(factories);
    }

    public List<Step> steps() {
        return steps;
    }

    /** Creates new effect instances (unprepared); call {@code prepare} before processing. */
    public Chain instantiate() {
        List<Effect> effects = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            effects.add(factories.get(i).apply(steps.get(i).settings()));
        }
        return new Chain(effects);
    }

    /** True if rendering needs an analysis pass first (a {@code normalize} anywhere inside). */
    public boolean needsAnalysisPass() {
        for (Step s : steps) {
            if (s.type().equals("normalize")) {
                return true;
            }
            for (ChainDefinition sub : s.settings().chains()) {
                if (sub.needsAnalysisPass()) {
                    return true;
                }
            }
        }
        return false;
    }
}
