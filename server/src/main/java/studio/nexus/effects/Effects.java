package studio.nexus.effects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.UUID;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.effects.InvalidEffectChainException;
import studio.nexus.core.Expected;
import studio.nexus.core.Failure;
import studio.nexus.core.Json;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.SqlStates;

/**
 * A project's effects chain ({@code effects_settings.chain}): checked by the audio library's parser before it is
 * kept, so a render never meets a chain it cannot build. Presets and renders use the same check. Thread-safe.
 */
public final class Effects {
    private final Db db;

    public Effects(Db db) {
        this.db = db;
    }

    /** Validates a chain with the audio library's parser; unprocessable with its message (index, setting, range). */
    public static JsonNode validChain(JsonNode chain, String field) {
        try {
            EffectChainParser.parse(chain);
            return chain;
        } catch (InvalidEffectChainException e) {
            throw Failure.of(Failure.Kind.UNPROCESSABLE, "invalid_effect_chain", "Invalid effect chain",
                    field + ": " + e.getMessage()).with(Map.of("path", e.path()));
        } catch (RuntimeException e) {
            throw Failure.of(Failure.Kind.UNPROCESSABLE, "invalid_effect_chain", "Invalid effect chain",
                    field + ": " + e.getMessage());
        }
    }

    /** The project's chain: {@code effects_settings.chain}, or an empty chain when none was set. */
    public static JsonNode chainOf(JsonNode effectsSettings) {
        if (effectsSettings == null || !effectsSettings.has("chain")) {
            return Json.MAPPER.createArrayNode();
        }
        return effectsSettings.get("chain");
    }

    /** The master bus chain as kept and its version, the entity tag of {@code /projects/{id}/effects}. */
    public record Chain(JsonNode effectsSettings, long version) {}

    /**
     * Replaces the project's chain; answers the effects settings kept. A write made against an older reading of the
     * chain is refused as stale with the chain as it is now.
     */
    public Chain setEffects(Identity who, UUID id, JsonNode chain, Expected expected) {
        ObjectNode settings = Json.MAPPER.createObjectNode();
        settings.set("chain", validChain(chain, "chain"));
        return SqlStates.onRefusal(() -> db.as(who, handle -> {
            EffectSql sql = new EffectSql(handle);
            if (!sql.projectVisible(id)) {
                throw Failure.notFound("Project");
            }
            sql.lockChainVersion(id).ifPresent(current -> expected.require("The effects chain",
                    Long.toString(current), () -> Map.of("effects_settings", sql.effects(id))));
            if (!sql.setEffects(id, settings)) {
                throw Failure.forbidden("Only the project's owner and editors change its effects");
            }
            return new Chain(settings, sql.chainVersion(id));
        }), () -> Failure.forbidden("Only the project's owner and editors may do this"));
    }
}
