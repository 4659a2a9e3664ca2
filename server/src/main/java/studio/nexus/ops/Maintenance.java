package studio.nexus.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.core.Scheduler;
import studio.nexus.db.Db;

/**
 * Periodic housekeeping every server process runs, as the system. Each task is idempotent and serialises itself
 * in the database, so any number of processes may run it. A failing task is logged and retried next period.
 *
 * <p>Tasks: make the analytics partitions of the coming months; drop analytics partitions older than the retention
 * (whole months before the current one); prune rate-limit windows that have ended.
 */
public final class Maintenance {
    private static final Logger log = LoggerFactory.getLogger(Maintenance.class);
    static final int ANALYTICS_MONTHS_AHEAD = 3;
    /** Rate-limit windows are a minute long; anything older than this is history nobody reads. */
    static final Duration RATE_LIMIT_KEEP = Duration.ofMinutes(10);

    private final Db db;
    private final int retentionMonths;
    private final Clock clock;

    /** What one round did: partitions created and dropped, rate-limit rows pruned. */
    public record Outcome(int partitionsCreated, java.util.List<String> partitionsDropped, int rateLimitRowsPruned) {}

    public Maintenance(Db db, int retentionMonths, Clock clock) {
        this.db = db;
        this.retentionMonths = retentionMonths;
        this.clock = clock;
    }

    /** Every task each {@code period}; rate-limit rows also every few minutes (they pile up fastest). */
    public void start(Scheduler scheduler, Duration period) {
        scheduler.every("maintenance", Duration.ZERO, period, this::runOnce);
        scheduler.every("rate-limit pruning", Duration.ofMinutes(5), Duration.ofMinutes(5),
                () -> pruneRateLimits(clock.instant()));
    }

    /** One round of every task, now. */
    public Outcome runOnce() {
        return runOnce(clock.instant());
    }

    /** One round of every task as if it were {@code now} (tests pick the moment). */
    public Outcome runOnce(Instant now) {
        int created = 0;
        java.util.List<String> dropped = java.util.List.of();
        try {
            created = db.asSystem(handle -> new MaintenanceSql(handle)
                    .ensureAnalyticsPartitions(ANALYTICS_MONTHS_AHEAD, now));
            if (created > 0) {
                log.info("created {} analytics partition(s) ahead", created);
            }
        } catch (RuntimeException e) {
            log.warn("analytics partition maintenance failed; retrying next period", e);
        }
        try {
            Instant cutoff = now.atOffset(ZoneOffset.UTC).minusMonths(retentionMonths).toInstant();
            String[] names = db.asSystem(handle -> new MaintenanceSql(handle).dropAnalyticsPartitionsBefore(cutoff));
            dropped = Arrays.asList(names);
            if (!dropped.isEmpty()) {
                log.info("dropped analytics partition(s) past retention of {} months: {}", retentionMonths, dropped);
            }
        } catch (RuntimeException e) {
            log.warn("analytics retention failed; retrying next period", e);
        }
        return new Outcome(created, dropped, pruneRateLimits(now));
    }

    private int pruneRateLimits(Instant now) {
        try {
            return db.asSystem(handle -> new MaintenanceSql(handle).pruneRateLimits(now.minus(RATE_LIMIT_KEEP)));
        } catch (RuntimeException e) {
            log.warn("rate-limit pruning failed; retrying next period", e);
            return 0;
        }
    }
}
