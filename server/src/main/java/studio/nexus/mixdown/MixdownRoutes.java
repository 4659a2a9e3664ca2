package studio.nexus.mixdown;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.UUID;
import studio.nexus.bounce.MasterSafety;
import studio.nexus.db.Identity;
import studio.nexus.web.AudioResponses;
import studio.nexus.web.Caller;
import studio.nexus.web.JsonInput;
import studio.nexus.web.PathIds;

/**
 * HTTP handlers of mixdowns and stems: {@code POST /projects/{id}/mixdown}, {@code POST /projects/{id}/stems} and
 * the download of a finished stems zip; and a track's preview through its effects,
 * {@code GET /projects/{id}/tracks/{trackId}/preview}. Parse, call, answer.
 */
public final class MixdownRoutes {
    private static final String CACHE_CONTROL = "private, max-age=0, must-revalidate";

    private final Mixdowns mixdowns;
    private final TrackPreviews previews;
    private final long maxBody;

    public MixdownRoutes(Mixdowns mixdowns, TrackPreviews previews, long maxBody) {
        this.mixdowns = mixdowns;
        this.previews = previews;
        this.maxBody = maxBody;
    }

    private static UUID projectId(Context ctx) {
        return PathIds.uuid(ctx, "id", "Project");
    }

    public void mixdown(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        Options options = options(ctx);
        ctx.status(202).json(mixdowns.mixdown(me, id, options.tailSeconds(), options.safety()));
    }

    public void stems(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        Options options = options(ctx);
        ctx.status(202).json(mixdowns.stems(me, id, options.tailSeconds(), options.safety()));
    }

    public void stemsFile(Context ctx) throws IOException {
        Identity who = Caller.identity(ctx);
        UUID id = projectId(ctx);
        UUID job = PathIds.uuid(ctx, "jobId", "Stems");
        String key = mixdowns.stemsKey(who, id, job);
        if (AudioResponses.serve(ctx, mixdowns.storage(), key, "stems-" + job + ".zip")) {
            mixdowns.countDownload(who, id);
        }
    }

    /**
     * The track's clips through its effects chain, pre-fader and pre-pan, rendered now and streamed as a WAV; 304
     * when If-None-Match names its ETag (nothing is rendered then).
     */
    public void trackPreview(Context ctx) throws IOException {
        Identity who = Caller.identity(ctx);
        UUID id = projectId(ctx);
        UUID track = PathIds.uuid(ctx, "trackId", "Track");
        TrackPreviews.Preview preview = previews.preview(who, id, track);
        ctx.header("ETag", preview.etag());
        ctx.header("Cache-Control", CACHE_CONTROL);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && matches(ifNoneMatch, preview.etag())) {
            ctx.status(304);
            return;
        }
        previews.render(preview, length -> {
            ctx.status(200);
            AudioResponses.binaryContentType(ctx, TrackPreviews.CONTENT_TYPE);
            ctx.header("Content-Length", Long.toString(length));
            ctx.header("Content-Disposition", "inline; filename=\"track-" + track + ".wav\"");
            return ctx.outputStream();
        });
    }

    /** Whether an If-None-Match header names {@code etag} (or any, {@code *}); weak comparison, as RFC 9110 asks. */
    static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private record Options(double tailSeconds, MasterSafety safety) {}

    /** The optional body both take: a tail for reverb and delay, the safety limiter on the mix (off unless asked). */
    private Options options(Context ctx) {
        JsonInput in = JsonInput.ofOptional(ctx, maxBody);
        in.allowOnly("tail_seconds", "safety_limiter", "limiter_ceiling_dbtp");
        double tail = in.number("tail_seconds", 0, Mixdowns.MAX_TAIL_SECONDS, false).orElse(0.0);
        MasterSafety safety = MasterSafety.read(in, false);
        in.done();
        return new Options(tail, safety);
    }
}
