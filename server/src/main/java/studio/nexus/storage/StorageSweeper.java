package studio.nexus.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.core.Scheduler;
import studio.nexus.db.Db;

/**
 * Releases registered objects that nothing referenced within the grace period (a job stored and registered its
 * output, then lost its lease), then deletes files under {@code projects/<id>/} that are not registered objects and
 * that nothing refers to any more: not the project's original or processed audio, not any of its versions, not any
 * job's result (renders, exports), nor the peak file of any of those ({@code <key>.peaks}). A project with a queued or
 * running job, or in 'processing', is skipped entirely; objects younger than the grace period are kept (an upload
 * stores its file a moment before the transaction that attaches it commits). Each project is decided while its row
 * is locked, so no upload or render attaches a key in between. Runs as the system. Thread-safe.
 */
public final class StorageSweeper {
    private static final Logger log = LoggerFactory.getLogger(StorageSweeper.class);

    private final Db db;
    private final Storage storage;
    private final Duration grace;
    private final Clock clock;

    public StorageSweeper(Db db, Storage storage, Duration grace, Clock clock) {
        this.db = db;
        this.storage = storage;
        this.grace = grace;
        this.clock = clock;
    }

    /** Sweeps every {@code period}, the first time one period after the start. */
    public void start(Scheduler scheduler, Duration period) {
        scheduler.every("storage sweep", period, period, () -> {
            try {
                runOnce();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** One sweep; answers the keys deleted. */
    public List<String> runOnce() throws IOException {
        Instant registeredBefore = clock.instant().minus(grace);
        List<String> orphans = db.asSystem(handle -> new StorageSweepSql(handle).unreferencedObjects(registeredBefore));
        for (String orphan : orphans) {
            db.asSystem(handle -> {
                new StorageSweepSql(handle).release(orphan);
                return null;
            });
        }
        Map<UUID, List<String>> byProject = new LinkedHashMap<>();
        for (String key : storage.list("projects/")) {
            String[] parts = key.split("/");
            if (parts.length < 3) {
                continue;
            }
            try {
                byProject.computeIfAbsent(UUID.fromString(parts[1]), id -> new ArrayList<>()).add(key);
            } catch (IllegalArgumentException e) {
                // not a project directory this server made
            }
        }
        Instant cutoff = clock.instant().minus(grace);
        List<String> deleted = new ArrayList<>();
        for (Map.Entry<UUID, List<String>> entry : byProject.entrySet()) {
            UUID project = entry.getKey();
            deleted.addAll(db.asSystem(handle -> {
                StorageSweepSql sql = new StorageSweepSql(handle);
                sql.lockProject(project);
                if (sql.projectBusy(project)) {
                    return List.<String>of();
                }
                Set<String> referenced = new HashSet<>();
                for (String key : sql.referencedKeys(project)) {
                    if (key != null) {
                        referenced.add(key);
                        // a take's peak file lives exactly as long as the take (StorageKeys.peaksOf)
                        referenced.add(key + StorageKeys.PEAKS_SUFFIX);
                    }
                }
                List<String> gone = new ArrayList<>();
                for (String key : entry.getValue()) {
                    if (referenced.contains(key)) {
                        continue;
                    }
                    try {
                        var object = storage.stat(key);
                        if (object.isPresent() && object.get().modified().isBefore(cutoff) && storage.delete(key)) {
                            gone.add(key);
                        }
                    } catch (IOException e) {
                        log.warn("could not delete unreferenced {}", key, e);
                    }
                }
                return gone;
            }));
        }
        if (!deleted.isEmpty()) {
            log.info("storage sweep deleted {} unreferenced object(s)", deleted.size());
        }
        return deleted;
    }
}
