package studio.nexus.exports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.UUID;
import studio.nexus.bounce.MasterSafety;
import studio.nexus.core.Failure;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.SqlStates;
import studio.nexus.jobs.Job;
import studio.nexus.jobs.JobQueue;
import studio.nexus.storage.Storage;
import studio.nexus.usage.Usage;

/**
 * Exports of a project: its original or processed audio in a download format, queued as a job in the caller's
 * transaction (which also spends an export of the plan), run by {@link ExportHandler}, then downloaded (counted as
 * a download when it starts from the first byte). Thread-safe.
 */
public final class Exports {
    private final Db db;
    private final Storage storage;
    private final Usage usage;

    public Exports(Db db, Storage storage, Usage usage) {
        this.db = db;
        this.storage = storage;
        this.usage = usage;
    }

    Storage storage() {
        return storage;
    }

    /** @param format the checked format fields ({@link ExportOptions#parse}) */
    public Job export(Identity who, UUID id, ObjectNode format, String source, MasterSafety safety) {
        UUID me = who.requireUserId();
        return SqlStates.onRefusal(() -> db.as(who, handle -> {
            ExportSql.ExportSource project = new ExportSql(handle).find(id)
                    .orElseThrow(() -> Failure.notFound("Project"));
            if (project.path(source.equals("processed")) == null) {
                throw Failure.conflict("no_audio", source.equals("processed")
                        ? "This project has no processed audio; render it first" : "This project has no audio yet");
            }
            ObjectNode payload = safety.into(format.deepCopy().put("source", source));
            UUID job = JobQueue.enqueue(handle, ExportHandler.KIND, me, id, payload);
            usage.consume(handle, me, "exports", BigDecimal.ONE, id);
            return JobQueue.find(handle, job).orElseThrow();
        }), () -> Failure.forbidden("Only the project's owner and editors may do this"));
    }

    /** The file of a finished export of a project the caller can see. */
    public String exportKey(Identity who, UUID projectId, UUID jobId) {
        ExportSql.ExportJob job = db.as(who, handle -> {
            ExportSql sql = new ExportSql(handle);
            sql.find(projectId).orElseThrow(() -> Failure.notFound("Project"));
            return sql.job(jobId);
        }).filter(j -> projectId.equals(j.projectId()) && ExportHandler.KIND.equals(j.kind()))
                .orElseThrow(() -> Failure.notFound("Export"));
        if (!"succeeded".equals(job.status()) || job.result() == null || !job.result().hasNonNull("key")) {
            throw Failure.conflict("export_not_ready", "This export is " + job.status() + ", not ready yet");
        }
        return job.result().get("key").asText();
    }

    public void countDownload(Identity who, UUID projectId) {
        db.as(who, handle -> new ExportSql(handle).recordDownload(projectId));
    }
}
