package studio.nexus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import studio.nexus.web.Caller;
import studio.nexus.db.Identity;
import studio.nexus.web.ApiException;
import studio.nexus.web.JsonInput;
import studio.nexus.web.Paging;
import studio.nexus.web.PathIds;

/** HTTP handlers of /api/v1/admin: parse and validate, call {@link Admin}, answer. */
public final class AdminRoutes {
    static final long MAX_BODY = 128 * 1024;
    static final int MAX_JSON_FIELD = 64 * 1024;
    static final Set<String> TIERS = Set.of("free", "pro", "enterprise");
    static final Set<String> PERIODS = Set.of("daily", "weekly", "monthly", "yearly", "lifetime");
    static final Pattern RESOURCE = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    static final Pattern UNIT = Pattern.compile("[a-z][a-z0-9_]{0,19}");

    private final Admin admin;

    public AdminRoutes(Admin admin) {
        this.admin = admin;
    }

    private static Identity me(Context ctx) {
        return Caller.signedIn(ctx);
    }

    // Administrators

    public void admins(Context ctx) {
        ctx.json(Map.of("items", admin.admins(me(ctx))));
    }

    public void grant(Context ctx) {
        ctx.json(admin.grant(me(ctx), PathIds.uuid(ctx, "userId", "User")));
    }

    public void revoke(Context ctx) {
        admin.revoke(me(ctx), PathIds.uuid(ctx, "userId", "Administrator"));
        ctx.status(204);
    }

    // Users

    public void setSubscription(Context ctx) {
        Identity me = me(ctx);
        UUID user = PathIds.uuid(ctx, "userId", "User");
        JsonInput in = JsonInput.of(ctx, MAX_BODY).allowOnly("subscription_tier", "subscription_expires_at");
        Optional<String> tier = in.text("subscription_tier", 1, 20, true);
        if (tier.isPresent() && !TIERS.contains(tier.get())) {
            in.reject("subscription_tier", "must be free, pro or enterprise");
        }
        Instant expires = in.text("subscription_expires_at", 1, 40, false).map(raw -> {
            try {
                return Instant.parse(raw);
            } catch (DateTimeParseException e) {
                in.reject("subscription_expires_at", "must be an ISO-8601 time such as 2026-01-31T00:00:00Z");
                return null;
            }
        }).orElse(null);
        in.done();
        ctx.json(admin.setSubscription(me, user, tier.get(), expires));
    }

    public void usage(Context ctx) {
        ctx.json(admin.usageOf(me(ctx), PathIds.uuid(ctx, "userId", "User")));
    }

    // Projects

    public void setFeatured(Context ctx) {
        Identity me = me(ctx);
        UUID project = PathIds.uuid(ctx, "id", "Project");
        JsonInput in = JsonInput.of(ctx, MAX_BODY).allowOnly("is_featured");
        Optional<Boolean> featured = in.bool("is_featured", true);
        in.done();
        ctx.json(admin.setFeatured(me, project, featured.get()));
    }

    // AI presets

    public void aiPresets(Context ctx) {
        ctx.json(Map.of("items", admin.aiPresets(me(ctx))));
    }

    public void createAiPreset(Context ctx) {
        Identity me = me(ctx);
        ctx.status(201).json(admin.createAiPreset(me, aiPreset(JsonInput.of(ctx, MAX_BODY), true)));
    }

    public void updateAiPreset(Context ctx) {
        Identity me = me(ctx);
        UUID id = PathIds.uuid(ctx, "id", "AI preset");
        ctx.json(admin.updateAiPreset(me, id, aiPreset(JsonInput.of(ctx, MAX_BODY), false)));
    }

    static Admin.Changes aiPreset(JsonInput in, boolean creating) {
        in.allowOnly("name", "description", "transformation_type", "parameters", "preview_audio_url",
                "thumbnail_url", "is_premium", "is_active");
        Map<String, Object> values = new LinkedHashMap<>();
        in.text("name", 1, 100, creating).ifPresent(v -> values.put("name", v));
        nullableText(in, "description", 2000, values);
        in.text("transformation_type", 1, 50, creating).ifPresent(v -> values.put("transformation_type", v));
        in.object("parameters", MAX_JSON_FIELD, creating).ifPresent(v -> values.put("parameters", v));
        nullableText(in, "preview_audio_url", 2048, values);
        nullableText(in, "thumbnail_url", 2048, values);
        in.bool("is_premium", false).ifPresent(v -> values.put("is_premium", v));
        in.bool("is_active", false).ifPresent(v -> values.put("is_active", v));
        if (!creating && in.raw().isEmpty()) {
            in.reject("body", "name at least one field to change");
        }
        in.done();
        return new Admin.Changes(values);
    }

    // System effects presets

    public void effectsPresets(Context ctx) {
        ctx.json(Map.of("items", admin.systemEffectsPresets(me(ctx))));
    }

    public void createEffectsPreset(Context ctx) {
        Identity me = me(ctx);
        JsonInput in = JsonInput.of(ctx, MAX_BODY);
        Admin.Changes values = effectsPreset(in, true);
        boolean active = in.raw().path("is_active").asBoolean(true);
        ctx.status(201).json(admin.createSystemEffectsPreset(me, values, active));
    }

    public void updateEffectsPreset(Context ctx) {
        Identity me = me(ctx);
        UUID id = PathIds.uuid(ctx, "id", "System effects preset");
        JsonInput in = JsonInput.of(ctx, MAX_BODY);
        Admin.Changes changes = effectsPreset(in, false);
        Optional<Boolean> active = in.raw().has("is_active") ? Optional.of(in.raw().get("is_active").booleanValue())
                : Optional.empty();
        ctx.json(admin.updateSystemEffectsPreset(me, id, changes, active));
    }

    static Admin.Changes effectsPreset(JsonInput in, boolean creating) {
        in.allowOnly("name", "description", "category", "effects_chain", "preview_audio_url", "is_public",
                "is_active");
        Map<String, Object> values = new LinkedHashMap<>();
        in.text("name", 1, 100, creating).ifPresent(v -> values.put("name", v));
        nullableText(in, "description", 2000, values);
        nullableText(in, "category", 50, values);
        in.value("effects_chain", MAX_JSON_FIELD, creating).ifPresent(v -> {
            if (!v.isArray() && !v.isObject()) {
                in.reject("effects_chain", "must be a JSON array (or object) of effect settings");
            } else {
                values.put("effects_chain", v);
            }
        });
        nullableText(in, "preview_audio_url", 2048, values);
        in.bool("is_public", false).ifPresent(v -> values.put("is_public", v));
        in.bool("is_active", false);
        if (!creating && in.raw().isEmpty()) {
            in.reject("body", "name at least one field to change");
        }
        in.done();
        return new Admin.Changes(values);
    }

    private static void nullableText(JsonInput in, String field, int max, Map<String, Object> values) {
        if (in.has(field) && in.raw().get(field).isNull()) {
            values.put(field, null);
        } else {
            in.text(field, 0, max, false).ifPresent(v -> values.put(field, v));
        }
    }

    // Subscription limits

    public void limits(Context ctx) {
        ctx.json(Map.of("items", admin.limits(me(ctx))));
    }

    public void putLimit(Context ctx) {
        Identity me = me(ctx);
        String tier = ctx.pathParam("tier");
        String resource = ctx.pathParam("resourceType");
        if (!TIERS.contains(tier)) {
            throw ApiException.notFound("Subscription tier");
        }
        if (!RESOURCE.matcher(resource).matches()) {
            throw ApiException.notFound("Resource type");
        }
        JsonInput in = JsonInput.of(ctx, MAX_BODY).allowOnly("limit_value", "limit_unit", "reset_period", "is_active");
        BigDecimal limit = null;
        JsonNode rawLimit = in.raw().get("limit_value");
        if (rawLimit == null) {
            in.reject("limit_value", "is required (null for unlimited)");
        } else if (!rawLimit.isNull()) {
            if (!rawLimit.isNumber() || rawLimit.decimalValue().compareTo(BigDecimal.valueOf(-1)) < 0
                    || rawLimit.decimalValue().compareTo(new BigDecimal("9999999.999")) > 0
                    || rawLimit.decimalValue().scale() > 3) {
                in.reject("limit_value", "must be a number from 0 to 9999999.999 with at most 3 decimals, "
                        + "or null (or -1) for unlimited");
            } else if (rawLimit.decimalValue().signum() >= 0) {
                limit = rawLimit.decimalValue();
            }
        }
        Optional<String> unit = in.text("limit_unit", 1, 20, true);
        if (unit.isPresent() && !UNIT.matcher(unit.get()).matches()) {
            in.reject("limit_unit", "must be a short lower-case word such as count, mb, seconds");
        }
        Optional<String> period = in.text("reset_period", 1, 20, true);
        if (period.isPresent() && !PERIODS.contains(period.get())) {
            in.reject("reset_period", "must be daily, weekly, monthly, yearly or lifetime");
        }
        boolean active = in.bool("is_active", false).orElse(true);
        in.done();
        ctx.json(admin.putLimit(me, tier, resource, limit, unit.get(), period.get(), active));
    }

    // Audit log

    public void audit(Context ctx) {
        Identity me = me(ctx);
        Optional<UUID> actor = Optional.ofNullable(ctx.queryParam("actor_id")).map(raw -> {
            try {
                return UUID.fromString(raw);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_filter", "actor_id must be a UUID");
            }
        });
        Optional<String> targetType = Optional.ofNullable(ctx.queryParam("target_type"));
        Optional<String> targetId = Optional.ofNullable(ctx.queryParam("target_id"));
        if (targetType.map(String::length).orElse(0) > 64 || targetId.map(String::length).orElse(0) > 64) {
            throw ApiException.badRequest("invalid_filter", "target_type and target_id are at most 64 characters");
        }
        ctx.json(admin.audit(me, targetType, targetId, actor, Paging.request(ctx, 50, 100)));
    }
}
