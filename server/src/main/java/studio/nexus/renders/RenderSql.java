package studio.nexus.renders;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * All SQL of renders. The lookup runs as whoever the handle runs as (row-level security decides); methods named
 * "asSystem" are the render job's own steps, called by the worker inside {@code db.asSystem}.
 */
final class RenderSql {
    private final Handle handle;

    RenderSql(Handle handle) {
        this.handle = handle;
    }

    /** What a render reads of a project. */
    record RenderSource(String status, String originalAudioPath, JsonNode effectsSettings, int metronomeBpm) {}

    Optional<RenderSource> find(UUID id) {
        return handle.createQuery("""
                        SELECT p.status, p.original_audio_path, p.effects_settings,
                               coalesce(p.metronome_bpm, 120) AS metronome_bpm
                        FROM public.projects p WHERE p.id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new RenderSource(rs.getString("status"), rs.getString("original_audio_path"),
                        ctx.findColumnMapperFor(JsonNode.class).orElseThrow().map(rs, "effects_settings", ctx),
                        rs.getInt("metronome_bpm")))
                .findOne();
    }

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
}
