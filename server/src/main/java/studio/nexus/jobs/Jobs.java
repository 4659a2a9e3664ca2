package studio.nexus.jobs;

import java.util.Optional;
import java.util.UUID;
import studio.nexus.core.Failure;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;

/**
 * Jobs as their requesters and project members see them: read and cancel, as the caller, so the database decides
 * who sees what. Anyone who may not see a job is told it is not found, whatever its state: another answer would tell
 * them it exists. Thread-safe.
 */
public final class Jobs {
    private final Db db;

    public Jobs(Db db) {
        this.db = db;
    }

    /** The job, if the caller may see it. */
    public Optional<Job> find(Identity who, UUID id) {
        return db.as(who, handle -> JobQueue.find(handle, id));
    }

    /** The job; not found when the caller may not see it. */
    public Job visible(Identity who, UUID id) {
        return find(who, id).orElseThrow(() -> Failure.notFound("Job"));
    }

    /** Asks a queued or running job to stop; answers the job as it is now. */
    public Job cancel(Identity who, UUID id) {
        // cancel_job answers NULL to anyone who may not cancel; anonymous callers may not even call it
        String status = !who.isSignedIn() ? null : db.as(who, handle -> JobQueue.cancel(handle, id));
        if (status == null) {
            visible(who, id); // not found if invisible
            throw Failure.forbidden("Only the job's requester and the project's owner and admins cancel it");
        }
        if (!status.equals("cancelled") && !status.equals("running")) {
            throw Failure.conflict("job_finished", "The job already ended " + status);
        }
        return visible(who, id);
    }
}
