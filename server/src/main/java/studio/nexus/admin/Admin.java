package studio.nexus.admin;

import studio.nexus.core.Failure;
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
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.core.Json;
import studio.nexus.web.Paging;

/**
 * What administrators do, every part of it as the administrator: the database decides (V3's "Admins manage …"
 * policies and column grants, V30's SECURITY DEFINER functions for columns users are not granted) and the
 * database's audit triggers record each change in the same transaction. {@link AdminCheck} runs first only to
 * answer a non-administrator with a clear 403. All SQL of the feature is here. Thread-safe.
 */
public final class Admin {
    public record AdminRole(UUID userId, String username, UUID grantedBy, Instant grantedAt) {}

    public record AiPreset(UUID id, String name, String description, String transformationType, JsonNode parameters,
                           String previewAudioUrl, String thumbnailUrl, Boolean isPremium, Boolean isActive,
                           Integer usageCount, UUID createdBy, Instant createdAt, Instant updatedAt) {}

    public record EffectsPreset(UUID id, String name, String description, String category, JsonNode effectsChain,
                                String previewAudioUrl, Boolean isPublic, Boolean isSystemPreset, Integer usageCount,
                                Instant createdAt, Instant updatedAt) {}

    public record Limit(UUID id, String subscriptionTier, String resourceType, BigDecimal limitValue,
                        String limitUnit, String resetPeriod, Boolean isActive, Instant createdAt) {}

    public record AuditEntry(long id, UUID actorId, String actorRole, String action, String targetType,
                             String targetId, JsonNode before, JsonNode after, Instant createdAt) {}

    /** Changes to a preset: only present fields are written (column name → value). */
    public record Changes(Map<String, Object> values) {}

    private static final String AI_PRESET_COLUMNS = """
            id, name, description, transformation_type, parameters, preview_audio_url, thumbnail_url, is_premium,
            is_active, usage_count, created_by, created_at, updated_at""";
    private static final String EFFECTS_PRESET_COLUMNS = """
            id, name, description, category, effects_chain, preview_audio_url, is_public, is_system_preset,
            usage_count, created_at, updated_at""";
    private static final String LIMIT_COLUMNS = """
            id, subscription_tier, resource_type, limit_value, limit_unit, reset_period, is_active, created_at""";

    private final Db db;

    public Admin(Db db) {
        this.db = db;
    }

    private <T> T asAdmin(Identity who, Db.Work<T> work) {
        return db.as(who, handle -> {
            AdminCheck.require(handle);
            return work.run(handle);
        });
    }

    // Administrators

    public List<AdminRole> admins(Identity who) {
        return asAdmin(who, handle -> handle.createQuery("""
                        SELECT user_id, public.username_of(user_id) AS username, granted_by, granted_at
                          FROM public.user_roles WHERE role = 'admin' ORDER BY granted_at, user_id""")
                .map(ConstructorMapper.of(AdminRole.class)).list());
    }

    /** Through V3's "Admins manage roles" policy (granted_by must be the caller). Idempotent. */
    public AdminRole grant(Identity who, UUID userId) {
        return asAdmin(who, handle -> {
            requireUser(handle, userId);
            handle.createUpdate("""
                            INSERT INTO public.user_roles (user_id, role, granted_by)
                            VALUES (:user, 'admin', (SELECT auth.uid())) ON CONFLICT (user_id) DO NOTHING""")
                    .bind("user", userId).execute();
            return handle.createQuery("""
                            SELECT user_id, public.username_of(user_id) AS username, granted_by, granted_at
                              FROM public.user_roles WHERE user_id = :user""")
                    .bind("user", userId).map(ConstructorMapper.of(AdminRole.class)).one();
        });
    }

    public void revoke(Identity who, UUID userId) {
        int removed = asAdmin(who, handle -> handle.createUpdate(
                "DELETE FROM public.user_roles WHERE user_id = :user AND role = 'admin'")
                .bind("user", userId).execute());
        if (removed == 0) {
            throw Failure.notFound("Administrator");
        }
    }

    private static void requireUser(Handle handle, UUID userId) {
        // administrators see every profile (V3 "Admins can view all profiles")
        if (!handle.createQuery("SELECT EXISTS (SELECT 1 FROM public.profiles WHERE id = :id)")
                .bind("id", userId).mapTo(Boolean.class).one()) {
            throw Failure.notFound("User");
        }
    }

    // Users: subscription and usage

    public JsonNode setSubscription(Identity who, UUID userId, String tier, Instant expiresAt) {
        return asAdmin(who, handle -> Optional.ofNullable(handle.createQuery(
                                "SELECT public.admin_set_subscription(:user, :tier, :expires)")
                        .bind("user", userId).bind("tier", tier)
                        .bind("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                        .mapTo(JsonNode.class).one()))
                .filter(node -> !node.isNull())
                .orElseThrow(() -> Failure.notFound("User"));
    }

    public JsonNode usageOf(Identity who, UUID userId) {
        return asAdmin(who, handle -> Optional.ofNullable(handle.createQuery("SELECT public.admin_user_usage(:user)")
                        .bind("user", userId).mapTo(JsonNode.class).one()))
                .filter(node -> !node.isNull())
                .orElseThrow(() -> Failure.notFound("User"));
    }

    // Projects

    public JsonNode setFeatured(Identity who, UUID projectId, boolean featured) {
        return asAdmin(who, handle -> Optional.ofNullable(handle.createQuery(
                                "SELECT public.admin_set_featured(:project, :featured)")
                        .bind("project", projectId).bind("featured", featured)
                        .mapTo(JsonNode.class).one()))
                .filter(node -> !node.isNull())
                .orElseThrow(() -> Failure.notFound("Project"));
    }

    // AI presets: through V3's "Admins manage AI presets" policy and the column grants

    public List<AiPreset> aiPresets(Identity who) {
        return asAdmin(who, handle -> handle.createQuery("SELECT " + AI_PRESET_COLUMNS
                        + " FROM public.ai_model_presets ORDER BY created_at DESC, id LIMIT 1000")
                .map(ConstructorMapper.of(AiPreset.class)).list());
    }

    public AiPreset createAiPreset(Identity who, Changes values) {
        return asAdmin(who, handle -> {
            Map<String, Object> columns = new java.util.LinkedHashMap<>(values.values());
            columns.put("created_by", who.requireUserId());
            return insert(handle, "public.ai_model_presets", columns, AI_PRESET_COLUMNS)
                    .map(ConstructorMapper.of(AiPreset.class)).one();
        });
    }

    public AiPreset updateAiPreset(Identity who, UUID id, Changes changes) {
        return asAdmin(who, handle -> update(handle, "public.ai_model_presets", id, "", changes.values(),
                AI_PRESET_COLUMNS).map(ConstructorMapper.of(AiPreset.class)).findOne())
                .orElseThrow(() -> Failure.notFound("AI preset"));
    }

    // System effects presets: ownerless rows; is_system_preset only through admin_set_system_effects_preset()

    public List<EffectsPreset> systemEffectsPresets(Identity who) {
        return asAdmin(who, handle -> handle.createQuery("SELECT " + EFFECTS_PRESET_COLUMNS
                        + " FROM public.effects_presets WHERE user_id IS NULL ORDER BY created_at DESC, id LIMIT 1000")
                .map(ConstructorMapper.of(EffectsPreset.class)).list());
    }

    public EffectsPreset createSystemEffectsPreset(Identity who, Changes values, boolean active) {
        return asAdmin(who, handle -> {
            UUID id = insert(handle, "public.effects_presets", values.values(), "id").mapTo(UUID.class).one();
            setSystem(handle, id, active);
            return findEffectsPreset(handle, id).orElseThrow();
        });
    }

    public EffectsPreset updateSystemEffectsPreset(Identity who, UUID id, Changes changes, Optional<Boolean> active) {
        return asAdmin(who, handle -> {
            if (!changes.values().isEmpty()) {
                update(handle, "public.effects_presets", id, " AND user_id IS NULL", changes.values(), "id")
                        .mapTo(UUID.class).findOne().orElseThrow(() -> Failure.notFound("System effects preset"));
            }
            if (active.isPresent()) {
                setSystem(handle, id, active.get());
            }
            return findEffectsPreset(handle, id)
                    .orElseThrow(() -> Failure.notFound("System effects preset"));
        });
    }

    private static void setSystem(Handle handle, UUID id, boolean active) {
        JsonNode result = handle.createQuery("SELECT public.admin_set_system_effects_preset(:id, :active)")
                .bind("id", id).bind("active", active).mapTo(JsonNode.class).one();
        if (result == null || result.isNull()) {
            throw Failure.notFound("System effects preset");
        }
    }

    private static Optional<EffectsPreset> findEffectsPreset(Handle handle, UUID id) {
        return handle.createQuery("SELECT " + EFFECTS_PRESET_COLUMNS
                        + " FROM public.effects_presets WHERE id = :id AND user_id IS NULL")
                .bind("id", id).map(ConstructorMapper.of(EffectsPreset.class)).findOne();
    }

    // Subscription limits: through V3's "Admins manage limits" policy and the column grants

    public List<Limit> limits(Identity who) {
        return asAdmin(who, handle -> handle.createQuery("SELECT " + LIMIT_COLUMNS
                        + " FROM public.subscription_limits ORDER BY subscription_tier, resource_type")
                .map(ConstructorMapper.of(Limit.class)).list());
    }

    /** Creates or replaces one tier's limit of one resource; a null limit is unlimited (stored as -1). */
    public Limit putLimit(Identity who, String tier, String resource, BigDecimal limit, String unit, String period,
                          boolean active) {
        return asAdmin(who, handle -> handle.createQuery("""
                        INSERT INTO public.subscription_limits AS l
                               (subscription_tier, resource_type, limit_value, limit_unit, reset_period, is_active)
                        VALUES (:tier, :resource, :limit, :unit, :period, :active)
                        ON CONFLICT (subscription_tier, resource_type) DO UPDATE
                           SET limit_value = EXCLUDED.limit_value, limit_unit = EXCLUDED.limit_unit,
                               reset_period = EXCLUDED.reset_period, is_active = EXCLUDED.is_active
                        RETURNING\s""" + LIMIT_COLUMNS.replace("id,", "l.id,"))
                .bind("tier", tier).bind("resource", resource)
                .bind("limit", limit == null ? BigDecimal.valueOf(-1) : limit)
                .bind("unit", unit).bind("period", period).bind("active", active)
                .map(ConstructorMapper.of(Limit.class)).one());
    }

    // The audit log

    public Paging.Page<AuditEntry> audit(Identity who, Optional<String> targetType, Optional<String> targetId,
                                         Optional<UUID> actor, Paging.Request page) {
        List<AuditEntry> rows = asAdmin(who, handle -> {
            List<String> where = new ArrayList<>();
            targetType.ifPresent(t -> where.add("target_type = :targetType"));
            targetId.ifPresent(t -> where.add("target_id = :targetId"));
            actor.ifPresent(a -> where.add("actor_id = :actor"));
            page.after().ifPresent(a -> where.add("id < :afterId"));
            Query query = handle.createQuery("SELECT id, actor_id, actor_role, action, target_type, target_id, before,"
                    + " after, created_at FROM public.admin_audit_log"
                    + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                    + " ORDER BY id DESC LIMIT :limit");
            targetType.ifPresent(t -> query.bind("targetType", t));
            targetId.ifPresent(t -> query.bind("targetId", t));
            actor.ifPresent(a -> query.bind("actor", a));
            page.after().ifPresent(a -> {
                if (!a.path("id").canConvertToLong()) {
                    throw Failure.badRequest("invalid_cursor", "The cursor is not one this server gave out");
                }
                query.bind("afterId", a.path("id").asLong());
            });
            return query.bind("limit", page.limit() + 1).map(ConstructorMapper.of(AuditEntry.class)).list();
        });
        return Paging.page(rows, page.limit(), e -> Json.MAPPER.createObjectNode().put("id", e.id()));
    }

    // Dynamic writes over validated column names (never caller-supplied names: the routes build the maps)

    private static Query insert(Handle handle, String table, Map<String, Object> columns, String returning) {
        List<String> names = new ArrayList<>(columns.keySet());
        Query query = handle.createQuery("INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                + String.join(", ", names.stream().map(n -> ":" + n).toList()) + ") RETURNING " + returning);
        columns.forEach((name, value) -> bindValue(query, name, value));
        return query;
    }

    private static Query update(Handle handle, String table, UUID id, String extraWhere, Map<String, Object> changes,
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
