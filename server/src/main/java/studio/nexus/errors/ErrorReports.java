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
import studio.nexus.admin.AdminCheck;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.core.Json;
import studio.nexus.web.Paging;

/**
 * Error logs: client-side reports (anyone, as themselves, through V3's "Clients report their own errors" policy),
 * and the administrators' list and resolution (through "Admins manage error logs"). Server errors are recorded by
 * {@code ops.ServerErrorLog}. All SQL of the feature is here. Thread-safe.
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
        db.as(who, handle -> handle.createUpdate("""
                        INSERT INTO public.error_logs (user_id, error_type, error_code, error_message, error_stack,
                                                       context, severity)
                        VALUES (CAST(:user AS uuid), 'client_error', :code, :message, :stack, :context, :severity)""")
                .bind("user", who.userId().map(UUID::toString).orElse(null))
                .bind("code", error.code())
                .bind("message", error.message())
                .bind("stack", error.stack())
                .bindByType("context", context, JsonNode.class)
                .bind("severity", error.severity())
                .execute());
    }

    /** Newest first, filtered; administrators only. */
    public Paging.Page<ErrorLog> list(Identity who, Filter filter, Paging.Request page) {
        List<ErrorLog> rows = db.as(who, handle -> {
            AdminCheck.require(handle);
            List<String> where = new ArrayList<>();
            filter.type().ifPresent(t -> where.add("error_type = :type"));
            filter.severity().ifPresent(s -> where.add("severity = :severity"));
            filter.resolved().ifPresent(r -> where.add("resolved = :resolved"));
            filter.from().ifPresent(f -> where.add("created_at >= :from"));
            filter.to().ifPresent(t -> where.add("created_at < :to"));
            page.after().ifPresent(a -> where.add("(created_at, id) < (:afterAt, :afterId)"));
            Query query = handle.createQuery("""
                    SELECT id, user_id, error_type, error_code, error_message, error_stack, context, severity,
                           coalesce(resolved, false) AS resolved, created_at
                      FROM public.error_logs"""
                    + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit");
            filter.type().ifPresent(t -> query.bind("type", t));
            filter.severity().ifPresent(s -> query.bind("severity", s));
            filter.resolved().ifPresent(r -> query.bind("resolved", r));
            filter.from().ifPresent(f -> query.bind("from", Timestamp.from(f)));
            filter.to().ifPresent(t -> query.bind("to", Timestamp.from(t)));
            page.after().ifPresent(a -> query.bind("afterAt", Timestamp.from(Paging.instant(a, "created_at")))
                    .bind("afterId", Paging.uuid(a, "id")));
            return query.bind("limit", page.limit() + 1).map(ConstructorMapper.of(ErrorLog.class)).list();
        });
        return Paging.page(rows, page.limit(), e -> Json.MAPPER.createObjectNode()
                .put("created_at", e.createdAt().toString()).put("id", e.id().toString()));
    }

    /** Marks an entry resolved or not (the change is audited by the database); administrators only. */
    public ErrorLog resolve(Identity who, UUID id, boolean resolved) {
        return db.as(who, handle -> {
            AdminCheck.require(handle);
            return handle.createQuery("""
                            UPDATE public.error_logs SET resolved = :resolved WHERE id = :id
                            RETURNING id, user_id, error_type, error_code, error_message, error_stack, context,
                                      severity, coalesce(resolved, false) AS resolved, created_at""")
                    .bind("id", id)
                    .bind("resolved", resolved)
                    .map(ConstructorMapper.of(ErrorLog.class))
                    .findOne();
        }).orElseThrow(() -> Failure.notFound("Error log entry"));
    }
}
