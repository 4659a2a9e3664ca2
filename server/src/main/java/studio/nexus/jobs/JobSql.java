package studio.nexus.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * All SQL of the job queue, on a handle of whoever runs it: the caller for enqueue, find and cancel (row-level
 * security decides), the system for a worker's steps, which are fenced by {@code locked_by} (a worker that lost its
 * lease changes nothing). Times are given, never read here. Not thread-safe.
 */
final class JobSql {
    private static final String COLUMNS = """
            id, kind, user_id, project_id, payload, status, progress, message, attempts, max_attempts, run_after,
            cancel_requested, result, error_code, error_message, created_at, started_at, finished_at""";

    private final Handle handle;

    JobSql(Handle handle) {
        this.handle = handle;
        handle.registerRowMapper(ConstructorMapper.factory(Job.class));
    }

    /** Subscribes {@code connection} to the queue's notifications (a job was queued or is due). */
    static void listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN studio_jobs");
        }
    }

    UUID enqueue(String kind, UUID userId, UUID projectId, JsonNode payload) {
        return handle.createQuery("""
                        INSERT INTO public.jobs (kind, user_id, project_id, payload)
                        VALUES (:kind, :user, :project, :payload) RETURNING id""")
                .bind("kind", kind).bind("user", userId).bind("project", projectId)
                .bindByType("payload", payload, JsonNode.class)
                .mapTo(UUID.class).one();
    }

    Optional<Job> find(UUID id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM public.jobs WHERE id = :id")
                .bind("id", id).mapTo(Job.class).findOne();
    }

    /** {@code public.cancel_job}: the job's status after the request, or null when the caller may not cancel it. */
    String cancel(UUID id) {
        return handle.createQuery("SELECT public.cancel_job(:id)").bind("id", id).mapTo(String.class).one();
    }

    Optional<Job> claim(List<String> kinds, String worker, Instant now, Instant until) {
        return handle.createQuery("""
                        UPDATE public.jobs SET status = 'running', locked_by = :worker,
                               locked_until = :until, attempts = attempts + 1,
                               started_at = coalesce(started_at, :now), message = NULL
                        WHERE id = (SELECT id FROM public.jobs
                                    WHERE status = 'queued' AND run_after <= :now AND kind = ANY(:kinds)
                                    ORDER BY run_after, created_at
                                    FOR UPDATE SKIP LOCKED LIMIT 1)
                        RETURNING""" + " " + COLUMNS)
                .bind("worker", worker).bind("now", now).bind("until", until)
                .bindArray("kinds", String.class, kinds)
                .mapTo(Job.class).findOne();
    }

    /** Renews the lease and records progress; answers whether cancelling was asked, or empty when the lease is lost. */
    Optional<Boolean> heartbeat(UUID id, String worker, Instant until, double progress, String message) {
        return handle.createQuery("""
                        UPDATE public.jobs SET locked_until = :until, progress = greatest(progress, :progress),
                               message = coalesce(:message, message)
                        WHERE id = :id AND locked_by = :worker AND status = 'running'
                        RETURNING cancel_requested""")
                .bind("id", id).bind("worker", worker).bind("until", until)
                .bind("progress", (float) Math.max(0, Math.min(1, progress))).bind("message", message)
                .mapTo(Boolean.class).findOne();
    }

    boolean complete(UUID id, String worker, JsonNode result, Instant now) {
        return handle.createUpdate("""
                        UPDATE public.jobs SET status = 'succeeded', result = :result, progress = 1, finished_at = :now,
                               locked_by = NULL, locked_until = NULL, error_code = NULL, error_message = NULL,
                               message = 'done'
                        WHERE id = :id AND locked_by = :worker AND status = 'running'""")
                .bind("id", id).bind("worker", worker).bind("now", now)
                .bindByType("result", result, JsonNode.class)
                .execute() == 1;
    }

    Optional<String> fail(UUID id, String worker, String code, String message, boolean retryable, Instant now,
                          Instant retryAt) {
        return handle.createQuery("""
                        UPDATE public.jobs SET
                               status = CASE WHEN :retryable AND attempts < max_attempts THEN 'queued' ELSE 'failed' END,
                               run_after = :retryAt,
                               finished_at = CASE WHEN :retryable AND attempts < max_attempts THEN NULL ELSE CAST(:now AS timestamptz) END,
                               locked_by = NULL, locked_until = NULL, error_code = :code, error_message = :message
                        WHERE id = :id AND locked_by = :worker AND status = 'running'
                        RETURNING status""")
                .bind("id", id).bind("worker", worker).bind("now", now).bind("retryAt", retryAt)
                .bind("retryable", retryable).bind("code", code).bind("message", message)
                .mapTo(String.class).findOne();
    }

    boolean cancelled(UUID id, String worker, Instant now) {
        return handle.createUpdate("""
                        UPDATE public.jobs SET status = 'cancelled', finished_at = :now, locked_by = NULL,
                               locked_until = NULL, message = 'cancelled'
                        WHERE id = :id AND locked_by = :worker AND status = 'running'""")
                .bind("id", id).bind("worker", worker).bind("now", now).execute() == 1;
    }

    boolean handBack(UUID id, String worker, Instant now) {
        return handle.createUpdate("""
                        UPDATE public.jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), locked_by = NULL,
                               locked_until = NULL, run_after = :now, message = 'handed back at shutdown'
                        WHERE id = :id AND locked_by = :worker AND status = 'running'""")
                .bind("id", id).bind("worker", worker).bind("now", now).execute() == 1;
    }

    List<Job> reapExpiredLeases(Instant now) {
        return handle.createQuery("""
                        UPDATE public.jobs SET
                               status = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
                               finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE CAST(:now AS timestamptz) END,
                               error_code = CASE WHEN attempts < max_attempts THEN error_code ELSE 'lease_expired' END,
                               error_message = CASE WHEN attempts < max_attempts THEN error_message
                                               ELSE 'the worker stopped responding too many times' END,
                               run_after = :now, locked_by = NULL, locked_until = NULL
                        WHERE id IN (SELECT id FROM public.jobs WHERE status = 'running' AND locked_until < :now
                                     FOR UPDATE SKIP LOCKED)
                        RETURNING""" + " " + COLUMNS)
                .bind("now", now).mapTo(Job.class).list();
    }
}
