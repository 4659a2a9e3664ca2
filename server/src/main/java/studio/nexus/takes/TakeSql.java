package studio.nexus.takes;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * All SQL of a project's takes: the pool (project_takes, V86) and the project's own take (its original audio). Runs
 * in the caller's transaction as the caller: row-level security decides what is seen and changed. A take is shown
 * by its handle, the stored key without the project's prefix (as clips name it).
 */
final class TakeSql {
    private final Handle handle;

    TakeSql(Handle handle) {
        this.handle = handle;
    }

    /** What takes need to know of a project the caller can see. */
    record ProjectTake(String status, String originalAudioPath, String processedAudioPath) {}

    /** The project, if the caller can see it; {@code forUpdate} locks it (and sees only rows the caller may update). */
    Optional<ProjectTake> find(UUID id, boolean forUpdate) {
        return handle.createQuery("""
                        SELECT p.status, p.original_audio_path, p.processed_audio_path
                        FROM public.projects p WHERE p.id = :id""" + (forUpdate ? " FOR UPDATE" : ""))
                .bind("id", id)
                .map((rs, ctx) -> new ProjectTake(rs.getString("status"), rs.getString("original_audio_path"),
                        rs.getString("processed_audio_path")))
                .findOne();
    }

    /** Whether the caller may change the project's audio (owner, admin, editor, or an administrator). */
    boolean mayEdit(UUID id) {
        return handle.createQuery("""
                        SELECT coalesce(public.project_access(:id) IN ('owner', 'admin', 'editor'), false)
                            OR public.is_admin()""")
                .bind("id", id).mapTo(Boolean.class).one();
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

    /** The megabytes the musician's stored audio takes, as their profile counts it. */
    long storageUsedMb(UUID userId) {
        return handle.createQuery("SELECT storage_used_mb FROM public.profiles WHERE id = :me")
                .bind("me", userId).mapTo(Long.class).findOne().orElse(0L);
    }

    // The pool

    private static final String TAKE_COLUMNS = """
            substr(t.key, length('projects/' || t.project_id::text || '/') + 1) AS take, t.key, t.name,
            t.uploaded_by, t.duration_seconds, t.sample_rate, t.channels, t.created_at,
            (SELECT count(*) FROM public.track_clips c WHERE c.take_key = t.key) AS clips""";

    List<Take> takes(UUID project) {
        return handle.createQuery("SELECT " + TAKE_COLUMNS + """

                         FROM public.project_takes t WHERE t.project_id = :project
                        ORDER BY t.created_at, t.key""")
                .bind("project", project).map((rs, ctx) -> take(rs)).list();
    }

    Optional<Take> take(UUID project, String key) {
        return handle.createQuery("SELECT " + TAKE_COLUMNS + """

                         FROM public.project_takes t WHERE t.project_id = :project AND t.key = :key""")
                .bind("project", project).bind("key", key).map((rs, ctx) -> take(rs)).findOne();
    }

    /** How many takes the project's pool holds (to name the next one). */
    int takeCount(UUID project) {
        return handle.createQuery("SELECT count(*) FROM public.project_takes WHERE project_id = :project")
                .bind("project", project).mapTo(Integer.class).one();
    }

    /** Adds a stored, registered object to the pool as brought by {@code uploadedBy} (the policies check both). */
    void addTake(UUID project, String key, String name, UUID uploadedBy) {
        handle.createUpdate("""
                        INSERT INTO public.project_takes (key, project_id, name, uploaded_by)
                        VALUES (:key, :project, :name, :by)""")
                .bind("key", key).bind("project", project).bind("name", name).bind("by", uploadedBy).execute();
    }

    boolean renameTake(UUID project, String key, String name) {
        return handle.createUpdate("UPDATE public.project_takes SET name = :name WHERE project_id = :project AND key = :key")
                .bind("project", project).bind("key", key).bind("name", name).execute() == 1;
    }

    boolean deleteTake(UUID project, String key) {
        return handle.createUpdate("DELETE FROM public.project_takes WHERE project_id = :project AND key = :key")
                .bind("project", project).bind("key", key).execute() == 1;
    }

    private static Take take(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Take(rs.getString("take"), rs.getString("name"), rs.getObject("uploaded_by", UUID.class),
                rs.getBigDecimal("duration_seconds"), (Integer) rs.getObject("sample_rate"),
                rs.getObject("channels") == null ? null : rs.getInt("channels"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getInt("clips"), rs.getString("key"));
    }
}
