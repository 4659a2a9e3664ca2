package studio.nexus.presets;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import studio.nexus.db.Identity;
import studio.nexus.web.ApiException;
import studio.nexus.web.Caller;
import studio.nexus.web.JsonInput;
import studio.nexus.web.Paging;
import studio.nexus.web.PathIds;

/** The effects presets' HTTP face: parses, calls {@link Presets}, answers. Thread-safe. */
public final class PresetRoutes {
    private final Presets presets;
    private final long maxBody;

    public PresetRoutes(Presets presets, long maxBody) {
        this.presets = presets;
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
        List<Preset> rows = presets.list(Caller.identity(ctx), Optional.ofNullable(category), page.after(),
                page.limit());
        ctx.json(Paging.page(rows, page.limit(), PresetSql::cursorOf));
    }

    public void get(Context ctx) {
        ctx.json(presets.get(Caller.identity(ctx), presetId(ctx)));
    }

    public void create(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        PresetInput input = PresetInput.of(JsonInput.of(ctx, maxBody), true);
        ctx.status(201).json(presets.create(me, input));
    }

    public void update(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = presetId(ctx);
        PresetInput input = PresetInput.of(JsonInput.of(ctx, maxBody), false);
        ctx.json(presets.update(me, id, input));
    }

    public void delete(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        presets.delete(me, presetId(ctx));
        ctx.status(204);
    }

    public void apply(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = presetId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("project_id");
        UUID project = in.uuid("project_id", true).orElse(null);
        in.done();
        ctx.json(presets.apply(me, id, project));
    }

    public void rate(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = presetId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("rating");
        int rating = in.integer("rating", 1, 5, true).orElse(0);
        in.done();
        ctx.json(presets.rate(me, id, rating));
    }
}
