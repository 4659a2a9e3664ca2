package studio.nexus.tracks;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import studio.nexus.db.Columns;

/**
 * All SQL of a project's tracks and clips. Runs in the caller's transaction as the caller: row-level security decides
 * what is seen and changed (V85). A clip's take is shown as its handle, the stored key without the project's prefix.
 */
final class TrackSql {
    private static final String TRACK_COLUMNS = """
            t.id, t.project_id, t.name, t.position, t.colour, t.volume_db, t.pan, t.muted, t.soloed, t.effects_chain,
            t.created_at, t.updated_at, t.version, t.chain_version""";
    private static final String CLIP_COLUMNS = """
            c.id, c.track_id, substr(c.take_key, length('projects/' || c.project_id::text || '/') + 1) AS take,
            c.start_frame, c.offset_frames, c.length_frames, c.gain_db, c.fade_in_frames, c.fade_out_frames,
            c.created_at, c.updated_at, c.version""";

    private final Handle handle;

    TrackSql(Handle handle) {
        this.handle = handle;
    }

    /** What the arrangement needs of a project the caller can see. */
    record ProjectFacts(int sampleRate, int bpm, int beatsPerBar, JsonNode effectsSettings, String takeKey,
                        BigDecimal durationSeconds, Double masterVolumeDb, long chainVersion, long masterVersion) {}

    Optional<ProjectFacts> project(UUID id) {
        return handle.createQuery("""
                        SELECT coalesce(p.timeline_rate, p.sample_rate, 44100) AS sample_rate, coalesce(p.metronome_bpm, 120) AS bpm,
                               -- the metronome's setting (any JSON a client stored): a bar of 1–16 beats, else 4
                               CASE WHEN jsonb_typeof(p.project_settings->'metronome'->'beats_per_bar') = 'number'
                                    THEN CASE WHEN (p.project_settings->'metronome'->>'beats_per_bar')::numeric
                                                   BETWEEN 1 AND 16
                                              THEN round((p.project_settings->'metronome'->>'beats_per_bar')::numeric)
                                                   ::integer
                                              ELSE 4 END
                                    ELSE 4 END AS beats_per_bar,
                               coalesce(p.effects_settings, '{}'::jsonb) AS effects_settings,
                               p.original_audio_path, p.duration_seconds, p.master_volume_db, p.chain_version,
                               p.master_version
                        FROM public.projects p WHERE p.id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> {
                    double master = rs.getDouble("master_volume_db");
                    Double masterDb = rs.wasNull() ? null : master;
                    return new ProjectFacts(rs.getInt("sample_rate"), rs.getInt("bpm"),
                            rs.getInt("beats_per_bar"), Columns.json(rs, "effects_settings"),
                            rs.getString("original_audio_path"), rs.getBigDecimal("duration_seconds"), masterDb,
                            rs.getLong("chain_version"), rs.getLong("master_version"));
                })
                .findOne();
    }

    /** Sets the master fader (null = −∞); the project's UPDATE policies decide (V91). */
    void setMasterVolume(UUID project, Double volumeDb) {
        handle.createUpdate("UPDATE public.projects SET master_volume_db = :v WHERE id = :id")
                .bind("id", project).bind("v", volumeDb).execute();
    }

    /**
     * A take of the project's pool and its length in the timeline's frames (rounded up, as the database checks a
     * clip against it); 0 when its length is unknown (audio stored before lengths were kept).
     */
    Optional<Long> takeFrames(UUID project, String key) {
        return handle.createQuery("""
                        SELECT coalesce(ceil(t.duration_seconds * coalesce(p.timeline_rate, p.sample_rate, 44100)), 0)::bigint
                          FROM public.project_takes t JOIN public.projects p ON p.id = t.project_id
                         WHERE t.project_id = :project AND t.key = :key""")
                .bind("project", project).bind("key", key).mapTo(Long.class).findOne();
    }

    long firstStartOf(UUID project, String takeKey) {
        return handle.createQuery("""
                        SELECT coalesce(min(start_frame), 0) FROM public.track_clips
                         WHERE project_id = :project AND take_key = :key""")
                .bind("project", project).bind("key", takeKey).mapTo(Long.class).one();
    }

    /**
     * Locks the project for a change of its arrangement; false when the caller may not change it (a row the caller
     * may not update is not locked: the policies answer). Edits of one project's arrangement queue here.
     */
    boolean lockProject(UUID id) {
        return handle.createQuery("SELECT true FROM public.projects p WHERE p.id = :id FOR NO KEY UPDATE")
                .bind("id", id).mapTo(Boolean.class).findOne().isPresent();
    }

    List<Track> tracks(UUID project) {
        return handle.createQuery("SELECT " + TRACK_COLUMNS + """
                         \s FROM public.project_tracks t WHERE t.project_id = :p ORDER BY t.position, t.created_at""")
                .bind("p", project).map((rs, ctx) -> track(rs, List.of())).list();
    }

    Optional<Track> track(UUID project, UUID trackId) {
        return handle.createQuery("SELECT " + TRACK_COLUMNS + """
                         \s FROM public.project_tracks t WHERE t.project_id = :p AND t.id = :t""")
                .bind("p", project).bind("t", trackId).map((rs, ctx) -> track(rs, List.of())).findOne();
    }

    List<Clip> clips(UUID project) {
        return handle.createQuery("SELECT " + CLIP_COLUMNS + """
                         \s FROM public.track_clips c WHERE c.project_id = :p ORDER BY c.start_frame, c.created_at""")
                .bind("p", project).map((rs, ctx) -> clip(rs)).list();
    }

    List<Clip> clipsOf(UUID project, UUID trackId) {
        return handle.createQuery("SELECT " + CLIP_COLUMNS + """
                         \s FROM public.track_clips c WHERE c.project_id = :p AND c.track_id = :t
                         ORDER BY c.start_frame, c.created_at""")
                .bind("p", project).bind("t", trackId).map((rs, ctx) -> clip(rs)).list();
    }

    Optional<Clip> clip(UUID project, UUID trackId, UUID clipId) {
        return handle.createQuery("SELECT " + CLIP_COLUMNS + """
                         \s FROM public.track_clips c WHERE c.project_id = :p AND c.track_id = :t AND c.id = :c
                         FOR UPDATE""")
                .bind("p", project).bind("t", trackId).bind("c", clipId).map((rs, ctx) -> clip(rs)).findOne();
    }

    int trackCount(UUID project) {
        return handle.createQuery("SELECT count(*) FROM public.project_tracks WHERE project_id = :p")
                .bind("p", project).mapTo(Integer.class).one();
    }

    UUID insertTrack(UUID project, int position, Tracks.TrackFields f) {
        return handle.createQuery("""
                        INSERT INTO public.project_tracks (project_id, name, position, colour, volume_db, pan, muted,
                                                           soloed, effects_chain)
                        VALUES (:p, :name, :position, :colour, :volume, :pan, :muted, :soloed, :chain)
                        RETURNING id""")
                .bind("p", project).bind("name", f.name()).bind("position", position).bind("colour", f.colour())
                .bind("volume", f.volumeDb()).bind("pan", f.pan()).bind("muted", f.muted())
                .bind("soloed", f.soloed()).bindByType("chain", f.effectsChain(), JsonNode.class)
                .mapTo(UUID.class).one();
    }

    void updateTrack(UUID trackId, Tracks.TrackFields f) {
        handle.createUpdate("""
                        UPDATE public.project_tracks
                           SET name = :name, colour = :colour, volume_db = :volume, pan = :pan, muted = :muted,
                               soloed = :soloed, effects_chain = :chain
                         WHERE id = :t""")
                .bind("t", trackId).bind("name", f.name()).bind("colour", f.colour())
                .bind("volume", f.volumeDb()).bind("pan", f.pan()).bind("muted", f.muted())
                .bind("soloed", f.soloed()).bindByType("chain", f.effectsChain(), JsonNode.class)
                .execute();
    }

    boolean deleteTrack(UUID project, UUID trackId) {
        return handle.createUpdate("DELETE FROM public.project_tracks WHERE project_id = :p AND id = :t")
                .bind("p", project).bind("t", trackId).execute() == 1;
    }

    /** Numbers the project's tracks 0, 1, 2… in their current order (after a removal leaves a gap). */
    void closeGaps(UUID project) {
        handle.createUpdate("""
                        UPDATE public.project_tracks t SET position = r.n - 1
                          FROM (SELECT id, row_number() OVER (ORDER BY position, created_at) AS n
                                  FROM public.project_tracks WHERE project_id = :p) r
                         WHERE t.id = r.id AND t.position <> r.n - 1""")
                .bind("p", project).execute();
    }

    /** Places the tracks in the order of {@code ids} (every track of the project, once). */
    void reorder(UUID project, List<UUID> ids) {
        handle.createUpdate("""
                        UPDATE public.project_tracks t SET position = o.n - 1
                          FROM unnest(:ids) WITH ORDINALITY AS o(id, n)
                         WHERE t.id = o.id AND t.project_id = :p AND t.position <> o.n - 1""")
                .bind("p", project).bindArray("ids", UUID.class, ids).execute();
    }

    UUID insertClip(UUID project, UUID trackId, String takeKey, Clip c) {
        return handle.createQuery("""
                        INSERT INTO public.track_clips (track_id, project_id, take_key, start_frame, offset_frames,
                                                        length_frames, gain_db, fade_in_frames, fade_out_frames)
                        VALUES (:t, :p, :key, :start, :offset, :length, :gain, :fadeIn, :fadeOut)
                        RETURNING id""")
                .bind("t", trackId).bind("p", project).bind("key", takeKey).bind("start", c.startFrame())
                .bind("offset", c.offsetFrames()).bind("length", c.lengthFrames()).bind("gain", c.gainDb())
                .bind("fadeIn", c.fadeInFrames()).bind("fadeOut", c.fadeOutFrames())
                .mapTo(UUID.class).one();
    }

    void updateClip(Clip c) {
        handle.createUpdate("""
                        UPDATE public.track_clips
                           SET track_id = :t, start_frame = :start, offset_frames = :offset, length_frames = :length,
                               gain_db = :gain, fade_in_frames = :fadeIn, fade_out_frames = :fadeOut
                         WHERE id = :c""")
                .bind("c", c.id()).bind("t", c.trackId()).bind("start", c.startFrame())
                .bind("offset", c.offsetFrames()).bind("length", c.lengthFrames()).bind("gain", c.gainDb())
                .bind("fadeIn", c.fadeInFrames()).bind("fadeOut", c.fadeOutFrames())
                .execute();
    }

    /** The stored key of a clip's take (the API shows only its handle). */
    String takeKey(UUID clipId) {
        return handle.createQuery("SELECT take_key FROM public.track_clips WHERE id = :c")
                .bind("c", clipId).mapTo(String.class).one();
    }

    boolean deleteClip(UUID clipId) {
        return handle.createUpdate("DELETE FROM public.track_clips WHERE id = :c").bind("c", clipId).execute() == 1;
    }

    private static Track track(ResultSet rs, List<Clip> clips) throws SQLException {
        double volume = rs.getDouble("volume_db");
        Double volumeDb = rs.wasNull() ? null : volume;
        return new Track(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class),
                rs.getString("name"), rs.getInt("position"), rs.getString("colour"), volumeDb, rs.getDouble("pan"),
                rs.getBoolean("muted"), rs.getBoolean("soloed"), Columns.json(rs, "effects_chain"),
                Columns.instant(rs, "created_at"), Columns.instant(rs, "updated_at"), rs.getLong("version"),
                rs.getLong("chain_version"), clips);
    }

    private static Clip clip(ResultSet rs) throws SQLException {
        return new Clip(rs.getObject("id", UUID.class), rs.getObject("track_id", UUID.class), rs.getString("take"),
                rs.getLong("start_frame"), rs.getLong("offset_frames"), rs.getLong("length_frames"),
                rs.getDouble("gain_db"), rs.getLong("fade_in_frames"), rs.getLong("fade_out_frames"),
                Columns.instant(rs, "created_at"), Columns.instant(rs, "updated_at"), rs.getLong("version"));
    }
}
