package studio.nexus.renders;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;
import studio.nexus.bounce.MasterSafety;
import studio.nexus.core.Failure;
import studio.nexus.core.Json;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.SqlStates;
import studio.nexus.effects.Effects;
import studio.nexus.jobs.Job;
import studio.nexus.jobs.JobQueue;

/**
 * Renders of a project: its take through its effects chain into the processed audio, queued as a job in the
 * caller's transaction (so the policies decide who may) and run by {@link RenderHandler}. Thread-safe.
 */
public final class Renders {
    private final Db db;

    public Renders(Db db) {
        this.db = db;
    }

    public Job render(Identity who, UUID id, int countInBars, double tailSeconds, MasterSafety safety) {
        UUID me = who.requireUserId();
        return SqlStates.onRefusal(() -> db.as(who, handle -> {
            RenderSql.RenderSource project = new RenderSql(handle).find(id)
                    .orElseThrow(() -> Failure.notFound("Project"));
            if (project.originalAudioPath() == null) {
                throw Failure.conflict("no_audio", "Upload audio to this project before rendering it");
            }
            if ("processing".equals(project.status())) {
                throw Failure.conflict("render_in_progress", "A render of this project is already running");
            }
            Effects.validChain(Effects.chainOf(project.effectsSettings()), "effects_settings.chain");
            ObjectNode payload = safety.into(Json.MAPPER.createObjectNode().put("count_in_bars", countInBars)
                    .put("tail_seconds", tailSeconds));
            UUID job = JobQueue.enqueue(handle, RenderHandler.KIND, me, id, payload);
            return JobQueue.find(handle, job).orElseThrow();
        }), () -> Failure.forbidden("Only the project's owner and editors may do this"));
    }
}
