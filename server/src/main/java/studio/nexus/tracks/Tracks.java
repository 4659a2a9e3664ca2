package studio.nexus.tracks;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import studio.nexus.core.Expected;
import studio.nexus.core.Failure;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.SqlStates;
import studio.nexus.effects.Effects;

/**
 * A project's arrangement: tracks (mixer strip and effects chain) and the clips that place takes on them, counted in
 * sample frames at the project's rate so that moves, trims and splits are exact. Every step runs as the caller, so
 * the policies of V85 decide who sees and who changes; this class turns "nothing happened" into not found or
 * forbidden, keeps positions without gaps, and checks what a row alone cannot (fades within the clip's length, a
 * split inside the clip). Thread-safe.
 */
public final class Tracks {
    private static final String FORBIDDEN = "Only the project's owner and editors change its arrangement";

    private final Db db;

    public Tracks(Db db) {
        this.db = db;
    }

    /** A track's settings: on create, what was not given takes its default; on change, what was not given stays. */
    public record TrackFields(String name, String colour, Double volumeDb, double pan, boolean muted, boolean soloed,
                              JsonNode effectsChain) {}

    /** What a request changes of a track; {@code volumeGiven} tells a fader set to −∞ (null) from one left alone. */
    public record TrackChanges(Optional<String> name, Optional<String> colour, boolean volumeGiven, Double volumeDb,
                               Optional<Double> pan, Optional<Boolean> muted, Optional<Boolean> soloed,
                               Optional<JsonNode> effectsChain) {
        /** Whether it changes the track's settings or mixer strip (the part {@code version} covers). */
        boolean changesSettings() {
            return name.isPresent() || colour.isPresent() || volumeGiven || pan.isPresent() || muted.isPresent()
                    || soloed.isPresent();
        }

        TrackFields applyTo(TrackFields f) {
            return new TrackFields(name.orElse(f.name()), colour.orElse(f.colour()),
                    volumeGiven ? volumeDb : f.volumeDb(), pan.orElse(f.pan()), muted.orElse(f.muted()),
                    soloed.orElse(f.soloed()), effectsChain.map(c -> Effects.validChain(c, "effects_chain"))
                            .orElse(f.effectsChain()));
        }
    }

    /** A new clip: a take (its handle; empty = the project's current take) and where and how it plays. */
    public record NewClip(Optional<String> take, long startFrame, long offsetFrames, Optional<Long> lengthFrames,
                          double gainDb, long fadeInFrames, long fadeOutFrames) {}

    /** What a request changes of a clip: a move (to another track too), a trim, its gain, its fades. */
    public record ClipChanges(Optional<UUID> trackId, Optional<Long> startFrame, Optional<Long> offsetFrames,
                              Optional<Long> lengthFrames, Optional<Double> gainDb, Optional<Long> fadeInFrames,
                              Optional<Long> fadeOutFrames) {}

    /** The whole arrangement in one document: the grid, the master bus chain, and every track with its clips. */
    public record Arrangement(UUID projectId, int sampleRate, int bpm, int beatsPerBar, Map<String, Object> master,
                              List<Track> tracks) {}

    /** A split clip: the part before the split point (the same clip, shortened) and the new one after it. */
    public record Split(Clip left, Clip right) {}

    // Reading

    public List<Track> list(Identity who, UUID project) {
        return db.as(who, handle -> {
            TrackSql sql = new TrackSql(handle);
            sql.project(project).orElseThrow(() -> Failure.notFound("Project"));
            return withClips(sql, project);
        });
    }

    public Arrangement arrangement(Identity who, UUID project) {
        return db.as(who, handle -> {
            TrackSql sql = new TrackSql(handle);
            TrackSql.ProjectFacts facts = sql.project(project).orElseThrow(() -> Failure.notFound("Project"));
            return new Arrangement(project, facts.sampleRate(), facts.bpm(), facts.beatsPerBar(), master(facts),
                    withClips(sql, project));
        });
    }

    /**
     * The master bus: the project's effects chain and its version, then its fader ({@code volume_db}, null = −∞) and
     * the fader's version, which is the entity tag of {@code PATCH …/arrangement/master}.
     */
    private static Map<String, Object> master(TrackSql.ProjectFacts facts) {
        Map<String, Object> master = new LinkedHashMap<>();
        master.put("effects_chain", Effects.chainOf(facts.effectsSettings()));
        master.put("chain_version", facts.chainVersion());
        master.put("volume_db", facts.masterVolumeDb());
        master.put("version", facts.masterVersion());
        return master;
    }

    /** The entity tag of the master fader. */
    public static String masterTag(Map<String, Object> master) {
        return String.valueOf(master.get("version"));
    }

    /**
     * Sets the master fader of the song to {@code volumeDb} (−144..+6 dB, null = −∞), as the caller: owners and
     * editors (403 for a viewer, 404 for one who cannot see the project). Answers the master bus as the arrangement
     * shows it.
     */
    public Map<String, Object> setMasterVolume(Identity who, UUID project, Double volumeDb, Expected expected) {
        if (volumeDb != null && (volumeDb.isNaN() || volumeDb < -144 || volumeDb > 6)) {
            throw Failure.validation("volume_db", "must be a number from -144 to 6, or null for silence");
        }
        return edit(who, project, sql -> {
            Map<String, Object> before = master(sql.project(project).orElseThrow());
            expected.require("The master fader", masterTag(before), () -> before);
            sql.setMasterVolume(project, volumeDb);
            return master(sql.project(project).orElseThrow());
        });
    }

    private static List<Track> withClips(TrackSql sql, UUID project) {
        List<Clip> clips = sql.clips(project);
        return sql.tracks(project).stream().map(t -> t.withClips(clips)).toList();
    }

    // Tracks

    public Track createTrack(Identity who, UUID project, TrackChanges changes) {
        return edit(who, project, sql -> {
            int count = sql.trackCount(project);
            TrackFields fields = changes.applyTo(new TrackFields("Track " + (count + 1), "#4f8cff", 0.0, 0, false,
                    false, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()));
            UUID id = sql.insertTrack(project, count, fields);
            return sql.track(project, id).orElseThrow().withClips(List.of());
        });
    }

    /**
     * Adds a track named {@code name} below the others with one clip playing the whole of the pool's take
     * {@code takeKey} from {@code startFrame}, in the caller's transaction (the policies decide). For other features
     * (an AI result kept as tracks), so that tracks' rows are written here. Answers the new track with its clip.
     */
    public static Track addTrackPlaying(Handle handle, UUID project, String name, String colour, String takeKey,
                                        long startFrame) {
        TrackSql sql = new TrackSql(handle);
        int count = sql.trackCount(project);
        UUID id = sql.insertTrack(project, count, new TrackFields(name, colour, 0.0, 0, false, false,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()));
        long frames = sql.takeFrames(project, takeKey).filter(f -> f > 0)
                .orElseThrow(() -> new IllegalStateException("the take " + takeKey + " is not in the pool"));
        sql.insertClip(project, id, takeKey, new Clip(null, id, null, startFrame, 0, frames, 0, 0, 0, null, null, 0));
        return sql.track(project, id).orElseThrow().withClips(sql.clipsOf(project, id));
    }

    /** Where the clips playing {@code takeKey} start first on the timeline (0 when none plays it). */
    public static long firstStartOf(Handle handle, UUID project, String takeKey) {
        return new TrackSql(handle).firstStartOf(project, takeKey);
    }

    public Track updateTrack(Identity who, UUID project, UUID trackId, TrackChanges changes, Expected expected) {
        return edit(who, project, sql -> {
            Track track = sql.track(project, trackId).orElseThrow(() -> Failure.notFound("Track"));
            requireTrack(sql, project, track, expected, changes.changesSettings(), changes.effectsChain().isPresent());
            sql.updateTrack(trackId, changes.applyTo(new TrackFields(track.name(), track.colour(), track.volumeDb(),
                    track.pan(), track.muted(), track.soloed(), track.effectsChain())));
            return sql.track(project, trackId).orElseThrow().withClips(sql.clipsOf(project, trackId));
        });
    }

    /** Removes a track with its clips; the takes they played stay stored while anything else uses them. */
    public void deleteTrack(Identity who, UUID project, UUID trackId, Expected expected) {
        edit(who, project, sql -> {
            Track track = sql.track(project, trackId).orElseThrow(() -> Failure.notFound("Track"));
            requireTrack(sql, project, track, expected, true, true);
            if (!sql.deleteTrack(project, trackId)) {
                throw Failure.notFound("Track");
            }
            sql.closeGaps(project);
            return null;
        });
    }

    /** Puts the tracks in this order; {@code ids} must name every track of the project exactly once. */
    public List<Track> reorder(Identity who, UUID project, List<UUID> ids) {
        return edit(who, project, sql -> {
            List<Track> tracks = sql.tracks(project);
            var known = new HashSet<UUID>();
            tracks.forEach(t -> known.add(t.id()));
            if (new HashSet<>(ids).size() != ids.size() || ids.size() != tracks.size() || !known.containsAll(ids)) {
                throw Failure.validation("track_ids", "must list every track of the project exactly once ("
                        + tracks.size() + " tracks)");
            }
            sql.reorder(project, ids);
            return withClips(sql, project);
        });
    }

    // Clips

    public Clip createClip(Identity who, UUID project, UUID trackId, NewClip clip) {
        return clipWork(who, project, sql -> {
            TrackSql.ProjectFacts facts = sql.project(project).orElseThrow(() -> Failure.notFound("Project"));
            sql.track(project, trackId).orElseThrow(() -> Failure.notFound("Track"));
            String key;
            long length;
            if (clip.take().isPresent()) {
                key = "projects/" + project + "/" + clip.take().get();
                long takeFrames = sql.takeFrames(project, key)
                        .orElseThrow(() -> Failure.validation("take", "is not a take of this project"));
                length = clip.lengthFrames().orElseGet(() -> takeFrames - clip.offsetFrames());
                if (length <= 0) {
                    throw Failure.validation("offset_frames", "must fall inside the take (" + takeFrames
                            + " frames)");
                }
            } else {
                if (facts.takeKey() == null) {
                    throw Failure.conflict("no_audio", "This project has no take yet; name one or upload one");
                }
                key = facts.takeKey();
                length = clip.lengthFrames().orElseGet(() -> framesOf(facts) - clip.offsetFrames());
                if (length <= 0) {
                    throw Failure.validation("offset_frames", "must fall inside the take ("
                            + framesOf(facts) + " frames)");
                }
            }
            Clip made = new Clip(null, trackId, null, clip.startFrame(), clip.offsetFrames(), length, clip.gainDb(),
                    clip.fadeInFrames(), clip.fadeOutFrames(), null, null, 0);
            checkFades(made);
            UUID id = sql.insertClip(project, trackId, key, made);
            return sql.clip(project, trackId, id).orElseThrow();
        });
    }

    public Clip updateClip(Identity who, UUID project, UUID trackId, UUID clipId, ClipChanges changes,
                           Expected expected) {
        return clipWork(who, project, sql -> {
            Clip clip = sql.clip(project, trackId, clipId).orElseThrow(() -> Failure.notFound("Clip"));
            expected.require("The clip", String.valueOf(clip.version()), () -> clip);
            UUID target = changes.trackId().orElse(trackId);
            if (!target.equals(trackId) && sql.track(project, target).isEmpty()) {
                throw Failure.validation("track_id", "is not a track of this project");
            }
            Clip changed = clip.with(target, changes.startFrame().orElse(clip.startFrame()),
                    changes.offsetFrames().orElse(clip.offsetFrames()),
                    changes.lengthFrames().orElse(clip.lengthFrames()), changes.gainDb().orElse(clip.gainDb()),
                    changes.fadeInFrames().orElse(clip.fadeInFrames()),
                    changes.fadeOutFrames().orElse(clip.fadeOutFrames()));
            checkFades(changed);
            sql.updateClip(changed);
            return sql.clip(project, target, clipId).orElseThrow();
        });
    }

    public void deleteClip(Identity who, UUID project, UUID trackId, UUID clipId, Expected expected) {
        edit(who, project, sql -> {
            Clip clip = sql.clip(project, trackId, clipId).orElseThrow(() -> Failure.notFound("Clip"));
            expected.require("The clip", String.valueOf(clip.version()), () -> clip);
            sql.deleteClip(clipId);
            return null;
        });
    }

    /**
     * Splits a clip at {@code atFrame} of the timeline into two that play exactly what it played: the first keeps
     * its id, start and fade in and ends at the split; the second starts there, {@code atFrame - start} further into
     * the take, and keeps the fade out. No frame is lost or doubled.
     */
    public Split split(Identity who, UUID project, UUID trackId, UUID clipId, long atFrame, Expected expected) {
        return clipWork(who, project, sql -> {
            Clip clip = sql.clip(project, trackId, clipId).orElseThrow(() -> Failure.notFound("Clip"));
            expected.require("The clip", String.valueOf(clip.version()), () -> clip);
            if (atFrame <= clip.startFrame() || atFrame >= clip.endFrame()) {
                throw Failure.validation("at_frame", "must fall inside the clip: after frame " + clip.startFrame()
                        + " and before frame " + clip.endFrame());
            }
            long leftLength = atFrame - clip.startFrame();
            long rightLength = clip.lengthFrames() - leftLength;
            Clip left = clip.with(trackId, clip.startFrame(), clip.offsetFrames(), leftLength, clip.gainDb(),
                    Math.min(clip.fadeInFrames(), leftLength), 0);
            Clip right = clip.with(trackId, atFrame, clip.offsetFrames() + leftLength, rightLength, clip.gainDb(),
                    0, Math.min(clip.fadeOutFrames(), rightLength));
            sql.updateClip(left);
            UUID rightId = sql.insertClip(project, trackId, sql.takeKey(clipId), right);
            return new Split(sql.clip(project, trackId, clipId).orElseThrow(),
                    sql.clip(project, trackId, rightId).orElseThrow());
        });
    }

    /**
     * Refuses a change of {@code track} made against an older reading of the part it changes: a tag passes when its
     * settings version matches (if the change touches settings or the mixer strip) and its chain version matches (if
     * it touches the chain), so a fader move and a chain edit by two people both go through.
     */
    private static void requireTrack(TrackSql sql, UUID project, Track track, Expected expected, boolean settings,
                                     boolean chain) {
        expected.requireParts("The track", track.version(), track.chainVersion(), settings, chain,
                () -> track.withClips(sql.clipsOf(project, track.id())));
    }

    private static void checkFades(Clip clip) {
        if (clip.fadeInFrames() + clip.fadeOutFrames() > clip.lengthFrames()) {
            throw Failure.validation("fade_out_frames", "fade in and fade out together must fit in the clip's "
                    + clip.lengthFrames() + " frames (got " + clip.fadeInFrames() + " + " + clip.fadeOutFrames() + ")");
        }
    }

    /** The project's take in its own frames: its length is known to the millisecond, so rounded up (as in V85). */
    private static long framesOf(TrackSql.ProjectFacts facts) {
        if (facts.durationSeconds() == null) {
            return 0;
        }
        return facts.durationSeconds().multiply(BigDecimal.valueOf(facts.sampleRate()))
                .setScale(0, RoundingMode.CEILING).longValueExact();
    }

    // Transactions

    /** Runs a change of the arrangement as the caller, after locking the project (404 unseen, 403 seen only). */
    private <T> T edit(Identity who, UUID project, Function<TrackSql, T> work) {
        return SqlStates.onRefusal(() -> db.as(who, handle -> {
            TrackSql sql = new TrackSql(handle);
            if (!sql.lockProject(project)) {
                throw sql.project(project).isPresent() ? Failure.forbidden(FORBIDDEN) : Failure.notFound("Project");
            }
            return work.apply(sql);
        }), () -> Failure.forbidden(FORBIDDEN));
    }

    /** A change of clips, where the database's checks of a take (V85) are answered as invalid fields. */
    private <T> T clipWork(Identity who, UUID project, Function<TrackSql, T> work) {
        try {
            return edit(who, project, work);
        } catch (Failure e) {
            throw e;
        } catch (RuntimeException e) {
            String hint = SqlStates.hint(e);
            if ("unregistered_object".equals(hint) || SqlStates.violatesConstraint(e, "track_clips_take_in_pool")) {
                throw Failure.validation("take", "is not a take of this project");
            }
            if ("clip_beyond_take".equals(hint)) {
                throw Failure.validation("length_frames", serverMessage(e));
            }
            throw e;
        }
    }

    private static String serverMessage(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.postgresql.util.PSQLException psql && psql.getServerErrorMessage() != null) {
                return psql.getServerErrorMessage().getMessage();
            }
        }
        return "reaches past the end of its take";
    }
}
