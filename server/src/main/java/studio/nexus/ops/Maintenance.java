package studio.nexus.ops;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.db.Db;

/**
 * Periodic housekeeping every server process runs, as the system. Each task is idempotent and serialises itself
 * in the database, so any number of processes may run it. A failing task is logged and retried next period.
 */
public final class Maintenance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Maintenance.class);
    static final int ANALYTICS_MONTHS_AHEAD = 3;

    private final Db db;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "maintenance");
        thread.setDaemon(true);
        return thread;
    });

    public Maintenance(Db db) {
        this.db = db;
    }

    public void start(Duration period) {
        scheduler.scheduleWithFixedDelay(this::runOnce, 0, period.toSeconds(), TimeUnit.SECONDS);
    }

    /** One round of every task. */
    public void runOnce() {
        try {
            int created = db.asSystem(handle -> handle.createQuery(
                    "SELECT public.ensure_analytics_partitions(:ahead)").bind("ahead", ANALYTICS_MONTHS_AHEAD)
                    .mapTo(Integer.class).one());
            if (created > 0) {
                log.info("created {} analytics partition(s) ahead", created);
            }
        } catch (RuntimeException e) {
            log.warn("analytics partition maintenance failed; retrying next period", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
