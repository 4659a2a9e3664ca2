package studio.nexus.storage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** All SQL of the storage sweep. Runs as the system, inside {@code db.asSystem}. */
final class StorageSweepSql {
    private final Handle handle;

    StorageSweepSql(Handle handle) {
        this.handle = handle;
    }

    /**
     * Every storage key of a project that must stay: its registered objects (charged, so referenced or about to be)
     * and, belt and braces, whatever its rows name.
     */
    List<String> referencedKeys(UUID projectId) {
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
    List<String> unreferencedObjects(Instant cutoff) {
        return handle.createQuery("""
                        SELECT o.key FROM public.stored_objects o
                        WHERE o.created_at < :cutoff AND NOT public.stored_object_referenced(o.key)""")
                .bind("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
                .mapTo(String.class).list();
    }

    void release(String key) {
        handle.createQuery("SELECT 1 FROM (SELECT public.release_stored_object(:key)) released")
                .bind("key", key).mapTo(Integer.class).one();
    }

    boolean projectBusy(UUID projectId) {
        return handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM public.jobs WHERE project_id = :id
                                                                   AND status IN ('queued', 'running'))
                            OR EXISTS (SELECT 1 FROM public.projects WHERE id = :id AND status = 'processing')""")
                .bind("id", projectId).mapTo(Boolean.class).one();
    }

    /** Locks the project row (if it still exists) so no upload or render commits while the sweeper decides. */
    void lockProject(UUID projectId) {
        handle.createQuery("SELECT 1 FROM public.projects WHERE id = :id FOR UPDATE").bind("id", projectId)
                .mapTo(Integer.class).findOne();
    }
}
