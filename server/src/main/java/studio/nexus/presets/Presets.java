package studio.nexus.presets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import studio.nexus.core.Failure;
import studio.nexus.core.Json;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.SqlStates;
import studio.nexus.effects.Effects;

/**
 * Effects presets: list (own, public and system ones: row-level security decides), create, change and delete one's
 * own, apply one to a project (as the caller, so the project's policies decide), rate 1–5. Each call is one
 * transaction as the caller. Thread-safe.
 */
public final class Presets {
    private final Db db;

    public Presets(Db db) {
        this.db = db;
    }

    public List<Preset> list(Identity who, Optional<String> category, Optional<ObjectNode> after, int limit) {
        return db.as(who, handle -> new PresetSql(handle).list(category, after, limit));
    }

    public Preset get(Identity who, UUID id) {
        return db.as(who, handle -> new PresetSql(handle).find(id)).orElseThrow(() -> Failure.notFound("Preset"));
    }

    Preset create(Identity who, PresetInput input) {
        return db.as(who, handle -> {
            PresetSql sql = new PresetSql(handle);
            UUID id = sql.insert(who.requireUserId(), input.name().orElseThrow(), input.description().orElse(null),
                    input.category().orElse(null), input.chain().orElseThrow(), input.isPublic().orElse(false));
            return sql.find(id).orElseThrow();
        });
    }

    Preset update(Identity who, UUID id, PresetInput input) {
        return refusing(() -> db.as(who, handle -> {
            PresetSql sql = new PresetSql(handle);
            sql.find(id).orElseThrow(() -> Failure.notFound("Preset"));
            if (!sql.update(id, input)) {
                throw Failure.forbidden("Only the preset's author changes it");
            }
            return sql.find(id).orElseThrow();
        }));
    }

    public void delete(Identity who, UUID id) {
        refusing(() -> db.as(who, handle -> {
            PresetSql sql = new PresetSql(handle);
            sql.find(id).orElseThrow(() -> Failure.notFound("Preset"));
            if (!sql.delete(id)) {
                throw Failure.forbidden("Only the preset's author deletes it");
            }
            return null;
        }));
    }

    /** Sets the project's effects to the preset's chain and counts the use, in one transaction. */
    public Map<String, Object> apply(Identity who, UUID id, UUID project) {
        return refusing(() -> db.as(who, handle -> {
            PresetSql sql = new PresetSql(handle);
            Preset preset = sql.find(id).orElseThrow(() -> Failure.notFound("Preset"));
            ObjectNode settings = Json.MAPPER.createObjectNode();
            settings.set("chain", Effects.validChain(preset.effectsChain(), "effects_chain"));
            if (!sql.projectVisible(project)) {
                throw Failure.notFound("Project");
            }
            if (!sql.applyToProject(project, settings)) {
                throw Failure.forbidden("Only the project's owner and editors change its effects");
            }
            int uses = sql.recordUse(id).orElse(preset.usageCount());
            return Map.<String, Object>of("project_id", project, "effects_settings", settings, "usage_count", uses);
        }));
    }

    public Preset rate(Identity who, UUID id, int rating) {
        return refusing(() -> db.as(who, handle -> {
            PresetSql sql = new PresetSql(handle);
            sql.find(id).orElseThrow(() -> Failure.notFound("Preset"));
            sql.rate(id, who.requireUserId(), rating);
            return sql.find(id).orElseThrow();
        }));
    }

    private static <T> T refusing(java.util.function.Supplier<T> work) {
        return SqlStates.onRefusal(work, () -> Failure.forbidden("You are not allowed to make this change"));
    }
}
