package studio.nexus.takes;

import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import studio.nexus.web.Caller;
import studio.nexus.db.Identity;
import studio.nexus.web.ApiException;
import studio.nexus.web.AudioResponses;
import studio.nexus.web.PathIds;
import studio.nexus.web.RefusedBodies;
import studio.nexus.web.Requests;

/** HTTP handlers of a project's take: upload, removal, waveform, playback. Parse, call, answer. */
public final class TakeRoutes {
    private final Takes takes;

    public TakeRoutes(Takes takes) {
        this.takes = takes;
    }

    /** The largest upload accepted (STUDIO_MAX_UPLOAD_MB). */
    public long maxUploadBytes() {
        return takes.maxUploadBytes();
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
        long max = takes.maxUploadBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > max + (isMultipart(ctx) ? 64 * 1024 : 0)) {
            throw Takes.tooLarge(max);
        }
        takes.checkMayEdit(me, id);
        RefusedBodies.started(ctx);
        Takes.Uploaded uploaded;
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
                throw Takes.tooLarge(max);
            } catch (IOException | jakarta.servlet.ServletException e) {
                if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("exceed")) {
                    throw Takes.tooLarge(max);
                }
                throw ApiException.badRequest("malformed_multipart", "The multipart body could not be read");
            }
            if (files.size() != 1) {
                throw ApiException.badRequest("expected_one_file",
                        "Send exactly one file part (got " + files.size() + ")");
            }
            Part part = files.get(0);
            try (InputStream in = part.getInputStream()) {
                uploaded = takes.upload(me, id, in);
            } finally {
                part.delete();
            }
        } else {
            String type = ctx.contentType();
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw new ApiException(415, "unsupported_media_type", "Unsupported media type",
                        "Send the audio file itself (e.g. audio/wav) or multipart/form-data with one file part");
            }
            uploaded = takes.upload(me, id, ctx.req().getInputStream());
        }
        ctx.status(201).json(uploaded);
    }

    private static boolean isMultipart(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    public void removeAudio(Context ctx) {
        takes.removeAudio(Caller.signedIn(ctx), projectId(ctx));
        ctx.status(204);
    }

    public void waveform(Context ctx) throws IOException {
        UUID id = projectId(ctx);
        int samplesPerPixel = Requests.intQuery(ctx, "samples_per_pixel", Takes.DEFAULT_SAMPLES_PER_PIXEL, 2, 1 << 24);
        int bits = Requests.intQuery(ctx, "bits", 8, 8, 16);
        if (bits != 8 && bits != 16) {
            throw ApiException.badRequest("invalid_parameter", "bits must be 8 or 16");
        }
        String channels = ctx.queryParam("channels") == null ? "mono" : ctx.queryParam("channels");
        if (!channels.equals("mono") && !channels.equals("split")) {
            throw ApiException.badRequest("invalid_parameter", "channels must be mono or split");
        }
        // streamed as it is read from the peak file: the answer is never held whole
        takes.waveform(Caller.identity(ctx), id, samplesPerPixel, bits, channels.equals("split"), () -> {
            ctx.contentType("application/json");
            return ctx.outputStream();
        });
    }

    public void playOriginal(Context ctx) throws IOException {
        AudioResponses.serve(ctx, takes.storage(), takes.audioKey(Caller.identity(ctx), projectId(ctx), false),
                null);
    }

    public void playProcessed(Context ctx) throws IOException {
        AudioResponses.serve(ctx, takes.storage(), takes.audioKey(Caller.identity(ctx), projectId(ctx), true),
                null);
    }
}
