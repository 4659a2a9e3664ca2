package studio.nexus.admin;

import studio.nexus.core.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.Roles;
import studio.nexus.core.Json;
import studio.nexus.web.Paging;

/**
 * What administrators do, every part of it as the administrator: the database decides (V3's "Admins manage …"
 * policies and column grants, V30's SECURITY DEFINER functions for columns users are not granted) and the
 * database's audit triggers record each change in the same transaction. {@link studio.nexus.db.Roles} runs first only to
 * answer a non-administrator with a clear 403. Its SQL is in {@link AdminSql}. Thread-safe.
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

    private final Db db;

    public Admin(Db db) {
        this.db = db;
    }

    private <T> T asAdmin(Identity who, java.util.function.Function<AdminSql, T> work) {
        return db.as(who, handle -> {
            Roles.requireAdmin(handle);
            return work.apply(new AdminSql(handle));
        });
    }

    // Administrators

    public List<AdminRole> admins(Identity who) {
        return asAdmin(who, AdminSql::admins);
    }

    /** Through V3's "Admins manage roles" policy (granted_by must be the caller). Idempotent. */
    public AdminRole grant(Identity who, UUID userId) {
        return asAdmin(who, sql -> {
            requireUser(sql, userId);
            sql.grantAdmin(userId);
            return sql.admin(userId);
        });
    }

    public void revoke(Identity who, UUID userId) {
        int removed = asAdmin(who, sql -> sql.revokeAdmin(userId));
        if (removed == 0) {
            throw Failure.notFound("Administrator");
        }
    }

    private static void requireUser(AdminSql sql, UUID userId) {
        if (!sql.userExists(userId)) {
            throw Failure.notFound("User");
        }
    }

    // Users: subscription and usage

    public JsonNode setSubscription(Identity who, UUID userId, String tier, Instant expiresAt) {
        return present(asAdmin(who, sql -> sql.setSubscription(userId, tier, expiresAt)), "User");
    }

    public JsonNode usageOf(Identity who, UUID userId) {
        return present(asAdmin(who, sql -> sql.usageOf(userId)), "User");
    }

    // Projects

    public JsonNode setFeatured(Identity who, UUID projectId, boolean featured) {
        return present(asAdmin(who, sql -> sql.setFeatured(projectId, featured)), "Project");
    }

    /** A definer function's answer: NULL (or JSON null) means it found nothing by that id. */
    private static JsonNode present(JsonNode answer, String what) {
        return Optional.ofNullable(answer).filter(node -> !node.isNull()).orElseThrow(() -> Failure.notFound(what));
    }

    // AI presets: through V3's "Admins manage AI presets" policy and the column grants

    public List<AiPreset> aiPresets(Identity who) {
        return asAdmin(who, AdminSql::aiPresets);
    }

    public AiPreset createAiPreset(Identity who, Changes values) {
        return asAdmin(who, sql -> {
            Map<String, Object> columns = new java.util.LinkedHashMap<>(values.values());
            columns.put("created_by", who.requireUserId());
            return sql.insertAiPreset(columns);
        });
    }

    public AiPreset updateAiPreset(Identity who, UUID id, Changes changes) {
        return asAdmin(who, sql -> sql.updateAiPreset(id, changes.values()))
                .orElseThrow(() -> Failure.notFound("AI preset"));
    }

    // System effects presets: ownerless rows; is_system_preset only through admin_set_system_effects_preset()

    public List<EffectsPreset> systemEffectsPresets(Identity who) {
        return asAdmin(who, AdminSql::systemEffectsPresets);
    }

    public EffectsPreset createSystemEffectsPreset(Identity who, Changes values, boolean active) {
        return asAdmin(who, sql -> {
            UUID id = sql.insertEffectsPreset(values.values());
            setSystem(sql, id, active);
            return sql.systemEffectsPreset(id).orElseThrow();
        });
    }

    public EffectsPreset updateSystemEffectsPreset(Identity who, UUID id, Changes changes, Optional<Boolean> active) {
        return asAdmin(who, sql -> {
            if (!changes.values().isEmpty()) {
                sql.updateSystemEffectsPreset(id, changes.values())
                        .orElseThrow(() -> Failure.notFound("System effects preset"));
            }
            if (active.isPresent()) {
                setSystem(sql, id, active.get());
            }
            return sql.systemEffectsPreset(id).orElseThrow(() -> Failure.notFound("System effects preset"));
        });
    }

    private static void setSystem(AdminSql sql, UUID id, boolean active) {
        JsonNode result = sql.setSystemEffectsPreset(id, active);
        if (result == null || result.isNull()) {
            throw Failure.notFound("System effects preset");
        }
    }

    // Subscription limits: through V3's "Admins manage limits" policy and the column grants

    public List<Limit> limits(Identity who) {
        return asAdmin(who, AdminSql::limits);
    }

    /** Creates or replaces one tier's limit of one resource; a null limit is unlimited (stored as -1). */
    public Limit putLimit(Identity who, String tier, String resource, BigDecimal limit, String unit, String period,
                          boolean active) {
        return asAdmin(who, sql -> sql.putLimit(tier, resource, limit == null ? BigDecimal.valueOf(-1) : limit,
                unit, period, active));
    }

    // The audit log

    public Paging.Page<AuditEntry> audit(Identity who, Optional<String> targetType, Optional<String> targetId,
                                         Optional<UUID> actor, Paging.Request page) {
        // the cursor is read after the administrator check, so a non-administrator learns nothing from it
        List<AuditEntry> rows = asAdmin(who, sql -> sql.audit(targetType, targetId, actor, page.after().map(a -> {
            if (!a.path("id").canConvertToLong()) {
                throw Failure.badRequest("invalid_cursor", "The cursor is not one this server gave out");
            }
            return a.path("id").asLong();
        }), page.limit() + 1));
        return Paging.page(rows, page.limit(), e -> Json.MAPPER.createObjectNode().put("id", e.id()));
    }
}
