package studio.nexus.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import studio.nexus.db.Db;

/**
 * All SQL of the job queue. Worker-side operations run as the system and are fenced by {@code locked_by}: a worker
 * that lost its lease changes nothing. Times come from the injected {@link Clock}, so tests move leases and
 * backoffs forward without sleeping. Thread-safe.
 */
public final class JobQueue {
    static final String COLUMNS = """
            id, kind, user_id, project_id, payload, status, progress, message, attempts, max_attempts, run_after,
            cancel_requested, result, error_code, error_message, created_at, started_at, finished_at""";

    private final Db db;
    private final Clock clock;

    public JobQueue(Db db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    static void registerMapper(Handle handle) {
        handle.registerRowMapper(ConstructorMapper.factory(Job.class));
    }

    /** Queues a job in the caller's transaction (as whoever the handle runs as; RLS decides if they may). */
    public static UUID enqueue(Handle handle, String kind, UUID userId, UUID projectId, JsonNode payload) {
        return handle.createQuery("""
                        INSERT INTO public.jobs (kind, user_id, project_id, payload)
                        VALUES (:kind, :user, :project, :payload) RETURNING id""")
                .bind("kind", kind).bind("user", userId).bind("project", projectId)
                .bindByType("payload", payload, JsonNode.class)
                .mapTo(UUID.class).one();
    }

    /** Sets the attempt budget of a job queued by the system. */
    public static void limitAttempts(Handle handle, UUID jobId, int maxAttempts) {
        handle.createUpdate("UPDATE public.jobs SET max_attempts = :max WHERE id = :id")
                .bind("id", jobId).bind("max", maxAttempts).execute();
    }

    public static Optional<Job> find(Handle handle, UUID id) {
        registerMapper(handle);
        return handle.createQuery("SELECT " + COLUMNS + " FROM public.jobs WHERE id = :id")
                .bind("id", id).mapTo(Job.class).findOne();
    }

    /** Claims the oldest runnable job of the given kinds for {@code worker}, with a lease of {@code lease}. */
    public Optional<Job> claim(List<String> kinds, String worker, Duration lease) {
        Instant now = clock.instant();
        return db.asSystem(handle -> {
            registerMapper(handle);
            return handle.createQuery("""
                            UPDATE public.jobs SET status = 'running', locked_by = :worker,
                                   locked_until = :until, attempts = attempts + 1,
                                   started_at = coalesce(started_at, :now), message = NULL
                            WHERE id = (SELECT id FROM public.jobs
                                        WHERE status = 'queued' AND run_after <= :now AND kind = ANY(:kinds)
                                        ORDER BY run_after, created_at
                                        FOR UPDATE SKIP LOCKED LIMIT 1)
                            RETURNING""" + " " + COLUMNS)
                    .bind("worker", worker).bind("now", now).bind("until", now.plus(lease))
                    .bindArray("kinds", String.class, kinds)
                    .mapTo(Job.class).findOne();
        });
    }

    /**
     * Renews the lease and records progress. Answers what the worker should do next: go on, stop because the job
     * was cancelled, or stop because the lease is no longer this worker's.
     */
    public Heartbeat heartbeat(UUID id, String worker, Duration lease, double progress, String message) {
        Instant now = clock.instant();
        return db.asSystem(handle -> handle.createQuery("""
                        UPDATE public.jobs SET locked_until = :until, progress = greatest(progress, :progress),
                               message = coalesce(:message, message)
                        WHERE id = :id AND locked_by = :worker AND status = 'running'
                        RETURNING cancel_requested""")
                .bind("id", id).bind("worker", worker).bind("until", now.plus(lease))
                .bind("progress", (float) Math.max(0, Math.min(1, progress))).bind("message", message)
                .mapTo(Boolean.class).findOne()
                .map(cancel -> cancel ? Heartbeat.CANCELLED : Heartbeat.CONTINUE)
                .orElse(Heartbeat.LEASE_LOST));
    }

    public enum Heartbeat { CONTINUE, CANCELLED, LEASE_LOST }

    /** Ends the job as succeeded with its result; false when the lease was no longer this worker's. */
    public boolean complete(UUID id, String worker, JsonNode result) {
        Instant now = clock.instant();
        return db.asSystem(handle -> handle.createUpdate("""
                        UPDATE public.jobs SET status = 'succeeded', result = :result, progress = 1, finished_at = :now,
                               locked_by = NULL, locked_until = NULL, error_code = NULL, error_message = NULL,
                               message = 'done'
                        WHERE id = :id AND locked_by = :worker AND status = 'running'""")
                .bind("id", id).bind("worker", worker).bind("now", now)
                .bindByType("result", result, JsonNode.class)
                .execute() == 1);
    }

    /**
     * Records a failed attempt: queued again after {@code retryDelay} while attempts remain and the failure is
     * retryable, else failed for good. Answers the status the job ended in, or empty when the lease was lost.
     */
    public Optional<String> fail(UUID id, String worker, String code, String message, boolean retryable,
                                 Duration retryDelay) {
        Instant now = clock.instant();
        return db.asSystem(handle -> handle.createQuery("""
                        UPDATE public.jobs SET
                               status = CASE WHEN :retryable AND attempts < max_attempts THEN 'queued' ELSE 'failed' END,
                               run_after = :retryAt,
                               finished_at = CASE WHEN :retryable AND attempts < max_attempts THEN NULL ELSE CAST(:now AS timestamptz) END,
                               locked_by = NULL, locked_until = NULL, error_code = :code, error_message = :message
                        WHERE id = :id AND locked_by = :worker AND status = 'running'
                        RETURNING status""")
                .bind("id", id).bind("worker", worker).bind("now", now).bind("retryAt", now.plus(retryDelay))
                .bind("retryable", retryable).bind("code", code).bind("message", truncate(message))
                .mapTo(String.class).findOne());
    }

    /** Ends a running job as cancelled (its user asked). */
    public boolean cancelled(UUID id, String worker) {
        Instant now = clock.instant();
        return db.asSystem(handle -> handle.createUpdate("""
                        UPDATE public.jobs SET status = 'cancelled', finished_at = :now, locked_by = NULL,
                               locked_until = NULL, message = 'cancelled'
                        WHERE id = :id AND locked_by = :worker AND status = 'running'""")
                .bind("id", id).bind("worker", worker).bind("now", now).execute() == 1);
    }

    /** Gives a job back untouched (shutdown): queued again at once, the attempt not counted. */
    public boolean handBack(UUID id, String worker) {
        return db.asSystem(handle -> handle.createUpdate("""
                        UPDATE public.jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), locked_by = NULL,
                               locked_until = NULL, run_after = :now, message = 'handed back at shutdown'
                        WHERE id = :id AND locked_by = :worker AND status = 'running'""")
                .bind("id", id).bind("worker", worker).bind("now", clock.instant()).execute() == 1);
    }

    /**
     * Returns jobs whose lease ran out (their worker died or hung) to the queue, or fails them when no attempts
     * remain. Answers the jobs that ended failed, so their handlers can restore domain state.
     */
    public List<Job> reapExpiredLeases() {
        Instant now = clock.instant();
        return db.asSystem(handle -> {
            registerMapper(handle);
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
        }).stream().filter(job -> job.status().equals("failed")).toList();
    }

    private static String truncate(String message) {
        if (message == null) {
            return null;
        }
        return message.length() > 2000 ? message.substring(0, 2000) : message;
    }
}
