package studio.nexus.metronome;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** All SQL of the metronome: a project's tempo, as the caller can see it. */
final class MetronomeSql {
    private final Handle handle;

    MetronomeSql(Handle handle) {
        this.handle = handle;
    }

    /** The project's tempo (120 when none was set), or empty when the caller cannot see the project. */
    Optional<Integer> projectBpm(UUID id) {
        return handle.createQuery("SELECT coalesce(metronome_bpm, 120) FROM public.projects WHERE id = :id")
                .bind("id", id).mapTo(Integer.class).findOne();
    }
}
