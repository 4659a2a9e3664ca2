package studio.nexus.presets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;
import studio.nexus.web.Paging;

/** All SQL of effects presets; runs as the caller, so RLS decides which presets exist for them. */
final class PresetSql {
    private static final String COLUMNS = """
            p.id, p.user_id, public.username_of(p.user_id) AS author_username, p.name, p.description, p.category, p.effects_chain, coalesce(p.is_public, false) AS is_public,
            coalesce(p.is_system_preset, false) AS is_system_preset, coalesce(p.usage_count, 0) AS usage_count,
            coalesce(p.rating_average, 0) AS rating_average, coalesce(p.rating_count, 0) AS rating_count,
            (SELECT r.rating::integer FROM public.effects_preset_ratings r
              WHERE r.preset_id = p.id AND r.user_id = (SELECT auth.uid())) AS my_rating,
            p.created_at, p.updated_at
            """;

    private final Handle handle;

    PresetSql(Handle handle) {
        this.handle = handle;
        handle.registerRowMapper(ConstructorMapper.factory(Preset.class));
    }

    List<Preset> list(Optional<String> category, Optional<ObjectNode> after, int limit) {
        List<String> where = new ArrayList<>(List.of("true"));
        category.ifPresent(c -> where.add("lower(p.category) = lower(:category)"));
        after.ifPresent(c -> where.add("(p.created_at, p.id) < (:createdAt, :lastId)"));
        Query query = handle.createQuery("SELECT " + COLUMNS + " FROM public.effects_presets p WHERE "
                + String.join(" AND ", where) + " ORDER BY p.created_at DESC, p.id DESC LIMIT :limit")
                .bind("limit", limit + 1);
        category.ifPresent(c -> query.bind("category", c));
        after.ifPresent(cursor -> query.bind("createdAt", Paging.instant(cursor, "created_at"))
                .bind("lastId", Paging.uuid(cursor, "id")));
        return query.mapTo(Preset.class).list();
    }

    Optional<Preset> find(UUID id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM public.effects_presets p WHERE p.id = :id")
                .bind("id", id).mapTo(Preset.class).findOne();
    }

    UUID insert(UUID owner, String name, String description, String category, JsonNode chain, boolean isPublic) {
        return handle.createQuery("""
                        INSERT INTO public.effects_presets (user_id, name, description, category, effects_chain, is_public)
                        VALUES (:owner, :name, :description, :category, :chain, :public) RETURNING id""")
                .bind("owner", owner).bind("name", name).bind("description", description).bind("category", category)
                .bindByType("chain", chain, JsonNode.class).bind("public", isPublic)
                .mapTo(UUID.class).one();
    }

    boolean update(UUID id, PresetInput input) {
        List<String> sets = new ArrayList<>();
        input.name().ifPresent(v -> sets.add("name = :name"));
        if (input.has("description")) {
            sets.add("description = :description");
        }
        if (input.has("category")) {
            sets.add("category = :category");
        }
        input.chain().ifPresent(v -> sets.add("effects_chain = :chain"));
        input.isPublic().ifPresent(v -> sets.add("is_public = :public"));
        if (sets.isEmpty()) {
            sets.add("name = name");
        }
        var update = handle.createUpdate("UPDATE public.effects_presets SET " + String.join(", ", sets)
                + " WHERE id = :id").bind("id", id);
        input.name().ifPresent(v -> update.bind("name", v));
        if (input.has("description")) {
            update.bind("description", input.description().orElse(null));
        }
        if (input.has("category")) {
            update.bind("category", input.category().orElse(null));
        }
        input.chain().ifPresent(v -> update.bindByType("chain", v, JsonNode.class));
        input.isPublic().ifPresent(v -> update.bind("public", v));
        return update.execute() == 1;
    }

    boolean delete(UUID id) {
        return handle.createUpdate("DELETE FROM public.effects_presets WHERE id = :id").bind("id", id).execute() == 1;
    }

    boolean applyToProject(UUID projectId, JsonNode effectsSettings) {
        return handle.createUpdate("UPDATE public.projects SET effects_settings = :settings WHERE id = :id")
                .bind("id", projectId).bindByType("settings", effectsSettings, JsonNode.class).execute() == 1;
    }

    boolean projectVisible(UUID projectId) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM public.projects WHERE id = :id)")
                .bind("id", projectId).mapTo(Boolean.class).one();
    }

    Optional<Integer> recordUse(UUID presetId) {
        return handle.createQuery("SELECT public.record_preset_use(:id)").bind("id", presetId)
                .mapTo(Integer.class).findOne();
    }

    void rate(UUID presetId, UUID user, int rating) {
        handle.createUpdate("""
                        INSERT INTO public.effects_preset_ratings (preset_id, user_id, rating)
                        VALUES (:preset, :user, :rating)
                        ON CONFLICT (preset_id, user_id) DO UPDATE SET rating = EXCLUDED.rating""")
                .bind("preset", presetId).bind("user", user).bind("rating", (short) rating).execute();
    }

    static ObjectNode cursorOf(Preset preset) {
        return studio.nexus.core.Json.MAPPER.createObjectNode().put("created_at", preset.createdAt().toString())
                .put("id", preset.id().toString());
    }

}
