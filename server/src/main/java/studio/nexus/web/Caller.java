package studio.nexus.web;

import io.javalin.http.Context;
import java.util.UUID;
import studio.nexus.core.Failure;
import studio.nexus.db.Identity;

/**
 * Who is calling, as the request's authentication decided before any handler ran: a signed-in user or anonymous.
 * Handlers read it here; only authentication sets it.
 */
public final class Caller {
    private static final String ATTRIBUTE = "identity";

    private Caller() {}

    public static void set(Context ctx, Identity identity) {
        ctx.attribute(ATTRIBUTE, identity);
    }

    /** Who is calling: a signed-in user or anonymous. */
    public static Identity identity(Context ctx) {
        Identity identity = ctx.attribute(ATTRIBUTE);
        return identity == null ? Identity.anonymous() : identity;
    }

    /** The signed-in caller, or 401. */
    public static Identity signedIn(Context ctx) {
        Identity identity = identity(ctx);
        if (!identity.isSignedIn()) {
            throw Failure.unauthorized("Sign in to do this");
        }
        return identity;
    }

    /** The session id of the signed-in caller's token. */
    public static UUID sessionId(Context ctx) {
        return signedIn(ctx).sessionId().orElseThrow(() -> Failure.unauthorized("This token has no session"));
    }
}
