package studio.nexus.effects;

import io.javalin.http.Context;
import java.util.Map;
import java.util.UUID;
import studio.nexus.audio.effects.EffectCatalog;
import studio.nexus.db.Identity;
import studio.nexus.web.Caller;
import studio.nexus.web.IfMatch;
import studio.nexus.web.JsonInput;
import studio.nexus.web.PathIds;

/** HTTP handlers of effects: a project's chain and the catalog of effects. Parse, call, answer. */
public final class EffectRoutes {
    private final Effects effects;
    private final long maxBody;

    public EffectRoutes(Effects effects, long maxBody) {
        this.effects = effects;
        this.maxBody = maxBody;
    }

    public void setEffects(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = PathIds.uuid(ctx, "id", "Project");
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("chain");
        var chain = in.value("chain", 256 * 1024, true);
        in.done();
        Effects.Chain kept = effects.setEffects(me, id, chain.orElseThrow(), IfMatch.of(ctx));
        IfMatch.tag(ctx, Long.toString(kept.version()));
        ctx.json(Map.of("effects_settings", kept.effectsSettings(), "chain_version", kept.version()));
    }

    public void catalog(Context ctx) {
        ctx.json(Map.of("effects", EffectCatalog.describe()));
    }
}
