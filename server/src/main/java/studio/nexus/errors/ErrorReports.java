package studio.nexus.errors;

import studio.nexus.core.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;
import studio.nexus.db.Roles;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.core.Json;
import studio.nexus.web.Paging;

/**
 * Error logs: client-side reports (anyone, as themselves, through V3's "Clients report their own errors" policy),
 * and the administrators' list and resolution (through "Admins manage error logs"). Server errors are recorded by
 * {@code ServerErrorLog}. The feature's SQL is in {@code ErrorSql}. Thread-safe.
 */
public final class ErrorReports {
    /** An error log entry as administrators see it. */
    public record ErrorLog(UUID id, UUID userId, String errorType, String errorCode, String errorMessage,
                           String errorStack, JsonNode context, String severity, boolean resolved,
                           Instant createdAt) {}

    /** A client's report, validated. */
    public record ClientError(String message, String stack, String code, ObjectNode context, String severity) {}

    /** The administrators' filter; empty parts match everything. */
    public record Filter(Optional<String> type, Optional<String> severity, Optional<Boolean> resolved,
                         Optional<Instant> from, Optional<Instant> to) {}

    private final Db db;

    public ErrorReports(Db db) {
        this.db = db;
    }

    /** Stores a client error as the caller (anonymous or signed in); the server adds request facts to context. */
    public void report(Identity who, ClientError error, String requestId, String ip, String userAgent) {
        ObjectNode context = error.context() == null ? Json.MAPPER.createObjectNode() : error.context().deepCopy();
        context.put("request_id", requestId);
        context.put("ip_address", ip);
        context.put("user_agent", userAgent);
        db.as(who, handle -> {
            new ErrorSql(handle).insertClientError(who.userId().orElse(null), error, context);
            return null;
        });
    }

    /** Newest first, filtered; administrators only. */
    public Paging.Page<ErrorLog> list(Identity who, Filter filter, Paging.Request page) {
        List<ErrorLog> rows = db.as(who, handle -> {
            Roles.requireAdmin(handle);
            return new ErrorSql(handle).list(filter, page.after().map(a -> Paging.instant(a, "created_at")),
                    page.after().map(a -> Paging.uuid(a, "id")), page.limit() + 1);
        });
        return Paging.page(rows, page.limit(), e -> Json.MAPPER.createObjectNode()
                .put("created_at", e.createdAt().toString()).put("id", e.id().toString()));
    }

    /** Marks an entry resolved or not (the change is audited by the database); administrators only. */
    public ErrorLog resolve(Identity who, UUID id, boolean resolved) {
        return db.as(who, handle -> {
            Roles.requireAdmin(handle);
            return new ErrorSql(handle).resolve(id, resolved);
        }).orElseThrow(() -> Failure.notFound("Error log entry"));
    }
}
