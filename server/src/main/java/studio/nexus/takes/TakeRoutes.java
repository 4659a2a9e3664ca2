package studio.nexus.takes;

import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import studio.nexus.core.Failure;
import studio.nexus.web.Caller;
import studio.nexus.db.Identity;
import studio.nexus.web.ApiException;
import studio.nexus.web.AudioResponses;
import studio.nexus.web.JsonInput;
import studio.nexus.web.PathIds;
import studio.nexus.web.RefusedBodies;
import studio.nexus.web.Requests;

/** HTTP handlers of a project's takes: the project's own take and the pool (upload, list, rename, delete, waveform, playback). Parse, call, answer. */
public final class TakeRoutes {
    /** A take's handle: its stored key's last part, within the project (as clips name it). */
    private static final Pattern TAKE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,199}");

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
        ctx.status(201).json(receive(ctx, me, id, (in, fileName) -> takes.upload(me, id, in)));
    }

    /** {@code POST /projects/{id}/takes}: a take for the pool, sent as {@link #upload} takes it; {@code ?name=}. */
    public void addTake(Context ctx) throws IOException, jakarta.servlet.ServletException {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        Optional<String> asked = Optional.ofNullable(ctx.queryParam("name")).map(String::strip);
        if (asked.isPresent() && (asked.get().isEmpty() || asked.get().length() > 100)) {
            throw ApiException.validation("name", "must be 1 to 100 characters");
        }
        Takes.AddedTake added = receive(ctx, me, id, (in, fileName) ->
                takes.addTake(me, id, asked.or(() -> nameOf(fileName)), in));
        ctx.status(201).header("Location", "/api/v1/projects/" + id + "/takes/" + added.take().take())
                .json(added);
    }

    /** A take named after the file it came from, without its extension ("verse-2.wav" is "verse-2"). */
    private static Optional<String> nameOf(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        String base = fileName.replaceAll(".*[/\\\\]", "").strip();
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot).strip();
        }
        base = base.replaceAll("\\p{Cntrl}", "");
        if (base.length() > 100) {
            base = base.substring(0, 100).strip();
        }
        return base.isEmpty() ? Optional.empty() : Optional.of(base);
    }

    @FunctionalInterface
    private interface AudioBody<T> {
        T read(InputStream in, String fileName) throws IOException;
    }

    /** Reads an upload's audio, the raw body or one multipart file part, checked against the limit first. */
    private <T> T receive(Context ctx, Identity me, UUID id, AudioBody<T> body)
            throws IOException, jakarta.servlet.ServletException {
        long max = takes.maxUploadBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > max + (isMultipart(ctx) ? 64 * 1024 : 0)) {
            throw Takes.tooLarge(max);
        }
        takes.checkMayEdit(me, id);
        RefusedBodies.started(ctx);
        if (!isMultipart(ctx)) {
            String type = ctx.contentType();
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw new ApiException(415, "unsupported_media_type", "Unsupported media type",
                        "Send the audio file itself (e.g. audio/wav) or multipart/form-data with one file part");
            }
            return body.read(ctx.req().getInputStream(), null);
        }
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
            return body.read(in, part.getSubmittedFileName());
        } finally {
            part.delete();
        }
    }

    private static boolean isMultipart(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    public void removeAudio(Context ctx) {
        takes.removeAudio(Caller.signedIn(ctx), projectId(ctx));
        ctx.status(204);
    }

    private record WaveformQuery(int samplesPerPixel, int bits, boolean split) {}

    private static WaveformQuery waveformQuery(Context ctx) {
        int samplesPerPixel = Requests.intQuery(ctx, "samples_per_pixel", Takes.DEFAULT_SAMPLES_PER_PIXEL, 2, 1 << 24);
        int bits = Requests.intQuery(ctx, "bits", 8, 8, 16);
        if (bits != 8 && bits != 16) {
            throw ApiException.badRequest("invalid_parameter", "bits must be 8 or 16");
        }
        String channels = ctx.queryParam("channels") == null ? "mono" : ctx.queryParam("channels");
        if (!channels.equals("mono") && !channels.equals("split")) {
            throw ApiException.badRequest("invalid_parameter", "channels must be mono or split");
        }
        return new WaveformQuery(samplesPerPixel, bits, channels.equals("split"));
    }

    public void waveform(Context ctx) throws IOException {
        UUID id = projectId(ctx);
        WaveformQuery query = waveformQuery(ctx);
        // streamed as it is read from the peak file: the answer is never held whole
        takes.waveform(Caller.identity(ctx), id, query.samplesPerPixel(), query.bits(), query.split(), () -> {
            ctx.contentType("application/json");
            return ctx.outputStream();
        });
    }

    // The pool

    /** A take's handle from the path: its stored key's last part (no slashes, no leading dot). */
    private static String takeHandle(Context ctx) {
        String take = ctx.pathParam("take");
        if (!TAKE.matcher(take).matches()) {
            throw Failure.notFound("Take");
        }
        return take;
    }

    public void listTakes(Context ctx) {
        ctx.json(Map.of("items", takes.takes(Caller.identity(ctx), projectId(ctx))));
    }

    public void getTake(Context ctx) {
        ctx.json(takes.take(Caller.identity(ctx), projectId(ctx), takeHandle(ctx)));
    }

    public void renameTake(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        String take = takeHandle(ctx);
        JsonInput in = JsonInput.of(ctx, 4096).allowOnly("name");
        Optional<String> name = in.text("name", 1, 100, true).map(String::strip);
        if (name.isPresent() && name.get().isEmpty()) {
            in.reject("name", "must not be blank");
        }
        in.done();
        ctx.json(takes.renameTake(me, id, take, name.orElseThrow()));
    }

    public void deleteTake(Context ctx) {
        takes.deleteTake(Caller.signedIn(ctx), projectId(ctx), takeHandle(ctx));
        ctx.status(204);
    }

    public void takeWaveform(Context ctx) throws IOException {
        UUID id = projectId(ctx);
        String take = takeHandle(ctx);
        WaveformQuery query = waveformQuery(ctx);
        takes.takeWaveform(Caller.identity(ctx), id, take, query.samplesPerPixel(), query.bits(), query.split(),
                () -> {
                    ctx.contentType("application/json");
                    return ctx.outputStream();
                });
    }

    public void playTake(Context ctx) throws IOException {
        AudioResponses.serve(ctx, takes.storage(), takes.takeKey(Caller.identity(ctx), projectId(ctx),
                takeHandle(ctx)), null);
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
