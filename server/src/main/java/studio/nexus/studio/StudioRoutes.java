package studio.nexus.studio;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import studio.nexus.web.Caller;
import studio.nexus.audio.effects.EffectCatalog;
import studio.nexus.db.Identity;
import studio.nexus.web.ApiException;
import studio.nexus.core.Json;
import studio.nexus.web.JsonInput;
import studio.nexus.web.PathIds;
import studio.nexus.web.RefusedBodies;

/** HTTP handlers of the studio: upload, waveform, effects, render, playback, exports. Parse, call, answer. */
public final class StudioRoutes {
    private final Studio studio;
    private final long maxBody;

    public StudioRoutes(Studio studio, long maxBody) {
        this.studio = studio;
        this.maxBody = maxBody;
    }

    /** The largest upload accepted (STUDIO_MAX_UPLOAD_MB). */
    public long maxUploadBytes() {
        return studio.maxUploadBytes();
    }

    private static UUID projectId(Context ctx) {
        return PathIds.uuid(ctx, "id", "Project");
    }

    /**
     * {@code PUT /projects/{id}/audio}: the raw body (any audio Content-Type) or multipart/form-data with one file
     * part. Streamed: Javalin's maxRequestSize (for ctx.body()) does not apply; STUDIO_MAX_UPLOAD_MB does.
     */
    public void upload(Context ctx) throws IOException, jakarta.servlet.ServletException {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        long max = studio.maxUploadBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > max + (isMultipart(ctx) ? 64 * 1024 : 0)) {
            throw Studio.tooLarge(max);
        }
        studio.checkMayEdit(me, id);
        RefusedBodies.started(ctx);
        Studio.Uploaded uploaded;
        if (isMultipart(ctx)) {
            ctx.attribute("org.eclipse.jetty.multipartConfig", new MultipartConfigElement(
                    System.getProperty("java.io.tmpdir"), max, max + 64 * 1024, 1024 * 1024));
            List<Part> files = new ArrayList<>();
            try {
                for (Part part : ctx.req().getParts()) {
                    if (part.getSubmittedFileName() != null) {
                        files.add(part);
                    }
                }
            } catch (IllegalStateException e) {
                throw Studio.tooLarge(max);
            } catch (IOException | jakarta.servlet.ServletException e) {
                if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("exceed")) {
                    throw Studio.tooLarge(max);
                }
                throw ApiException.badRequest("malformed_multipart", "The multipart body could not be read");
            }
            if (files.size() != 1) {
                throw ApiException.badRequest("expected_one_file",
                        "Send exactly one file part (got " + files.size() + ")");
            }
            Part part = files.get(0);
            try (InputStream in = part.getInputStream()) {
                uploaded = studio.upload(me, id, in);
            } finally {
                part.delete();
            }
        } else {
            String type = ctx.contentType();
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw new ApiException(415, "unsupported_media_type", "Unsupported media type",
                        "Send the audio file itself (e.g. audio/wav) or multipart/form-data with one file part");
            }
            uploaded = studio.upload(me, id, ctx.req().getInputStream());
        }
        ctx.status(201).json(uploaded);
    }

    private static boolean isMultipart(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    public void removeAudio(Context ctx) {
        studio.removeAudio(Caller.signedIn(ctx), projectId(ctx));
        ctx.status(204);
    }

    public void waveform(Context ctx) throws IOException {
        UUID id = projectId(ctx);
        int samplesPerPixel = intQuery(ctx, "samples_per_pixel", Studio.DEFAULT_SAMPLES_PER_PIXEL, 2, 1 << 24);
        int bits = intQuery(ctx, "bits", 8, 8, 16);
        if (bits != 8 && bits != 16) {
            throw ApiException.badRequest("invalid_parameter", "bits must be 8 or 16");
        }
        String channels = ctx.queryParam("channels") == null ? "mono" : ctx.queryParam("channels");
        if (!channels.equals("mono") && !channels.equals("split")) {
            throw ApiException.badRequest("invalid_parameter", "channels must be mono or split");
        }
        // streamed as it is read from the peak file: the answer is never held whole
        studio.waveform(Caller.identity(ctx), id, samplesPerPixel, bits, channels.equals("split"), () -> {
            ctx.contentType("application/json");
            return ctx.outputStream();
        });
    }

    /** A whole-number query parameter in a range; 400 problem+json otherwise. */
    public static int intQuery(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw ApiException.badRequest("invalid_parameter", name + " must be a whole number from " + min + " to " + max);
    }

    public void setEffects(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("chain");
        var chain = in.value("chain", 256 * 1024, true);
        in.done();
        ctx.json(Map.of("effects_settings", studio.setEffects(me, id, chain.orElseThrow())));
    }

    public void catalog(Context ctx) {
        ctx.json(Map.of("effects", EffectCatalog.describe()));
    }

    public void render(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        JsonInput in = JsonInput.ofOptional(ctx, maxBody);
        in.allowOnly("count_in_bars", "tail_seconds", "safety_limiter", "limiter_ceiling_dbtp");
        int countIn = in.integer("count_in_bars", 0, 4, false).orElse(0);
        double tail = in.number("tail_seconds", 0, 30, false).orElse(0.0);
        MasterSafety safety = MasterSafety.read(in, false);
        in.done();
        ctx.status(202).json(studio.render(me, id, countIn, tail, safety));
    }

    public void playOriginal(Context ctx) throws IOException {
        AudioResponses.serve(ctx, studio.storage(), studio.audioKey(Caller.identity(ctx), projectId(ctx), false),
                null);
    }

    public void playProcessed(Context ctx) throws IOException {
        AudioResponses.serve(ctx, studio.storage(), studio.audioKey(Caller.identity(ctx), projectId(ctx), true),
                null);
    }

    public void export(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("format", "bit_depth", "mp3", "source", "safety_limiter",
                "limiter_ceiling_dbtp");
        ObjectNode format = ExportOptions.parse(in);
        String source = in.text("source", 1, 10, false).orElse("original");
        if (!source.equals("original") && !source.equals("processed")) {
            in.reject("source", "must be original or processed");
        }
        MasterSafety safety = MasterSafety.read(in, true);
        in.done();
        ctx.status(202).json(studio.export(me, id, format, source, safety));
    }

    public void exportFile(Context ctx) throws IOException {
        Identity who = Caller.identity(ctx);
        UUID id = projectId(ctx);
        UUID job = PathIds.uuid(ctx, "jobId", "Export");
        String key = studio.exportKey(who, id, job);
        String name = "export-" + job + key.substring(key.lastIndexOf('.'));
        if (AudioResponses.serve(ctx, studio.storage(), key, name)) {
            studio.countDownload(who, id);
        }
    }

}
