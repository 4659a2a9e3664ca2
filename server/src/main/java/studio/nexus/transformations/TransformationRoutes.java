package studio.nexus.transformations;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import studio.nexus.auth.Authentication;
import studio.nexus.db.Identity;
import studio.nexus.jobs.JobRoutes;
import studio.nexus.storage.Storage;
import studio.nexus.web.ApiException;
import studio.nexus.web.JsonInput;
import studio.nexus.web.Paging;
import studio.nexus.web.PathIds;

/** HTTP handlers of AI presets and transformations: parse, call {@link Transformations}, answer. */
public final class TransformationRoutes {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

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
        ctx.json(Map.of("items", transformations.presets(Authentication.identity(ctx))));
    }

    public void request(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
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
        ctx.json(transformations.get(Authentication.signedIn(ctx), id(ctx)));
    }

    public void listMine(Context ctx) {
        ctx.json(transformations.list(Authentication.signedIn(ctx), null, Paging.request(ctx, 20, 100)));
    }

    public void listForProject(Context ctx) {
        UUID project = PathIds.uuid(ctx, "id", "Project");
        ctx.json(transformations.list(Authentication.signedIn(ctx), project, Paging.request(ctx, 20, 100)));
    }

    public void cancel(Context ctx) {
        ctx.status(202).json(transformations.cancel(Authentication.signedIn(ctx), id(ctx)));
    }

    public void rate(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
        UUID id = id(ctx);
        JsonInput input = JsonInput.of(ctx, maxBody).allowOnly("user_rating", "user_feedback");
        int rating = input.integer("user_rating", 1, 5, true).orElse(0);
        String feedback = input.text("user_feedback", 0, 2000, false).orElse(null);
        input.done();
        ctx.json(transformations.rate(me, id, rating, feedback));
    }

    /** Progress: the job's SSE stream (the transformation's job_id names it). */
    public void events(Context ctx) {
        Transformation t = transformations.get(Authentication.signedIn(ctx), id(ctx));
        if (t.jobId() == null) {
            throw ApiException.notFound("Job");
        }
        jobs.eventsFor(ctx, t.jobId());
    }

    public void keep(Context ctx) {
        ctx.status(201).json(transformations.keep(Authentication.signedIn(ctx), id(ctx)));
    }

    public void audio(Context ctx) throws IOException {
        String key = transformations.fileKey(Authentication.signedIn(ctx), id(ctx), false);
        serve(ctx, transformations.storage(), key, key.endsWith(".wav") ? "audio/wav"
                : key.endsWith(".mp3") ? "audio/mpeg" : key.endsWith(".flac") ? "audio/flac" : "application/octet-stream");
    }

    public void midi(Context ctx) throws IOException {
        String key = transformations.fileKey(Authentication.signedIn(ctx), id(ctx), true);
        ctx.header("Content-Disposition", "attachment; filename=\"arrangement.mid\"");
        serve(ctx, transformations.storage(), key, "audio/midi");
    }

    /** Streams a stored object with ETag / If-None-Match and a single byte Range (206, or 416). */
    static void serve(Context ctx, Storage storage, String key, String contentType) throws IOException {
        Storage.StoredObject object = storage.stat(key).orElseThrow(() -> ApiException.notFound("File"));
        String etag = "\"" + object.etag() + "\"";
        ctx.header("ETag", etag).header("Accept-Ranges", "bytes").header("Cache-Control", "private, max-age=3600");
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*"))) {
            ctx.status(304);
            return;
        }
        long size = object.size();
        long start = 0;
        long end = size - 1;
        String range = ctx.header("Range");
        String ifRange = ctx.header("If-Range");
        if (range != null && (ifRange == null || ifRange.equals(etag))) {
            Matcher m = RANGE.matcher(range.trim());
            boolean ok = m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty());
            if (ok) {
                try {
                    if (m.group(1).isEmpty()) {
                        start = Math.max(0, size - Long.parseLong(m.group(2)));
                    } else {
                        start = Long.parseLong(m.group(1));
                        end = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                    }
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok || start >= size || start > end) {
                ctx.header("Content-Range", "bytes */" + size);
                throw new ApiException(416, "range_not_satisfiable", "Range not satisfiable",
                        "The file has " + size + " bytes");
            }
            ctx.status(206).header("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        long length = end - start + 1;
        InputStream in = storage.open(key, start);
        ctx.contentType(contentType).header("Content-Length", Long.toString(length));
        ctx.result(new BoundedInputStream(in, length));
    }

    /** At most {@code remaining} bytes of a stream. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
