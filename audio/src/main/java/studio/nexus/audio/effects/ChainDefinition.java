package studio.nexus.audio.effects;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A validated, immutable effect chain, as parsed by {@link EffectChainParser}. Thread-safe: share it
 * freely and call {@link #instantiate()} once per render job to get fresh stateful effects.
 *
 * <p>A bypassed step ({@code "bypass": true} in the JSON) was validated like any other and is listed in
 * {@link #steps()}, but it is not built: the sound is exactly that of the chain without it.
 */
public final class ChainDefinition {

    /** One validated effect: its type, complete settings, and whether it is bypassed (left out of the sound). */
    public record Step(String type, EffectSettings settings, boolean bypassed) {
        public Step(String type, EffectSettings settings) {
            this(type, settings, false);
        }
    }

    private final List<Step> steps;
    private final List<Function<EffectSettings, Effect>> factories;

    ChainDefinition(List<Step> steps, List<Function<EffectSettings, Effect>> factories) {
        this.steps = List.copyOf(steps);
        this.factories = List.copyOf(factories);
    }

    public List<Step> steps() {
        return steps;
    }

    /**
     * Creates new effect instances (unprepared) of the steps that are not bypassed; call {@code prepare} before
     * processing.
     */
    public Chain instantiate() {
        List<Effect> effects = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            if (!steps.get(i).bypassed()) {
                effects.add(factories.get(i).apply(steps.get(i).settings()));
            }
        }
        return new Chain(effects);
    }

    /** True if rendering needs an analysis pass first (a {@code normalize} that is not bypassed anywhere inside). */
    public boolean needsAnalysisPass() {
        for (Step s : steps) {
            if (s.bypassed()) {
                continue;
            }
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
