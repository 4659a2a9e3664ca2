package studio.nexus.transformations;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

    /** One sweep; answers how many transformations expired. */
    public int sweep() {
        var now = clock.instant();
        List<TransformationSql.Expired> due = db.asSystem(handle -> new TransformationSql(handle)
                .expiredOutputs(now));
        int count = 0;
        for (TransformationSql.Expired e : due) {
            try {
                List<String> keys = new java.util.ArrayList<>(e.partPaths());
                keys.addAll(java.util.Arrays.asList(e.outputAudioPath(), e.outputMidiPath(), e.providerOutputPath()));
                for (String key : keys) {
                    if (key != null) {
                        storage.delete(key);
                    }
                }
            } catch (IOException failure) {
                log.warn("could not delete the output of transformation {}; retrying next sweep", e.id(), failure);
                continue;
            }
            count += db.asSystem(handle -> new TransformationSql(handle).markExpired(e.id(), now));
        }
        db.asSystem(handle -> new TransformationSql(handle).forgetWebhookDeliveries(now.minus(Duration.ofDays(1))));
        if (count > 0) {
            log.info("expired the output of {} transformation(s)", count);
        }
        return count;
    }
}
