package studio.nexus.effects;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** All SQL of a project's effects chain. Runs as the caller: row-level security decides. */
final class EffectSql {
    private final Handle handle;

    EffectSql(Handle handle) {
        this.handle = handle;
    }

    /** Whether the caller can see the project. */
    boolean projectVisible(UUID id) {
        return handle.createQuery("SELECT true FROM public.projects WHERE id = :id").bind("id", id)
                .mapTo(Boolean.class).findOne().isPresent();
    }

    /** Replaces the project's effects settings; false when RLS let no row be updated. */
    boolean setEffects(UUID id, JsonNode effects) {
        return handle.createUpdate("UPDATE public.projects SET effects_settings = :effects WHERE id = :id")
                .bind("id", id).bindByType("effects", effects, JsonNode.class).execute() == 1;
    }
}
