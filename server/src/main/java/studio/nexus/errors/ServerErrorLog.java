package studio.nexus.errors;

import io.javalin.http.Context;
import java.io.PrintWriter;
import java.io.StringWriter;
import studio.nexus.web.Caller;
import studio.nexus.db.Db;
import studio.nexus.core.Json;
import studio.nexus.web.Problems;
import studio.nexus.web.RequestIds;

/**
 * Records every unhandled server error in {@code error_logs} with its stack and request id, as the system, so
 * operators see it even though the client only hears "internal error" and the request id.
 */
public final class ServerErrorLog implements Problems.ServerErrorListener {
    private static final int MAX_STACK = 16_000;
    private final Db db;

    public ServerErrorLog(Db db) {
        this.db = db;
    }

    @Override
    public void onServerError(Context ctx, Throwable error) {
        StringWriter stack = new StringWriter();
        error.printStackTrace(new PrintWriter(stack));
        String full = stack.toString();
        String trace = full.length() > MAX_STACK ? full.substring(0, MAX_STACK) : full;
        var context = Json.MAPPER.createObjectNode()
                .put("request_id", RequestIds.of(ctx))
                .put("method", ctx.method().name())
                .put("path", ctx.path());
        var user = Caller.identity(ctx).userId().orElse(null);
        db.asSystem(handle -> new ErrorSql(handle).insertServerError(user, error.getClass().getSimpleName(),
                String.valueOf(error.getMessage()), trace, context));
    }
}
