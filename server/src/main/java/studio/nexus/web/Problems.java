package studio.nexus.web;

import studio.nexus.core.Failure;
import studio.nexus.core.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.sql.SQLException;
import java.util.Map;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into RFC 9457 {@code application/problem+json} answers. Database errors are
 * translated by SQLSTATE, so a policy, grant, trigger or constraint refusing a write reaches the caller as a
 * precise 4xx; anything unexpected is logged with its request id and answered 500 without internals.
 */
public final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    public static final String CONTENT_TYPE = "application/problem+json";

    /** Called for every unexpected server error, after it is logged (e.g. to record it in error_logs). */
    public interface ServerErrorListener {
        void onServerError(Context ctx, Throwable error);
    }

    private final ServerErrorListener listener;

    public Problems(ServerErrorListener listener) {
        this.listener = listener;
    }

    public void handle(Exception exception, Context ctx) {
        ApiException problem = translate(exception);
        if (problem == null) {
            log.error("unhandled error on {} {}", ctx.method(), ctx.path(), exception);
            try {
                listener.onServerError(ctx, exception);
            } catch (RuntimeException e) {
                log.warn("could not record server error", e);
            }
            problem = new ApiException(500, "internal_error", "Internal server error",
                    "Something went wrong on our side. Quote the request id when reporting it.");
        }
        answer(ctx, problem);
    }

    public static void answer(Context ctx, ApiException problem) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", "urn:studio-nexus:problem:" + problem.code());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.getMessage());
        body.put("instance", ctx.path());
        body.put("code", problem.code());
        Object requestId = ctx.attribute(RequestIds.ATTRIBUTE);
        if (requestId != null) {
            body.put("request_id", requestId.toString());
        }
        for (Map.Entry<String, Object> extension : problem.extensions().entrySet()) {
            body.set(extension.getKey(), Json.MAPPER.valueToTree(extension.getValue()));
        }
        problem.headers().forEach(ctx::header);
        ctx.status(problem.status()).contentType(CONTENT_TYPE).result(body.toString());
    }

    /** A 404 that no handler answered itself (no route matched): said as problem+json like every refusal. */
    public static void unansweredNotFound(Context ctx) {
        String type = ctx.res().getContentType();
        if (type == null || !type.startsWith(CONTENT_TYPE)) {
            answer(ctx, new ApiException(404, "route_not_found", "Not found",
                    "No such route: " + ctx.method().name() + " " + ctx.path()));
        }
    }

    /** A caller-facing problem for a known failure, or null when the failure is ours (a 500). */
    static ApiException translate(Throwable exception) {
        if (exception instanceof ApiException api) {
            return api;
        }
        if (exception instanceof Failure failure) {
            return ApiException.of(failure);
        }
        if (exception instanceof HttpResponseException http) {
            return fromJavalin(http);
        }
        SQLException sql = findSqlException(exception);
        if (sql != null && sql.getSQLState() != null) {
            return fromSqlState(sql);
        }
        return null;
    }

    private static ApiException fromJavalin(HttpResponseException http) {
        int status = http.getStatus();
        return switch (status) {
            case 404 -> new ApiException(404, "route_not_found", "Not found",
                    http.getMessage().replaceFirst("^Endpoint (.*) not found$", "No such route: $1"));
            case 405 -> new ApiException(405, "method_not_allowed", "Method not allowed", http.getMessage());
            case 413 -> new ApiException(413, "payload_too_large", "Payload too large",
                    "The request body is larger than this endpoint accepts");
            default -> new ApiException(status, status >= 500 ? "server_error" : "http_" + status,
                    "HTTP " + status, http.getMessage());
        };
    }

    private static ApiException fromSqlState(SQLException sql) {
        String state = sql.getSQLState();
        String message = firstLine(sql.getMessage());
        return switch (state) {
            case "42501" -> ApiException.forbidden(message.contains("row-level security")
                    ? "You are not allowed to make this change" : message);
            case "23505" -> ApiException.conflict("already_exists", "This already exists");
            case "23503" -> ApiException.unprocessable("invalid_reference", "A referenced item does not exist");
            case "23514" -> ApiException.unprocessable("constraint_violated", message);
            case "23502" -> ApiException.unprocessable("missing_value", message);
            case "22P02", "22003", "22007", "22008", "22023", "22001", "2201B", "22P05", "22021", "22004" ->
                    ApiException.badRequest("invalid_value", message);
            case "57014" -> new ApiException(503, "timeout", "Timed out",
                    "The database took too long to answer; try again", Map.of(), Map.of("Retry-After", "2"));
            case "53300" -> new ApiException(503, "busy", "Busy",
                    "The server is at its limit of database work; try again", Map.of(), Map.of("Retry-After", "1"));
            case "40001", "40P01", "55P03" -> new ApiException(503, "busy", "Busy",
                    "A conflicting change was in progress; try again", Map.of(), Map.of("Retry-After", "1"));
            case "08000", "08003", "08006", "08001", "08004", "57P01", "57P03" -> new ApiException(503,
                    "database_unavailable", "Service unavailable", "The database is not reachable right now",
                    Map.of(), Map.of("Retry-After", "5"));
            default -> null;
        };
    }

    private static SQLException findSqlException(Throwable exception) {
        Throwable current = exception;
        for (int depth = 0; current != null && depth < 10; depth++, current = current.getCause()) {
            if (current instanceof SQLException sql) {
                return sql;
            }
            if (!(current instanceof JdbiException) && !(current instanceof UnableToExecuteStatementException)
                    && !(current instanceof RuntimeException)) {
                break;
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.replaceFirst("^ERROR: ", "");
        int newline = line.indexOf('\n');
        return newline < 0 ? line : line.substring(0, newline);
    }
}
