package studio.nexus.exports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** All SQL of exports. Runs as whoever the handle runs as: the caller (row-level security decides) or the worker. */
final class ExportSql {
    private final Handle handle;

    ExportSql(Handle handle) {
        this.handle = handle;
    }

    /** The audio an export may read of a project. */
    record ExportSource(String originalAudioPath, String processedAudioPath) {
        String path(boolean processed) {
            return processed ? processedAudioPath : originalAudioPath;
        }
    }

    Optional<ExportSource> find(UUID id) {
        return handle.createQuery("""
                        SELECT p.original_audio_path, p.processed_audio_path
                        FROM public.projects p WHERE p.id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new ExportSource(rs.getString("original_audio_path"),
                        rs.getString("processed_audio_path")))
                .findOne();
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
}
