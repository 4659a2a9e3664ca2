package studio.nexus.audio.effects;

import java.util.List;

/** Machine-readable description of one effect type. Immutable. */
public record EffectDescriptor(String type, String description, List<ParameterDescriptor> parameters) {
    public EffectDescriptor {
        parameters = List.copyOf(parameters);
    }
}
