package studio.nexus.studio;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * All SQL of the studio feature (audio, effects, renders, exports). Methods run in the caller's transaction as the
 * caller (row-level security decides) unless their name says "asSystem" work: those are called by workers and the
 * sweeper inside {@code db.asSystem}.
 */
final class StudioStore {
    private final Handle handle;

    StudioStore(Handle handle) {
        this.handle = handle;
    }

    /** What the studio needs to know of a project the caller can see. */
    record ProjectAudio(UUID id, UUID userId, String status, String originalAudioPath, String processedAudioPath,
                        JsonNode effectsSettings, int metronomeBpm, String access) {}

    Optional<ProjectAudio> find(UUID id, boolean forUpdate) {
        return handle.createQuery("""
                        SELECT p.id, p.user_id, p.status, p.original_audio_path, p.processed_audio_path,
                               p.effects_settings, coalesce(p.metronome_bpm, 120) AS metronome_bpm,
                               CASE WHEN (SELECT auth.uid()) IS NULL THEN NULL ELSE public.project_access(p.id) END
                                 AS access
                        FROM public.projects p WHERE p.id = :id""" + (forUpdate ? " FOR UPDATE" : ""))
                .bind("id", id)
                .map((rs, ctx) -> new ProjectAudio(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getString("status"), rs.getString("original_audio_path"),
                        rs.getString("processed_audio_path"),
                        ctx.findColumnMapperFor(JsonNode.class).orElseThrow().map(rs, "effects_settings", ctx),
                        rs.getInt("metronome_bpm"), rs.getString("access")))
                .findOne();
    }

    /** The caller's relation to the project (owner, admin, editor, viewer) or empty; decided by the database. */
    Optional<String> access(UUID id) {
        return handle.createQuery("SELECT public.project_access(:id)").bind("id", id).mapTo(String.class).findOne();
    }

    /** Attaches a stored original; false when RLS let no row be updated (the caller may not edit the project). */
    boolean attachOriginal(UUID id, String key, BigDecimal durationSeconds, int sampleRate, int channels) {
        // waveform_data is no longer written: peaks live in the take's peak file (see Peaks)
        return handle.createUpdate("""
                        UPDATE public.projects
                           SET original_audio_path = :key, processed_audio_path = NULL,
                               duration_seconds = :duration, sample_rate = :rate, channels = :channels,
                               waveform_data = NULL
                         WHERE id = :id""")
                .bind("id", id).bind("key", key).bind("duration", durationSeconds).bind("rate", sampleRate)
                .bind("channels", (short) channels)
                .execute() == 1;
    }

    boolean detachOriginal(UUID id) {
        return handle.createUpdate("""
                        UPDATE public.projects
                           SET original_audio_path = NULL, processed_audio_path = NULL, duration_seconds = NULL,
                               channels = NULL, waveform_data = NULL
                         WHERE id = :id""")
                .bind("id", id).execute() == 1;
    }

    boolean setEffects(UUID id, JsonNode effects) {
        return handle.createUpdate("UPDATE public.projects SET effects_settings = :effects WHERE id = :id")
                .bind("id", id).bindByType("effects", effects, JsonNode.class).execute() == 1;
    }

    /** A job of a project, as the caller can see it (RLS on jobs). */
    record ExportJob(UUID id, UUID projectId, String kind, String status, JsonNode result) {}

    Optional<ExportJob> job(UUID jobId) {
        return handle.createQuery("SELECT id, project_id, kind, status, result FROM public.jobs WHERE id = :id")
                .bind("id", jobId)
                .map((rs, ctx) -> new ExportJob(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class),
                        rs.getString("kind"), rs.getString("status"),
                        ctx.findColumnMapperFor(JsonNode.class).orElseThrow().map(rs, "result", ctx)))
                .findOne();
    }

    Optional<Integer> recordDownload(UUID projectId) {
        return handle.createQuery("SELECT public.record_download(:id)").bind("id", projectId)
                .mapTo(Integer.class).findOne();
    }

    // System work: workers and the sweeper

    /** Marks a render as started; answers the status and processed path it replaced (kept for a give-up). */
    Optional<String[]> startRenderAsSystem(UUID projectId) {
        return handle.createQuery("""
                        UPDATE public.projects p SET status = 'processing'
                          FROM (SELECT id, status, processed_audio_path FROM public.projects
                                 WHERE id = :id FOR UPDATE) old
                         WHERE p.id = old.id
                        RETURNING old.status, old.processed_audio_path""")
                .bind("id", projectId)
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .findOne();
    }

    boolean finishRenderAsSystem(UUID projectId, String processedKey) {
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

    void rememberAsSystem(UUID jobId, String previousStatus, String previousProcessed) {
        handle.createUpdate("""
                        UPDATE public.jobs
                           SET payload = payload || jsonb_build_object('restore',
                                 jsonb_build_object('status', CAST(:status AS text), 'processed_audio_path',
                                                    CAST(:processed AS text)))
                         WHERE id = :id AND payload->'restore' IS NULL""")
                .bind("id", jobId).bind("status", previousStatus).bind("processed", previousProcessed).execute();
    }

    Optional<JsonNode> jobPayloadAsSystem(UUID jobId) {
        return handle.createQuery("SELECT payload FROM public.jobs WHERE id = :id").bind("id", jobId)
                .mapTo(JsonNode.class).findOne();
    }

    /**
     * Every storage key of a project that must stay: its registered objects (charged, so referenced or about to be)
     * and, belt and braces, whatever its rows name.
     */
    List<String> referencedKeysAsSystem(UUID projectId) {
        return handle.createQuery("""
                        SELECT key FROM public.stored_objects WHERE project_id = :id
                        UNION SELECT original_audio_path FROM public.projects WHERE id = :id
                        UNION SELECT processed_audio_path FROM public.projects WHERE id = :id
                        UNION SELECT audio_file_path FROM public.project_versions WHERE project_id = :id
                        UNION SELECT processed_audio_path FROM public.project_versions WHERE project_id = :id
                        UNION SELECT result->>'key' FROM public.jobs WHERE project_id = :id""")
                .bind("id", projectId).mapTo(String.class).list();
    }

    /** Objects registered before {@code cutoff} that nothing references (their job never completed). */
    List<String> unreferencedObjectsAsSystem(java.time.Instant cutoff) {
        return handle.createQuery("""
                        SELECT o.key FROM public.stored_objects o
                        WHERE o.created_at < :cutoff AND NOT public.stored_object_referenced(o.key)""")
                .bind("cutoff", java.time.OffsetDateTime.ofInstant(cutoff, java.time.ZoneOffset.UTC))
                .mapTo(String.class).list();
    }

    void releaseAsSystem(String key) {
        handle.createQuery("SELECT 1 FROM (SELECT public.release_stored_object(:key)) released")
                .bind("key", key).mapTo(Integer.class).one();
    }

    boolean projectBusyAsSystem(UUID projectId) {
        return handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM public.jobs WHERE project_id = :id
                                                                   AND status IN ('queued', 'running'))
                            OR EXISTS (SELECT 1 FROM public.projects WHERE id = :id AND status = 'processing')""")
                .bind("id", projectId).mapTo(Boolean.class).one();
    }

    /** Locks the project row (if it still exists) so no upload or render commits while the sweeper decides. */
    void lockProjectAsSystem(UUID projectId) {
        handle.createQuery("SELECT 1 FROM public.projects WHERE id = :id FOR UPDATE").bind("id", projectId)
                .mapTo(Integer.class).findOne();
    }
}
