package studio.nexus.mixdown;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import studio.nexus.db.Columns;

/**
 * All SQL of mixdowns, stems and track previews. The lookups a request makes run as the caller (row-level security decides what they
 * see; the jobs INSERT policy of V87 decides who queues); methods named "asSystem" are the jobs' own steps, called by
 * the worker inside {@code db.asSystem}. Like a render, a mixdown writes the project's {@code status} and
 * {@code processed_audio_path}, and keeps what to restore in its job's payload.
 */
final class MixdownSql {
    private final Handle handle;

    MixdownSql(Handle handle) {
        this.handle = handle;
    }

    // What a request asks before it queues (as the caller)

    /** What a request needs of a project the caller can see: its status and master bus chain. */
    record ProjectState(String status, JsonNode effectsSettings) {}

    Optional<ProjectState> project(UUID id) {
        return handle.createQuery("""
                        SELECT p.status, coalesce(p.effects_settings, '{}'::jsonb) AS effects_settings
                        FROM public.projects p WHERE p.id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new ProjectState(rs.getString("status"), Columns.json(rs, "effects_settings")))
                .findOne();
    }

    /** Whether the caller may change the project's arrangement (V84), asked only to refuse clearly. */
    boolean canEdit(UUID id) {
        return handle.createQuery("SELECT public.can_edit_project(:id) IS TRUE").bind("id", id)
                .mapTo(Boolean.class).one();
    }

    /** The clips of the project's arrangement the caller can see. */
    long clipCount(UUID project) {
        return handle.createQuery("SELECT count(*) FROM public.track_clips WHERE project_id = :p")
                .bind("p", project).mapTo(Long.class).one();
    }

    /** Every track's effects chain, top to bottom, with its name (for a refusal that names the track). */
    record TrackChain(String name, JsonNode chain) {}

    List<TrackChain> trackChains(UUID project) {
        return handle.createQuery("""
                        SELECT name, effects_chain FROM public.project_tracks WHERE project_id = :p
                        ORDER BY position, created_at""")
                .bind("p", project)
                .map((rs, ctx) -> new TrackChain(rs.getString("name"), Columns.json(rs, "effects_chain")))
                .list();
    }

    // The song a job mixes (as the system)

    /** A track as the mixer needs it; {@code volumeDb} null is −∞. */
    record TrackRow(UUID id, String name, int position, Double volumeDb, double pan, boolean muted, boolean soloed,
                    JsonNode effectsChain) {}

    /** A clip in frames at the project's rate; {@code takeKey} is its take's stored key. */
    record ClipRow(UUID trackId, String takeKey, long startFrame, long offsetFrames, long lengthFrames, double gainDb,
                   long fadeInFrames, long fadeOutFrames) {}

    /** A project's whole arrangement, read in one transaction after the project row is locked. */
    record Song(int sampleRate, JsonNode effectsSettings, Double masterVolumeDb, List<TrackRow> tracks,
                List<ClipRow> clips) {}

    /**
     * The project's arrangement. Call after a statement that locked the project row in this transaction (every change
     * of an arrangement locks it first, V85), so tracks and clips are read as one consistent state.
     */
    Optional<Song> songAsSystem(UUID project) {
        Optional<Song> facts = handle.createQuery("""
                        SELECT coalesce(p.timeline_rate, p.sample_rate, 44100) AS sample_rate,
                               coalesce(p.effects_settings, '{}'::jsonb) AS effects_settings, p.master_volume_db
                        FROM public.projects p WHERE p.id = :id""")
                .bind("id", project)
                .map((rs, ctx) -> {
                    double master = rs.getDouble("master_volume_db");
                    Double masterDb = rs.wasNull() ? null : master;
                    return new Song(rs.getInt("sample_rate"), Columns.json(rs, "effects_settings"), masterDb,
                            List.of(), List.of());
                })
                .findOne();
        if (facts.isEmpty()) {
            return Optional.empty();
        }
        List<TrackRow> tracks = handle.createQuery("""
                        SELECT t.id, t.name, t.position, t.volume_db, t.pan, t.muted, t.soloed, t.effects_chain
                        FROM public.project_tracks t WHERE t.project_id = :p ORDER BY t.position, t.created_at""")
                .bind("p", project)
                .map((rs, ctx) -> {
                    double volume = rs.getDouble("volume_db");
                    Double volumeDb = rs.wasNull() ? null : volume;
                    return new TrackRow(rs.getObject("id", UUID.class), rs.getString("name"), rs.getInt("position"),
                            volumeDb, rs.getDouble("pan"), rs.getBoolean("muted"), rs.getBoolean("soloed"),
                            Columns.json(rs, "effects_chain"));
                })
                .list();
        List<ClipRow> clips = handle.createQuery("""
                        SELECT c.track_id, c.take_key, c.start_frame, c.offset_frames, c.length_frames, c.gain_db,
                               c.fade_in_frames, c.fade_out_frames
                        FROM public.track_clips c WHERE c.project_id = :p ORDER BY c.start_frame, c.created_at, c.id""")
                .bind("p", project)
                .map((rs, ctx) -> new ClipRow(rs.getObject("track_id", UUID.class), rs.getString("take_key"),
                        rs.getLong("start_frame"), rs.getLong("offset_frames"), rs.getLong("length_frames"),
                        rs.getDouble("gain_db"), rs.getLong("fade_in_frames"), rs.getLong("fade_out_frames")))
                .list();
        return Optional.of(new Song(facts.get().sampleRate(), facts.get().effectsSettings(),
                facts.get().masterVolumeDb(), tracks, clips));
    }

    /** Locks the project row against changes of its arrangement while a stems job reads it; false when it is gone. */
    boolean lockForReadingAsSystem(UUID project) {
        return handle.createQuery("SELECT true FROM public.projects WHERE id = :id FOR SHARE")
                .bind("id", project).mapTo(Boolean.class).findOne().isPresent();
    }

    // A mixdown's hold on the project (as the system), as a render's

    /** What a mixdown replaces while it runs, put back if it gives up. */
    record Before(String status, String processedAudioPath) {}

    /** Marks a mixdown as started; answers the status and processed path it replaced (kept for a give-up). */
    Optional<Before> startMixdownAsSystem(UUID projectId) {
        return handle.createQuery("""
                        UPDATE public.projects p SET status = 'processing'
                          FROM (SELECT id, status, processed_audio_path FROM public.projects
                                 WHERE id = :id FOR UPDATE) old
                         WHERE p.id = old.id
                        RETURNING old.status, old.processed_audio_path""")
                .bind("id", projectId)
                .map((rs, ctx) -> new Before(rs.getString(1), rs.getString(2)))
                .findOne();
    }

    void rememberAsSystem(UUID jobId, String previousStatus, String previousProcessed) {
        handle.createUpdate("""
                        UPDATE public.jobs
                           SET payload = payload || jsonb_build_object('restore',
                                 jsonb_build_object('status', CAST(:status AS text), 'processed_audio_path',
                                                    CAST(:processed AS text)))
                         WHERE id = :id AND payload->'restore' IS NULL""")
                .bind("id", jobId).bind("status", previousStatus).bind("processed", previousProcessed).execute();
    }

    boolean finishMixdownAsSystem(UUID projectId, String processedKey) {
        return handle.createUpdate("""
                        UPDATE public.projects SET processed_audio_path = :key, status = 'completed'
                         WHERE id = :id""")
                .bind("id", projectId).bind("key", processedKey).execute() == 1;
    }

    void restoreAsSystem(UUID projectId, String status, String processedKey) {
        handle.createUpdate("""
                        UPDATE public.projects SET status = :status, processed_audio_path = :key
                         WHERE id = :id AND status = 'processing'""")
                .bind("id", projectId).bind("status", status).bind("key", processedKey).execute();
    }

    Optional<JsonNode> jobPayloadAsSystem(UUID jobId) {
        return handle.createQuery("SELECT payload FROM public.jobs WHERE id = :id").bind("id", jobId)
                .mapTo(JsonNode.class).findOne();
    }

    // A track's preview (as the caller: whoever sees the project reads its arrangement, V85)

    /**
     * The rate of a project's timeline and one of its tracks, as the caller sees them; {@code trackId} is null when
     * the track is not one of the project's (or not visible), {@code effectsChain} is as stored.
     */
    record PreviewTrack(int sampleRate, UUID trackId, String name, JsonNode effectsChain) {}

    /** Empty when the caller cannot see the project. */
    Optional<PreviewTrack> previewTrack(UUID project, UUID track) {
        return handle.createQuery("""
                        SELECT coalesce(p.timeline_rate, p.sample_rate, 44100) AS sample_rate, t.id, t.name,
                               t.effects_chain
                        FROM public.projects p
                        LEFT JOIN public.project_tracks t ON t.project_id = p.id AND t.id = :t
                        WHERE p.id = :p""")
                .bind("p", project).bind("t", track)
                .map((rs, ctx) -> new PreviewTrack(rs.getInt("sample_rate"), rs.getObject("id", UUID.class),
                        rs.getString("name"), Columns.json(rs, "effects_chain")))
                .findOne();
    }

    /** The track's clips in the order the mixdown reads them (a later one covers an earlier one on equal starts). */
    List<ClipRow> clipsOf(UUID project, UUID track) {
        return handle.createQuery("""
                        SELECT c.track_id, c.take_key, c.start_frame, c.offset_frames, c.length_frames, c.gain_db,
                               c.fade_in_frames, c.fade_out_frames
                        FROM public.track_clips c WHERE c.project_id = :p AND c.track_id = :t
                        ORDER BY c.start_frame, c.created_at, c.id""")
                .bind("p", project).bind("t", track)
                .map((rs, ctx) -> new ClipRow(rs.getObject("track_id", UUID.class), rs.getString("take_key"),
                        rs.getLong("start_frame"), rs.getLong("offset_frames"), rs.getLong("length_frames"),
                        rs.getDouble("gain_db"), rs.getLong("fade_in_frames"), rs.getLong("fade_out_frames")))
                .list();
    }

    // Downloads (as the caller)

    /** A job as the caller can see it (RLS on jobs). */
    record JobRow(UUID id, UUID projectId, String kind, String status, JsonNode result) {}

    Optional<JobRow> job(UUID jobId) {
        return handle.createQuery("SELECT id, project_id, kind, status, result FROM public.jobs WHERE id = :id")
                .bind("id", jobId)
                .map((rs, ctx) -> new JobRow(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class),
                        rs.getString("kind"), rs.getString("status"), Columns.json(rs, "result")))
                .findOne();
    }

    Optional<Integer> recordDownload(UUID projectId) {
        return handle.createQuery("SELECT public.record_download(:id)").bind("id", projectId)
                .mapTo(Integer.class).findOne();
    }
}
