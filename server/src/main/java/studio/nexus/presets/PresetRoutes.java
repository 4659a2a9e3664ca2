package studio.nexus.presets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import studio.nexus.web.Caller;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.SqlStates;
import studio.nexus.studio.Studio;
import studio.nexus.web.ApiException;
import studio.nexus.core.Json;
import studio.nexus.web.JsonInput;
import studio.nexus.web.Paging;
import studio.nexus.web.PathIds;

/**
 * Effects presets: list (own, public and system ones: RLS decides), create, change and delete one's own, apply one
 * to a project (as the caller, so the project's policies decide), rate 1–5. Thread-safe.
 */
public final class PresetRoutes {
    private final Db db;
    private final long maxBody;

    public PresetRoutes(Db db, long maxBody) {
        this.db = db;
        this.maxBody = maxBody;
    }

    private static UUID presetId(Context ctx) {
        return PathIds.uuid(ctx, "id", "Preset");
    }

    public void list(Context ctx) {
        Paging.Request page = Paging.request(ctx, 20, 100);
        String category = ctx.queryParam("category");
        if (category != null && (category.isBlank() || category.length() > 40)) {
            throw ApiException.badRequest("invalid_parameter", "category must be 1–40 characters");
        }
        List<Preset> rows = db.as(Caller.identity(ctx), handle -> new PresetStore(handle)
                .list(Optional.ofNullable(category), page.after(), page.limit()));
        ctx.json(Paging.page(rows, page.limit(), PresetStore::cursorOf));
    }

    public void get(Context ctx) {
        UUID id = presetId(ctx);
        ctx.json(db.as(Caller.identity(ctx), handle -> new PresetStore(handle).find(id))
                .orElseThrow(() -> ApiException.notFound("Preset")));
    }

    public void create(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        PresetInput input = PresetInput.of(JsonInput.of(ctx, maxBody), true);
        Preset preset = db.as(me, handle -> {
            PresetStore store = new PresetStore(handle);
            UUID id = store.insert(me.requireUserId(), input.name().orElseThrow(), input.description().orElse(null),
                    input.category().orElse(null), input.chain().orElseThrow(), input.isPublic().orElse(false));
            return store.find(id).orElseThrow();
        });
        ctx.status(201).json(preset);
    }

    public void update(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = presetId(ctx);
        PresetInput input = PresetInput.of(JsonInput.of(ctx, maxBody), false);
        ctx.json(refusalAware(() -> db.as(me, handle -> {
            PresetStore store = new PresetStore(handle);
            store.find(id).orElseThrow(() -> ApiException.notFound("Preset"));
            if (!store.update(id, input)) {
                throw ApiException.forbidden("Only the preset's author changes it");
            }
            return store.find(id).orElseThrow();
        })));
    }

    public void delete(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = presetId(ctx);
        refusalAware(() -> db.as(me, handle -> {
            PresetStore store = new PresetStore(handle);
            store.find(id).orElseThrow(() -> ApiException.notFound("Preset"));
            if (!store.delete(id)) {
                throw ApiException.forbidden("Only the preset's author deletes it");
            }
            return null;
        }));
        ctx.status(204);
    }

    public void apply(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = presetId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("project_id");
        UUID project = in.uuid("project_id", true).orElse(null);
        in.done();
        ctx.json(refusalAware(() -> db.as(me, handle -> {
            PresetStore store = new PresetStore(handle);
            Preset preset = store.find(id).orElseThrow(() -> ApiException.notFound("Preset"));
            ObjectNode settings = Json.MAPPER.createObjectNode();
            settings.set("chain", Studio.validChain(preset.effectsChain(), "effects_chain"));
            if (!store.projectVisible(project)) {
                throw ApiException.notFound("Project");
            }
            if (!store.applyToProject(project, settings)) {
                throw ApiException.forbidden("Only the project's owner and editors change its effects");
            }
            int uses = store.recordUse(id).orElse(preset.usageCount());
            return Map.<String, Object>of("project_id", project, "effects_settings", settings, "usage_count", uses);
        })));
    }

    public void rate(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = presetId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("rating");
        int rating = in.integer("rating", 1, 5, true).orElse(0);
        in.done();
        ctx.json(refusalAware(() -> db.as(me, handle -> {
            PresetStore store = new PresetStore(handle);
            store.find(id).orElseThrow(() -> ApiException.notFound("Preset"));
            store.rate(id, me.requireUserId(), rating);
            return store.find(id).orElseThrow();
        })));
    }

    private static <T> T refusalAware(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (!(e instanceof ApiException) && SqlStates.is(e, SqlStates.INSUFFICIENT_PRIVILEGE)) {
                throw ApiException.forbidden("You are not allowed to make this change");
            }
            throw e;
        }
    }

}
