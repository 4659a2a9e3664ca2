package studio.nexus.transformations;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.core.Scheduler;
import studio.nexus.db.Db;
import studio.nexus.storage.Storage;

/**
 * Deletes transformation outputs past {@code expires_at} (7 days after completion): the files go, the row stays
 * with {@code output_audio_path} NULL and {@code expired_at} set (the audio endpoint then answers 410). Also prunes
 * remembered webhook ids older than a day. Runs as the system on the server's {@link Scheduler}. Thread-safe.
 */
public final class TransformationSweeper {
    private static final Logger log = LoggerFactory.getLogger(TransformationSweeper.class);

    private final Db db;
    private final Storage storage;
    private final Clock clock;

    public TransformationSweeper(Db db, Storage storage, Clock clock) {
        this.db = db;
        this.storage = storage;
        this.clock = clock;
    }

    /** Sweeps every {@code period}, the first time a second after the start. */
    public void start(Scheduler scheduler, Duration period) {
        scheduler.every("transformation sweep", Duration.ofSeconds(1), period, this::sweep);
    }

    private record Expired(UUID id, String outputAudioPath, String outputMidiPath, String providerOutputPath) {}

    /** One sweep; answers how many transformations expired. */
    public int sweep() {
        var now = clock.instant();
        List<Expired> due = db.asSystem(handle -> handle.createQuery("""
                        SELECT id, output_audio_path, output_midi_path, provider_output_path
                        FROM public.ai_transformations
                        WHERE expires_at <= :now AND output_audio_path IS NOT NULL AND expired_at IS NULL
                        ORDER BY expires_at LIMIT 500""")
                .bind("now", now)
                .map((rs, ctx) -> new Expired(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4))).list());
        int count = 0;
        for (Expired e : due) {
            try {
                for (String key : new String[] {e.outputAudioPath(), e.outputMidiPath(), e.providerOutputPath()}) {
                    if (key != null) {
                        storage.delete(key);
                    }
                }
            } catch (IOException failure) {
                log.warn("could not delete the output of transformation {}; retrying next sweep", e.id(), failure);
                continue;
            }
            count += db.asSystem(handle -> handle.createUpdate("""
                            UPDATE public.ai_transformations SET output_audio_path = NULL, output_midi_path = NULL,
                                   provider_output_path = NULL, expired_at = :now
                            WHERE id = :id AND expired_at IS NULL""")
                    .bind("id", e.id()).bind("now", now).execute());
        }
        db.asSystem(handle -> handle.createUpdate(
                        "DELETE FROM public.webhook_deliveries WHERE received_at < :cutoff")
                .bind("cutoff", now.minus(Duration.ofDays(1))).execute());
        if (count > 0) {
            log.info("expired the output of {} transformation(s)", count);
        }
        return count;
    }
}
