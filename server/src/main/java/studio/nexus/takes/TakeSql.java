package studio.nexus.takes;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * All SQL of a project's take (its original audio). Runs in the caller's transaction as the caller: row-level
 * security decides what is seen and changed.
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
}
