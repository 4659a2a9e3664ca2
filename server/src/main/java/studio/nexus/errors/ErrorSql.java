package studio.nexus.errors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;

/** All SQL of error reports, run in the caller's transaction as the caller (the policies decide who reads). */
final class ErrorSql {
    private final Handle handle;

    ErrorSql(Handle handle) {
        this.handle = handle;
    }

    void insertClientError(UUID user, ErrorReports.ClientError error, ObjectNode context) {
    handle.createUpdate("""
                    INSERT INTO public.error_logs (user_id, error_type, error_code, error_message, error_stack,
                                                   context, severity)
                    VALUES (CAST(:user AS uuid), 'client_error', :code, :message, :stack, :context, :severity)""")
            .bind("user", user == null ? null : user.toString())
            .bind("code", error.code())
            .bind("message", error.message())
            .bind("stack", error.stack())
            .bindByType("context", context, JsonNode.class)
            .bind("severity", error.severity())
            .execute();
    }

    /** Newest first, filtered, after the (created_at, id) cursor when given; {@code limit} rows at most. */
    List<ErrorReports.ErrorLog> list(ErrorReports.Filter filter, Optional<Instant> afterAt, Optional<UUID> afterId,
                                     int limit) {
        List<String> where = new ArrayList<>();
        filter.type().ifPresent(t -> where.add("error_type = :type"));
        filter.severity().ifPresent(s -> where.add("severity = :severity"));
        filter.resolved().ifPresent(r -> where.add("resolved = :resolved"));
        filter.from().ifPresent(f -> where.add("created_at >= :from"));
        filter.to().ifPresent(t -> where.add("created_at < :to"));
        afterAt.ifPresent(a -> where.add("(created_at, id) < (:afterAt, :afterId)"));
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
        afterAt.ifPresent(a -> query.bind("afterAt", Timestamp.from(a)).bind("afterId", afterId.get()));
        return query.bind("limit", limit).map(ConstructorMapper.of(ErrorReports.ErrorLog.class)).list();
    }

    /** An unhandled server error, recorded as the system. */
    int insertServerError(UUID user, String code, String message, String stack, ObjectNode context) {
        return handle.createUpdate("""
                        INSERT INTO public.error_logs (user_id, error_type, error_code, error_message, error_stack,
                                                       context, severity)
                        VALUES (:user, 'server_error', :code, :message, :stack, :context, 'error')""")
                .bind("user", user)
                .bind("code", code)
                .bind("message", message)
                .bind("stack", stack)
                .bindByType("context", context, com.fasterxml.jackson.databind.JsonNode.class)
                .execute();
    }

    Optional<ErrorReports.ErrorLog> resolve(UUID id, boolean resolved) {
        return handle.createQuery("""
                        UPDATE public.error_logs SET resolved = :resolved WHERE id = :id
                        RETURNING id, user_id, error_type, error_code, error_message, error_stack, context,
                                  severity, coalesce(resolved, false) AS resolved, created_at""")
                .bind("id", id)
                .bind("resolved", resolved)
                .map(ConstructorMapper.of(ErrorReports.ErrorLog.class))
                .findOne();
    }
}
