package studio.nexus.errors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import studio.nexus.web.Requests;
import studio.nexus.web.Caller;
import studio.nexus.web.ApiException;
import studio.nexus.web.JsonInput;
import studio.nexus.web.Paging;
import studio.nexus.web.PathIds;
import studio.nexus.web.RequestIds;

/** HTTP handlers of error logs: parse and validate, call {@link ErrorReports}, answer. */
public final class ErrorRoutes {
    static final int MAX_MESSAGE = 2_000;
    static final int MAX_STACK = 16_000;
    static final int MAX_CONTEXT_BYTES = 8 * 1024;
    /** Message + stack (each char up to 4 bytes… but typically 1) + context + slack. */
    static final long MAX_BODY_BYTES = 128 * 1024;
    private static final Set<String> CLIENT_SEVERITIES = Set.of("info", "warning", "error");
    private static final Set<String> SEVERITIES = Set.of("info", "warning", "error", "critical");
    private static final Set<String> TYPES = Set.of("client_error", "server_error", "api_error");

    private final ErrorReports reports;

    public ErrorRoutes(ErrorReports reports) {
        this.reports = reports;
    }

    /** POST /api/v1/errors: a client-side error, signed in or anonymous. 202. */
    public void report(Context ctx) {
        JsonInput in = JsonInput.of(ctx, MAX_BODY_BYTES)
                .allowOnly("error_message", "error_stack", "error_code", "context", "severity");
        Optional<String> message = in.text("error_message", 1, MAX_MESSAGE, true);
        Optional<String> stack = in.text("error_stack", 0, MAX_STACK, false);
        Optional<String> code = in.text("error_code", 1, 100, false);
        Optional<String> severity = in.text("severity", 1, 20, false);
        if (severity.isPresent() && !CLIENT_SEVERITIES.contains(severity.get())) {
            in.reject("severity", "must be info, warning or error");
        }
        ObjectNode context = null;
        var rawContext = in.raw().get("context");
        if (rawContext != null && !rawContext.isNull()) {
            if (!rawContext.isObject()) {
                in.reject("context", "must be a JSON object");
            } else if (rawContext.toString().getBytes(StandardCharsets.UTF_8).length > MAX_CONTEXT_BYTES) {
                in.reject("context", "must be at most " + MAX_CONTEXT_BYTES + " bytes of JSON");
            } else {
                context = (ObjectNode) rawContext;
            }
        }
        in.done();
        reports.report(Caller.identity(ctx), new ErrorReports.ClientError(message.get(), stack.orElse(null),
                        code.orElse(null), context, severity.orElse("error")),
                RequestIds.of(ctx), Requests.clientIp(ctx), Requests.userAgent(ctx));
        ctx.status(202).json(Map.of("accepted", true, "request_id", RequestIds.of(ctx)));
    }

    /** GET /api/v1/admin/errors?type=&severity=&resolved=&from=&to=&limit=&cursor= */
    public void list(Context ctx) {
        var me = Caller.signedIn(ctx);
        Optional<String> type = Optional.ofNullable(ctx.queryParam("type"));
        if (type.isPresent() && !TYPES.contains(type.get())) {
            throw ApiException.badRequest("invalid_filter", "type must be client_error, server_error or api_error");
        }
        Optional<String> severity = Optional.ofNullable(ctx.queryParam("severity"));
        if (severity.isPresent() && !SEVERITIES.contains(severity.get())) {
            throw ApiException.badRequest("invalid_filter", "severity must be info, warning, error or critical");
        }
        Optional<Boolean> resolved = Optional.ofNullable(ctx.queryParam("resolved")).map(raw -> switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("invalid_filter", "resolved must be true or false");
        });
        var filter = new ErrorReports.Filter(type, severity, resolved,
                Optional.ofNullable(Requests.timeQuery(ctx, "from", null)),
                Optional.ofNullable(Requests.timeQuery(ctx, "to", null)));
        ctx.json(reports.list(me, filter, Paging.request(ctx, 50, 100)));
    }

    /** PATCH /api/v1/admin/errors/{id} {"resolved": true|false} */
    public void resolve(Context ctx) {
        var me = Caller.signedIn(ctx);
        var id = PathIds.uuid(ctx, "id", "Error log entry");
        JsonInput in = JsonInput.of(ctx, 1024).allowOnly("resolved");
        Optional<Boolean> resolved = in.bool("resolved", true);
        in.done();
        ctx.json(reports.resolve(me, id, resolved.get()));
    }
}
