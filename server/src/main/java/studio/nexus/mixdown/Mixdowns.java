package studio.nexus.mixdown;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.UUID;
import studio.nexus.audio.mix.Mixer;
import studio.nexus.bounce.MasterSafety;
import studio.nexus.core.Failure;
import studio.nexus.core.Json;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.SqlStates;
import studio.nexus.effects.Effects;
import studio.nexus.jobs.Job;
import studio.nexus.jobs.JobQueue;
import studio.nexus.storage.Storage;
import studio.nexus.usage.Usage;

/**
 * Mixdowns and stems of a project's arrangement: each queued as a job in the caller's transaction, so the policies
 * decide who may (V87: whoever may change the arrangement), and run by {@link MixdownHandler} (the mix becomes the
 * project's processed audio, as a render does) or {@link StemsHandler} (a zip of one WAV per track plus the mix,
 * downloaded like an export, and like an export it spends one of the plan's exports). Both are refused before
 * anything is queued when the arrangement has no clip, or when a chain it would run cannot be built. Thread-safe.
 */
public final class Mixdowns {
    static final double MAX_TAIL_SECONDS = 30;
    private static final String FORBIDDEN = "Only the project's owner and editors may mix its arrangement";

    private final Db db;
    private final Storage storage;
    private final Usage usage;

    public Mixdowns(Db db, Storage storage, Usage usage) {
        this.db = db;
        this.storage = storage;
        this.usage = usage;
    }

    Storage storage() {
        return storage;
    }

    /** Queues a mixdown of the arrangement into the project's processed audio. */
    public Job mixdown(Identity who, UUID id, double tailSeconds, MasterSafety safety) {
        UUID me = who.requireUserId();
        return SqlStates.onRefusal(() -> db.as(who, handle -> {
            MixdownSql sql = new MixdownSql(handle);
            MixdownSql.ProjectState project = mixable(sql, id);
            if ("processing".equals(project.status())) {
                throw Failure.conflict("render_in_progress", "A render or mixdown of this project is already running");
            }
            UUID job = JobQueue.enqueue(handle, MixdownHandler.KIND, me, id, payload(tailSeconds, safety));
            return JobQueue.find(handle, job).orElseThrow();
        }), () -> Failure.forbidden(FORBIDDEN));
    }

    /** Queues the stems of the arrangement (and the mix) as a zip; spends one export of the caller's plan. */
    public Job stems(Identity who, UUID id, double tailSeconds, MasterSafety safety) {
        UUID me = who.requireUserId();
        return SqlStates.onRefusal(() -> db.as(who, handle -> {
            MixdownSql sql = new MixdownSql(handle);
            mixable(sql, id);
            UUID job = JobQueue.enqueue(handle, StemsHandler.KIND, me, id, payload(tailSeconds, safety));
            usage.consume(handle, me, "exports", BigDecimal.ONE, id);
            return JobQueue.find(handle, job).orElseThrow();
        }), () -> Failure.forbidden(FORBIDDEN));
    }

    /**
     * The checks both share, in the order a caller learns most from: a project they cannot see is not found; one
     * they may not change is forbidden; an arrangement without clips has nothing to mix; a chain the mixer could not
     * build is named.
     */
    private static MixdownSql.ProjectState mixable(MixdownSql sql, UUID id) {
        MixdownSql.ProjectState project = sql.project(id).orElseThrow(() -> Failure.notFound("Project"));
        if (!sql.canEdit(id)) {
            throw Failure.forbidden(FORBIDDEN);
        }
        if (sql.clipCount(id) == 0) {
            throw Failure.conflict("empty_arrangement",
                    "The arrangement has no clips yet; upload a take or place a clip on a track first");
        }
        Effects.validChain(Effects.chainOf(project.effectsSettings()), "effects_settings.chain");
        for (MixdownSql.TrackChain track : sql.trackChains(id)) {
            Effects.validChain(track.chain(), "track \"" + track.name() + "\" effects_chain");
        }
        return project;
    }

    private static ObjectNode payload(double tailSeconds, MasterSafety safety) {
        return safety.into(Json.MAPPER.createObjectNode().put("tail_seconds", tailSeconds));
    }

    /** The tail a job's payload asks for, within 0..{@value #MAX_TAIL_SECONDS} s (the payload is the user's input). */
    static double tailOf(JsonNode payload) {
        return Math.max(0, Math.min(MAX_TAIL_SECONDS, payload.path("tail_seconds").asDouble(0)));
    }

    /** The mixer's settings for a mixdown: the tail, and the safety limiter when it is on. */
    static Mixer.Options mixerOptions(double tailSeconds, MasterSafety safety) {
        Mixer.Options options = Mixer.Options.DEFAULT.withTail(tailSeconds);
        return safety.limiter() ? options.withSafetyLimiter(safety.ceilingDbtp()) : options;
    }

    /** The zip of a finished stems job of a project the caller can see. */
    public String stemsKey(Identity who, UUID projectId, UUID jobId) {
        MixdownSql.JobRow job = db.as(who, handle -> {
            MixdownSql sql = new MixdownSql(handle);
            sql.project(projectId).orElseThrow(() -> Failure.notFound("Project"));
            return sql.job(jobId);
        }).filter(j -> projectId.equals(j.projectId()) && StemsHandler.KIND.equals(j.kind()))
                .orElseThrow(() -> Failure.notFound("Stems"));
        if (!"succeeded".equals(job.status()) || job.result() == null || !job.result().hasNonNull("key")) {
            throw Failure.conflict("stems_not_ready", "These stems are " + job.status() + ", not ready yet");
        }
        return job.result().get("key").asText();
    }

    /** Counts a download of the project, as an export's download does. */
    public void countDownload(Identity who, UUID projectId) {
        db.as(who, handle -> new MixdownSql(handle).recordDownload(projectId));
    }
}
