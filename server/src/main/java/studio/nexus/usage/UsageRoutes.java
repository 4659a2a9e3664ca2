package studio.nexus.usage;

import io.javalin.http.Context;
import studio.nexus.web.Caller;

/** GET /api/v1/usage: the caller's use of each resource this period, their limits and when they reset. */
public final class UsageRoutes {
    private final Usage usage;

    public UsageRoutes(Usage usage) {
        this.usage = usage;
    }

    public void mine(Context ctx) {
        ctx.json(usage.summary(Caller.signedIn(ctx)));
    }
}
