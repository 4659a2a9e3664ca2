package studio.nexus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;
import studio.nexus.admin.Admin.AdminRole;
import studio.nexus.admin.Admin.AiPreset;
import studio.nexus.admin.Admin.AuditEntry;
import studio.nexus.admin.Admin.EffectsPreset;
import studio.nexus.admin.Admin.Limit;

/**
 * All SQL of administration. Runs in the administrator's transaction, as the administrator: the policies, column
 * grants and definer functions decide, and the audit triggers record each change.
 */
final class AdminSql {
    private static final String AI_PRESET_COLUMNS = """
            id, name, description, transformation_type, parameters, preview_audio_url, thumbnail_url, is_premium,
            is_active, usage_count, created_by, created_at, updated_at""";
    private static final String EFFECTS_PRESET_COLUMNS = """
            id, name, description, category, effects_chain, preview_audio_url, is_public, is_system_preset,
            usage_count, created_at, updated_at""";
    private static final String LIMIT_COLUMNS = """
            id, subscription_tier, resource_type, limit_value, limit_unit, reset_period, is_active, created_at""";

    private final Handle handle;

    AdminSql(Handle handle) {
        this.handle = handle;
    }

    // The operator's command, run as the system before any administrator exists (grantAdmin/revokeAdmin too).

    Optional<UUID> accountByEmail(String email) {
        return handle.createQuery("SELECT id FROM auth.users WHERE lower(email) = lower(:email)")
                .bind("email", email).mapTo(UUID.class).findOne();
    }

    List<AdminRole> admins() {
        return handle.createQuery("""
                        SELECT user_id, public.username_of(user_id) AS username, granted_by, granted_at
                          FROM public.user_roles WHERE role = 'admin' ORDER BY granted_at, user_id""")
                .map(ConstructorMapper.of(AdminRole.class)).list();
    }

    int grantAdmin(UUID userId) {
        return handle.createUpdate("""
                        INSERT INTO public.user_roles (user_id, role, granted_by)
                        VALUES (:user, 'admin', (SELECT auth.uid())) ON CONFLICT (user_id) DO NOTHING""")
                .bind("user", userId).execute();
    }

    AdminRole admin(UUID userId) {
        return handle.createQuery("""
                        SELECT user_id, public.username_of(user_id) AS username, granted_by, granted_at
                          FROM public.user_roles WHERE user_id = :user""")
                .bind("user", userId).map(ConstructorMapper.of(AdminRole.class)).one();
    }

    int revokeAdmin(UUID userId) {
        return handle.createUpdate("DELETE FROM public.user_roles WHERE user_id = :user AND role = 'admin'")
                .bind("user", userId).execute();
    }

    /** Administrators see every profile (V3 "Admins can view all profiles"). */
    boolean userExists(UUID userId) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM public.profiles WHERE id = :id)")
                .bind("id", userId).mapTo(Boolean.class).one();
    }

    JsonNode setSubscription(UUID userId, String tier, Instant expiresAt) {
        return handle.createQuery("SELECT public.admin_set_subscription(:user, :tier, :expires)")
                .bind("user", userId).bind("tier", tier)
                .bind("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                .mapTo(JsonNode.class).one();
    }

    JsonNode usageOf(UUID userId) {
        return handle.createQuery("SELECT public.admin_user_usage(:user)")
                .bind("user", userId).mapTo(JsonNode.class).one();
    }

    JsonNode setFeatured(UUID projectId, boolean featured) {
        return handle.createQuery("SELECT public.admin_set_featured(:project, :featured)")
                .bind("project", projectId).bind("featured", featured).mapTo(JsonNode.class).one();
    }

    List<AiPreset> aiPresets() {
        return handle.createQuery("SELECT " + AI_PRESET_COLUMNS
                        + " FROM public.ai_model_presets ORDER BY created_at DESC, id LIMIT 1000")
                .map(ConstructorMapper.of(AiPreset.class)).list();
    }

    AiPreset insertAiPreset(Map<String, Object> columns) {
        return insert("public.ai_model_presets", columns, AI_PRESET_COLUMNS)
                .map(ConstructorMapper.of(AiPreset.class)).one();
    }

    Optional<AiPreset> updateAiPreset(UUID id, Map<String, Object> changes) {
        return update("public.ai_model_presets", id, "", changes, AI_PRESET_COLUMNS)
                .map(ConstructorMapper.of(AiPreset.class)).findOne();
    }

    List<EffectsPreset> systemEffectsPresets() {
        return handle.createQuery("SELECT " + EFFECTS_PRESET_COLUMNS
                        + " FROM public.effects_presets WHERE user_id IS NULL ORDER BY created_at DESC, id LIMIT 1000")
                .map(ConstructorMapper.of(EffectsPreset.class)).list();
    }

    UUID insertEffectsPreset(Map<String, Object> columns) {
        return insert("public.effects_presets", columns, "id").mapTo(UUID.class).one();
    }

    Optional<UUID> updateSystemEffectsPreset(UUID id, Map<String, Object> changes) {
        return update("public.effects_presets", id, " AND user_id IS NULL", changes, "id").mapTo(UUID.class).findOne();
    }

    JsonNode setSystemEffectsPreset(UUID id, boolean active) {
        return handle.createQuery("SELECT public.admin_set_system_effects_preset(:id, :active)")
                .bind("id", id).bind("active", active).mapTo(JsonNode.class).one();
    }

    Optional<EffectsPreset> systemEffectsPreset(UUID id) {
        return handle.createQuery("SELECT " + EFFECTS_PRESET_COLUMNS
                        + " FROM public.effects_presets WHERE id = :id AND user_id IS NULL")
                .bind("id", id).map(ConstructorMapper.of(EffectsPreset.class)).findOne();
    }

    List<Limit> limits() {
        return handle.createQuery("SELECT " + LIMIT_COLUMNS
                        + " FROM public.subscription_limits ORDER BY subscription_tier, resource_type")
                .map(ConstructorMapper.of(Limit.class)).list();
    }

    Limit putLimit(String tier, String resource, BigDecimal limit, String unit, String period, boolean active) {
        return handle.createQuery("""
                        INSERT INTO public.subscription_limits AS l
                               (subscription_tier, resource_type, limit_value, limit_unit, reset_period, is_active)
                        VALUES (:tier, :resource, :limit, :unit, :period, :active)
                        ON CONFLICT (subscription_tier, resource_type) DO UPDATE
                           SET limit_value = EXCLUDED.limit_value, limit_unit = EXCLUDED.limit_unit,
                               reset_period = EXCLUDED.reset_period, is_active = EXCLUDED.is_active
                        RETURNING\s""" + LIMIT_COLUMNS.replace("id,", "l.id,"))
                .bind("tier", tier).bind("resource", resource).bind("limit", limit)
                .bind("unit", unit).bind("period", period).bind("active", active)
                .map(ConstructorMapper.of(Limit.class)).one();
    }

    /** Newest first, keyset-paged by id; {@code limit} rows at most. */
    List<AuditEntry> audit(Optional<String> targetType, Optional<String> targetId, Optional<UUID> actor,
                           Optional<Long> afterId, int limit) {
        List<String> where = new ArrayList<>();
        targetType.ifPresent(t -> where.add("target_type = :targetType"));
        targetId.ifPresent(t -> where.add("target_id = :targetId"));
        actor.ifPresent(a -> where.add("actor_id = :actor"));
        afterId.ifPresent(a -> where.add("id < :afterId"));
        Query query = handle.createQuery("SELECT id, actor_id, actor_role, action, target_type, target_id, before,"
                + " after, created_at FROM public.admin_audit_log"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY id DESC LIMIT :limit");
        targetType.ifPresent(t -> query.bind("targetType", t));
        targetId.ifPresent(t -> query.bind("targetId", t));
        actor.ifPresent(a -> query.bind("actor", a));
        afterId.ifPresent(a -> query.bind("afterId", a));
        return query.bind("limit", limit).map(ConstructorMapper.of(AuditEntry.class)).list();
    }

    // Dynamic writes over validated column names (never caller-supplied names: the routes build the maps)

    private Query insert(String table, Map<String, Object> columns, String returning) {
        List<String> names = new ArrayList<>(columns.keySet());
        Query query = handle.createQuery("INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                + String.join(", ", names.stream().map(n -> ":" + n).toList()) + ") RETURNING " + returning);
        columns.forEach((name, value) -> bindValue(query, name, value));
        return query;
    }

    private Query update(String table, UUID id, String extraWhere, Map<String, Object> changes,
                                String returning) {
        List<String> sets = changes.keySet().stream().map(n -> n + " = :" + n).toList();
        String set = sets.isEmpty() ? "id = id" : String.join(", ", sets);
        Query query = handle.createQuery("UPDATE " + table + " SET " + set + " WHERE id = :id" + extraWhere
                + " RETURNING " + returning);
        query.bind("id", id);
        changes.forEach((name, value) -> bindValue(query, name, value));
        return query;
    }

    private static void bindValue(Query query, String name, Object value) {
        if (value instanceof JsonNode json) {
            query.bindByType(name, json, JsonNode.class);
        } else if (value instanceof UUID uuid) {
            query.bind(name, uuid);
        } else if (value instanceof Boolean bool) {
            query.bind(name, bool);
        } else {
            query.bind(name, value == null ? null : value.toString());
        }
    }
}
