package studio.nexus.effects;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
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

    /**
     * Locks the project for a change of its chain and answers the chain's version; empty when the caller may not
     * change it (the update that follows finds nothing).
     */
    Optional<Long> lockChainVersion(UUID id) {
        return handle.createQuery("SELECT chain_version FROM public.projects WHERE id = :id FOR NO KEY UPDATE")
                .bind("id", id).mapTo(Long.class).findOne();
    }

    /** The project's chain version, as the caller sees it. */
    long chainVersion(UUID id) {
        return handle.createQuery("SELECT chain_version FROM public.projects WHERE id = :id").bind("id", id)
                .mapTo(Long.class).one();
    }

    /** The project's effects settings, as the caller sees them. */
    JsonNode effects(UUID id) {
        return handle.createQuery("SELECT coalesce(effects_settings, '{}'::jsonb) FROM public.projects WHERE id = :id")
                .bind("id", id).mapTo(JsonNode.class).one();
    }

    /** Replaces the project's effects settings; false when RLS let no row be updated. */
    boolean setEffects(UUID id, JsonNode effects) {
        return handle.createUpdate("UPDATE public.projects SET effects_settings = :effects WHERE id = :id")
                .bind("id", id).bindByType("effects", effects, JsonNode.class).execute() == 1;
    }
}
