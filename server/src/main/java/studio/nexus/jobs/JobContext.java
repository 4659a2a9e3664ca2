package studio.nexus.jobs;

/**
 * What a running job may ask of its worker: report progress (which also renews the lease) and learn whether to stop.
 * Not thread-safe: used by the job's own thread.
 */
public interface JobContext {
    /**
     * Records progress (0–1) and a short message. Renews the lease when due. Throws {@link JobStopped} when the job
     * was cancelled or this worker lost its lease, so the work ends promptly.
     */
    void progress(double fraction, String message) throws JobStopped;

    /** True when the job should stop: cancelled by its user, lost lease, or the worker is shutting down. */
    boolean shouldStop();

    /** The job must stop now: cancelled, lease lost, or the worker is shutting down. */
    final class JobStopped extends Exception {
        private final String reason;

        public JobStopped(String reason) {
            super(reason);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
