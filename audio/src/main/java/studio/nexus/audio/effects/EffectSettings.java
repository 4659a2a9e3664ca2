package studio.nexus.audio.effects;

import java.util.List;
import java.util.Map;

/**
 * Validated settings of one effect, every parameter filled (defaults included). Immutable, thread-safe.
 *
 * @param numbers numeric parameters by canonical name
 * @param choices enumerated parameters by canonical name (e.g. ladder {@code mode})
 * @param bands parametric EQ bands ({@code equalizer} only, else empty)
 * @param chains sub-chains ({@code parallel} only, else empty)
 * @param chainMix linear gain per sub-chain ({@code parallel} only, else empty)
 */
public record EffectSettings(
        Map<String, Automation> numbers,
        Map<String, String> choices,
        List<EqBand> bands,
        List<ChainDefinition> chains,
        List<Double> chainMix) {

    public EffectSettings {
        numbers = Map.copyOf(numbers);
        choices = Map.copyOf(choices);
        bands = List.copyOf(bands);
        chains = List.copyOf(chains);
        chainMix = List.copyOf(chainMix);
    }

    public Automation number(String name) {
        Automation a = numbers.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no numeric setting " + name);
        }
        return a;
    }

    public String choice(String name) {
        String c = choices.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no choice setting " + name);
        }
        return c;
    }

    /** One parametric EQ band. Immutable. */
    public record EqBand(Kind kind, Automation frequencyHz, Automation gainDb, Automation q) {
        public enum Kind {
            PEAK("peak"), LOW_SHELF("low_shelf"), HIGH_SHELF("high_shelf");

            private final String jsonName;

            Kind(String jsonName) {
                this.jsonName = jsonName;
            }

            public String jsonName() {
                return jsonName;
            }
        }
    }
}
