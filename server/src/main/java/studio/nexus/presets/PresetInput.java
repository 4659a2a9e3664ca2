package studio.nexus.presets;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import studio.nexus.effects.Effects;
import studio.nexus.web.JsonInput;

/** A validated preset body; the chain is checked by the audio library's parser (422 naming index and setting). */
record PresetInput(JsonInput raw, Optional<String> name, Optional<String> description, Optional<String> category,
                   Optional<JsonNode> chain, Optional<Boolean> isPublic) {

    boolean has(String field) {
        return raw.has(field);
    }

    static PresetInput of(JsonInput in, boolean create) {
        in.allowOnly("name", "description", "category", "effects_chain", "is_public");
        Optional<String> name = in.text("name", 1, 100, create).map(String::strip);
        Optional<String> description = in.text("description", 0, 2000, false);
        Optional<String> category = in.text("category", 1, 40, false).map(String::strip);
        Optional<JsonNode> chain = in.value("effects_chain", 256 * 1024, create);
        Optional<Boolean> isPublic = in.bool("is_public", false);
        if (name.isPresent() && name.get().isEmpty()) {
            in.reject("name", "must not be blank");
        }
        in.done();
        chain.ifPresent(c -> Effects.validChain(c, "effects_chain"));
        return new PresetInput(in, name, description, category, chain, isPublic);
    }
}
