package studio.nexus.transformations;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import studio.nexus.web.Caller;
import studio.nexus.db.Identity;
import studio.nexus.jobs.JobRoutes;
import studio.nexus.web.AudioResponses;
import studio.nexus.web.ApiException;
import studio.nexus.web.JsonInput;
import studio.nexus.web.Paging;
import studio.nexus.web.PathIds;

/** HTTP handlers of AI presets and transformations: parse, call {@link Transformations}, answer. */
public final class TransformationRoutes {

    private final Transformations transformations;
    private final JobRoutes jobs;
    private final long maxBody;

    public TransformationRoutes(Transformations transformations, JobRoutes jobs, long maxBody) {
        this.transformations = transformations;
        this.jobs = jobs;
        this.maxBody = maxBody;
    }

    private static UUID id(Context ctx) {
        return PathIds.uuid(ctx, "id", "Transformation");
    }

    public void presets(Context ctx) {
        ctx.json(Map.of("items", transformations.presets(Caller.identity(ctx))));
    }

    public void request(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID project = PathIds.uuid(ctx, "id", "Project");
        JsonInput input = JsonInput.of(ctx, maxBody).allowOnly("preset_id", "transformation_type", "parameters");
        UUID preset = input.uuid("preset_id", false).orElse(null);
        String type = input.text("transformation_type", 1, 40, false).orElse(null);
        var parameters = input.object("parameters", 8192, false).orElse(null);
        if (preset == null && type == null) {
            input.reject("preset_id", "give a preset_id or a transformation_type");
        }
        if (type != null && !type.matches("[a-z][a-z_]{0,39}")) {
            input.reject("transformation_type", "must be a lowercase word such as orchestral, electronic or jazz");
        }
        if (parameters != null) {
            var mix = parameters.get("mix_original");
            if (mix != null && (!mix.isNumber() || mix.asDouble() < 0 || mix.asDouble() > 1)) {
                input.reject("parameters.mix_original", "must be a number from 0 to 1");
            }
            var tempo = parameters.get("tempo");
            if (tempo != null && !tempo.isNull() && (!tempo.isNumber() || tempo.asDouble() < 30 || tempo.asDouble() > 300)) {
                input.reject("parameters.tempo", "must be a number from 30 to 300");
            }
            if (parameters.has("provider")) {
                input.reject("parameters.provider", "is chosen by the preset or the server");
            }
        }
        input.done();
        Transformation created = transformations.request(me, project, preset, type, parameters);
        ctx.status(202).header("Location", "/api/v1/transformations/" + created.id()).json(created);
    }

    public void get(Context ctx) {
        ctx.json(transformations.get(Caller.signedIn(ctx), id(ctx)));
    }

    public void listMine(Context ctx) {
        ctx.json(transformations.list(Caller.signedIn(ctx), null, Paging.request(ctx, 20, 100)));
    }

    public void listForProject(Context ctx) {
        UUID project = PathIds.uuid(ctx, "id", "Project");
        ctx.json(transformations.list(Caller.signedIn(ctx), project, Paging.request(ctx, 20, 100)));
    }

    public void cancel(Context ctx) {
        ctx.status(202).json(transformations.cancel(Caller.signedIn(ctx), id(ctx)));
    }

    public void rate(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = id(ctx);
        JsonInput input = JsonInput.of(ctx, maxBody).allowOnly("user_rating", "user_feedback");
        int rating = input.integer("user_rating", 1, 5, true).orElse(0);
        String feedback = input.text("user_feedback", 0, 2000, false).orElse(null);
        input.done();
        ctx.json(transformations.rate(me, id, rating, feedback));
    }

    /** Progress: the job's SSE stream (the transformation's job_id names it). */
    public void events(Context ctx) {
        Transformation t = transformations.get(Caller.signedIn(ctx), id(ctx));
        if (t.jobId() == null) {
            throw ApiException.notFound("Job");
        }
        jobs.eventsFor(ctx, t.jobId());
    }

    public void keep(Context ctx) {
        ctx.status(201).json(transformations.keep(Caller.signedIn(ctx), id(ctx)));
    }

    public void addAsTracks(Context ctx) {
        ctx.status(201).json(java.util.Map.of("items", transformations.addAsTracks(Caller.signedIn(ctx), id(ctx))));
    }

    public void audio(Context ctx) throws IOException {
        String key = transformations.fileKey(Caller.signedIn(ctx), id(ctx), false);
        AudioResponses.serve(ctx, transformations.storage(), key, null);
    }

    public void midi(Context ctx) throws IOException {
        String key = transformations.fileKey(Caller.signedIn(ctx), id(ctx), true);
        AudioResponses.serve(ctx, transformations.storage(), key, "arrangement.mid");
    }
}
