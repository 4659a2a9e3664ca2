package studio.nexus.renders;

import io.javalin.http.Context;
import java.util.UUID;
import studio.nexus.bounce.MasterSafety;
import studio.nexus.db.Identity;
import studio.nexus.web.Caller;
import studio.nexus.web.JsonInput;
import studio.nexus.web.PathIds;

/** HTTP handler of renders: {@code POST /projects/{id}/render}. Parse, call, answer. */
public final class RenderRoutes {
    private final Renders renders;
    private final long maxBody;

    public RenderRoutes(Renders renders, long maxBody) {
        this.renders = renders;
        this.maxBody = maxBody;
    }

    public void render(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = PathIds.uuid(ctx, "id", "Project");
        JsonInput in = JsonInput.ofOptional(ctx, maxBody);
        in.allowOnly("count_in_bars", "tail_seconds", "safety_limiter", "limiter_ceiling_dbtp");
        int countIn = in.integer("count_in_bars", 0, 4, false).orElse(0);
        double tail = in.number("tail_seconds", 0, 30, false).orElse(0.0);
        MasterSafety safety = MasterSafety.read(in, false);
        in.done();
        ctx.status(202).json(renders.render(me, id, countIn, tail, safety));
    }
}
