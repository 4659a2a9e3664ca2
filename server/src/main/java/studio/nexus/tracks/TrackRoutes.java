package studio.nexus.tracks;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import studio.nexus.db.Identity;
import studio.nexus.web.Caller;
import studio.nexus.web.IfMatch;
import studio.nexus.web.JsonInput;
import studio.nexus.web.PathIds;

/** HTTP handlers of a project's arrangement: tracks, clips, the whole document. Parse, call, answer. */
public final class TrackRoutes {
    /** Frames are whole numbers up to 2^40 (over 70 days at 192 kHz), safe in every JSON client. */
    static final long MAX_FRAMES = 1L << 40;
    private static final Pattern COLOUR = Pattern.compile("#[0-9a-f]{6}");
    /** A take's handle: its stored key's last part, within the project (no slashes, no dot first). */
    private static final Pattern TAKE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,199}");
    private static final String[] TRACK_FIELDS = {"name", "colour", "volume_db", "pan", "muted", "soloed",
            "effects_chain"};

    private final Tracks tracks;
    private final long maxBody;

    public TrackRoutes(Tracks tracks, long maxBody) {
        this.tracks = tracks;
        this.maxBody = maxBody;
    }

    private static UUID projectId(Context ctx) {
        return PathIds.uuid(ctx, "id", "Project");
    }

    private static UUID trackId(Context ctx) {
        return PathIds.uuid(ctx, "trackId", "Track");
    }

    private static UUID clipId(Context ctx) {
        return PathIds.uuid(ctx, "clipId", "Clip");
    }

    // Reading

    public void list(Context ctx) {
        ctx.json(Map.of("items", tracks.list(Caller.identity(ctx), projectId(ctx))));
    }

    public void arrangement(Context ctx) {
        ctx.json(tracks.arrangement(Caller.identity(ctx), projectId(ctx)));
    }

    // The master bus

    /** Sets the master fader: {"volume_db": −144..6, or null for −∞}. */
    public void updateMaster(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID project = projectId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("volume_db");
        if (!in.has("volume_db")) {
            in.reject("volume_db", "is required (a number from -144 to 6, or null for silence)");
        }
        Optional<Double> volume = in.number("volume_db", -144, 6, false);
        in.done();
        Map<String, Object> master = tracks.setMasterVolume(me, project, volume.orElse(null), IfMatch.of(ctx));
        IfMatch.tag(ctx, Tracks.masterTag(master));
        ctx.json(master);
    }

    // Tracks

    public void createTrack(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID project = projectId(ctx);
        Tracks.TrackChanges changes = trackChanges(JsonInput.ofOptional(ctx, maxBody));
        Track track = tracks.createTrack(me, project, changes);
        IfMatch.tag(ctx, track.tag());
        ctx.status(201).json(track);
    }

    public void updateTrack(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID project = projectId(ctx);
        UUID track = trackId(ctx);
        Tracks.TrackChanges changes = trackChanges(JsonInput.of(ctx, maxBody));
        Track updated = tracks.updateTrack(me, project, track, changes, IfMatch.of(ctx));
        IfMatch.tag(ctx, updated.tag());
        ctx.json(updated);
    }

    public void deleteTrack(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        tracks.deleteTrack(me, projectId(ctx), trackId(ctx), IfMatch.of(ctx));
        ctx.status(204);
    }

    public void reorder(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID project = projectId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("track_ids");
        Optional<List<String>> raw = in.strings("track_ids", 500, 36, 36, true);
        List<UUID> ids = new ArrayList<>();
        raw.ifPresent(list -> {
            for (String text : list) {
                try {
                    UUID id = UUID.fromString(text);
                    if (!id.toString().equalsIgnoreCase(text)) {
                        throw new IllegalArgumentException();
                    }
                    ids.add(id);
                } catch (IllegalArgumentException e) {
                    in.reject("track_ids", "must contain only track ids (UUIDs)");
                    return;
                }
            }
        });
        in.done();
        ctx.json(Map.of("items", tracks.reorder(me, project, ids)));
    }

    private static Tracks.TrackChanges trackChanges(JsonInput in) {
        in.allowOnly(TRACK_FIELDS);
        Optional<String> name = in.text("name", 1, 100, false).map(String::strip);
        if (name.isPresent() && name.get().isEmpty()) {
            in.reject("name", "must not be blank");
        }
        Optional<String> colour = in.text("colour", 7, 7, false).map(c -> c.toLowerCase(Locale.ROOT));
        if (colour.isPresent() && !COLOUR.matcher(colour.get()).matches()) {
            in.reject("colour", "must be a colour like #4f8cff");
        }
        boolean volumeGiven = in.has("volume_db");
        Optional<Double> volume = in.number("volume_db", -144, 6, false);
        Optional<Double> pan = in.number("pan", -1, 1, false);
        Optional<Boolean> muted = in.bool("muted", false);
        Optional<Boolean> soloed = in.bool("soloed", false);
        Optional<JsonNode> chain = in.value("effects_chain", 256 * 1024, false);
        if (chain.isPresent() && !chain.get().isArray()) {
            in.reject("effects_chain", "must be an array of effects");
        }
        in.done();
        return new Tracks.TrackChanges(name, colour, volumeGiven, volume.orElse(null), pan, muted, soloed, chain);
    }

    // Clips

    public void createClip(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID project = projectId(ctx);
        UUID track = trackId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("take", "start_frame", "offset_frames", "length_frames",
                "gain_db", "fade_in_frames", "fade_out_frames");
        Optional<String> take = in.text("take", 1, 200, false);
        if (take.isPresent() && !TAKE.matcher(take.get()).matches()) {
            in.reject("take", "must name a take of this project");
        }
        Optional<Long> start = frames(in, "start_frame", 0, true);
        Optional<Long> offset = frames(in, "offset_frames", 0, false);
        Optional<Long> length = frames(in, "length_frames", 1, false);
        Optional<Double> gain = in.number("gain_db", -96, 24, false);
        Optional<Long> fadeIn = frames(in, "fade_in_frames", 0, false);
        Optional<Long> fadeOut = frames(in, "fade_out_frames", 0, false);
        in.done();
        Tracks.NewClip clip = new Tracks.NewClip(take, start.orElseThrow(), offset.orElse(0L), length,
                gain.orElse(0.0), fadeIn.orElse(0L), fadeOut.orElse(0L));
        Clip made = tracks.createClip(me, project, track, clip);
        IfMatch.tag(ctx, Long.toString(made.version()));
        ctx.status(201).json(made);
    }

    public void updateClip(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID project = projectId(ctx);
        UUID track = trackId(ctx);
        UUID clip = clipId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("track_id", "start_frame", "offset_frames",
                "length_frames", "gain_db", "fade_in_frames", "fade_out_frames");
        Tracks.ClipChanges changes = new Tracks.ClipChanges(in.uuid("track_id", false),
                frames(in, "start_frame", 0, false), frames(in, "offset_frames", 0, false),
                frames(in, "length_frames", 1, false), in.number("gain_db", -96, 24, false),
                frames(in, "fade_in_frames", 0, false), frames(in, "fade_out_frames", 0, false));
        in.done();
        Clip updated = tracks.updateClip(me, project, track, clip, changes, IfMatch.of(ctx));
        IfMatch.tag(ctx, Long.toString(updated.version()));
        ctx.json(updated);
    }

    public void deleteClip(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        tracks.deleteClip(me, projectId(ctx), trackId(ctx), clipId(ctx), IfMatch.of(ctx));
        ctx.status(204);
    }

    public void split(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID project = projectId(ctx);
        UUID track = trackId(ctx);
        UUID clip = clipId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("at_frame");
        Optional<Long> at = frames(in, "at_frame", 1, true);
        in.done();
        ctx.status(201).json(tracks.split(me, project, track, clip, at.orElseThrow(), IfMatch.of(ctx)));
    }

    /** A whole number of sample frames from {@code min} to {@link #MAX_FRAMES}. */
    private static Optional<Long> frames(JsonInput in, String field, long min, boolean required) {
        Optional<JsonNode> node = in.value(field, 64, required);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        JsonNode value = node.get();
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min
                || value.longValue() > MAX_FRAMES) {
            in.reject(field, "must be a whole number of sample frames from " + min + " to " + MAX_FRAMES);
            return Optional.empty();
        }
        return Optional.of(value.longValue());
    }
}
