package studio.nexus.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import studio.nexus.db.Db;

/**
 * The job queue: jobs queued in their requester's transaction, and a worker's steps (claim, heartbeat, complete,
 * fail, cancelled, hand back, reap), each its own transaction as the system, over {@link JobSql}. Times come from the
 * injected {@link Clock}, so tests move leases and backoffs forward without sleeping. Thread-safe.
 */
public final class JobQueue {
    private final Db db;
    private final Clock clock;

    public JobQueue(Db db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Queues a job in the caller's transaction (as whoever the handle runs as; RLS decides if they may). */
    public static UUID enqueue(Handle handle, String kind, UUID userId, UUID projectId, JsonNode payload) {
        return new JobSql(handle).enqueue(kind, userId, projectId, payload);
    }

    /** The job, as whoever the handle runs as sees it. */
    public static Optional<Job> find(Handle handle, UUID id) {
        return new JobSql(handle).find(id);
    }

    /**
     * Asks the job to stop, as whoever the handle runs as ({@code public.cancel_job}): answers its status after the
     * request, or null when they may not cancel it.
     */
    public static String cancel(Handle handle, UUID id) {
        return new JobSql(handle).cancel(id);
    }

    /** Claims the oldest runnable job of the given kinds for {@code worker}, with a lease of {@code lease}. */
    public Optional<Job> claim(List<String> kinds, String worker, Duration lease) {
        Instant now = clock.instant();
        return db.asSystem(handle -> new JobSql(handle).claim(kinds, worker, now, now.plus(lease)));
    }

    /**
     * Renews the lease and records progress. Answers what the worker should do next: go on, stop because the job
     * was cancelled, or stop because the lease is no longer this worker's.
     */
    public Heartbeat heartbeat(UUID id, String worker, Duration lease, double progress, String message) {
        Instant now = clock.instant();
        return db.asSystem(handle -> new JobSql(handle).heartbeat(id, worker, now.plus(lease), progress, message))
                .map(cancel -> cancel ? Heartbeat.CANCELLED : Heartbeat.CONTINUE)
                .orElse(Heartbeat.LEASE_LOST);
    }

    public enum Heartbeat { CONTINUE, CANCELLED, LEASE_LOST }

    /** Ends the job as succeeded with its result; false when the lease was no longer this worker's. */
    public boolean complete(UUID id, String worker, JsonNode result) {
        Instant now = clock.instant();
        return db.asSystem(handle -> new JobSql(handle).complete(id, worker, result, now));
    }

    /**
     * Records a failed attempt: queued again after {@code retryDelay} while attempts remain and the failure is
     * retryable, else failed for good. Answers the status the job ended in, or empty when the lease was lost.
     */
    public Optional<String> fail(UUID id, String worker, String code, String message, boolean retryable,
                                 Duration retryDelay) {
        Instant now = clock.instant();
        return db.asSystem(handle -> new JobSql(handle).fail(id, worker, code, truncate(message), retryable, now,
                now.plus(retryDelay)));
    }

    /** Ends a running job as cancelled (its user asked). */
    public boolean cancelled(UUID id, String worker) {
        Instant now = clock.instant();
        return db.asSystem(handle -> new JobSql(handle).cancelled(id, worker, now));
    }

    /** Gives a job back untouched (shutdown): queued again at once, the attempt not counted. */
    public boolean handBack(UUID id, String worker) {
        return db.asSystem(handle -> new JobSql(handle).handBack(id, worker, clock.instant()));
    }

    /**
     * Returns jobs whose lease ran out (their worker died or hung) to the queue, or fails them when no attempts
     * remain. Answers the jobs that ended failed, so their handlers can restore domain state.
     */
    public List<Job> reapExpiredLeases() {
        Instant now = clock.instant();
        return db.asSystem(handle -> new JobSql(handle).reapExpiredLeases(now))
                .stream().filter(job -> job.status().equals("failed")).toList();
    }

    private static String truncate(String message) {
        if (message == null) {
            return null;
        }
        return message.length() > 2000 ? message.substring(0, 2000) : message;
    }
}
