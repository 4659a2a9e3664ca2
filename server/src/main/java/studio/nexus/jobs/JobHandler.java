package studio.nexus.jobs;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Does one kind of job. Runs on a worker thread, outside any transaction; reports progress through the context,
 * which also tells it to stop (cancelled, or the lease was lost). Returns the job's result; throws
 * {@link JobFailure} for failures it understands (anything else counts as a retryable internal error).
 */
public interface JobHandler {
    String kind();

    JsonNode run(Job job, JobContext context) throws Exception;

    /**
     * Called once when a job ends failed, cancelled or handed back for good, so the handler can restore its domain
     * state (e.g. a project's status). Runs outside the job's own transaction; must be idempotent.
     */
    default void onGiveUp(Job job, String status, String errorCode, String errorMessage) {}
}
