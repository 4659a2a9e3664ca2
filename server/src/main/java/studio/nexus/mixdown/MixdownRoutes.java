package studio.nexus.mixdown;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.UUID;
import studio.nexus.bounce.MasterSafety;
import studio.nexus.db.Identity;
import studio.nexus.web.AudioResponses;
import studio.nexus.web.Caller;
import studio.nexus.web.JsonInput;
import studio.nexus.web.PathIds;

/**
 * HTTP handlers of mixdowns and stems: {@code POST /projects/{id}/mixdown}, {@code POST /projects/{id}/stems} and
 * the download of a finished stems zip. Parse, call, answer.
 */
public final class MixdownRoutes {
    private final Mixdowns mixdowns;
    private final long maxBody;

    public MixdownRoutes(Mixdowns mixdowns, long maxBody) {
        this.mixdowns = mixdowns;
        this.maxBody = maxBody;
    }

    private static UUID projectId(Context ctx) {
        return PathIds.uuid(ctx, "id", "Project");
    }

    public void mixdown(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        Options options = options(ctx);
        ctx.status(202).json(mixdowns.mixdown(me, id, options.tailSeconds(), options.safety()));
    }

    public void stems(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        Options options = options(ctx);
        ctx.status(202).json(mixdowns.stems(me, id, options.tailSeconds(), options.safety()));
    }

    public void stemsFile(Context ctx) throws IOException {
        Identity who = Caller.identity(ctx);
        UUID id = projectId(ctx);
        UUID job = PathIds.uuid(ctx, "jobId", "Stems");
        String key = mixdowns.stemsKey(who, id, job);
        if (AudioResponses.serve(ctx, mixdowns.storage(), key, "stems-" + job + ".zip")) {
            mixdowns.countDownload(who, id);
        }
    }

    private record Options(double tailSeconds, MasterSafety safety) {}

    /** The optional body both take: a tail for reverb and delay, the safety limiter on the mix (off unless asked). */
    private Options options(Context ctx) {
        JsonInput in = JsonInput.ofOptional(ctx, maxBody);
        in.allowOnly("tail_seconds", "safety_limiter", "limiter_ceiling_dbtp");
        double tail = in.number("tail_seconds", 0, Mixdowns.MAX_TAIL_SECONDS, false).orElse(0.0);
        MasterSafety safety = MasterSafety.read(in, false);
        in.done();
        return new Options(tail, safety);
    }
}
