package studio.nexus.ops;

import java.sql.Timestamp;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** All SQL of periodic housekeeping. Runs as the system; each call serialises itself in the database. */
final class MaintenanceSql {
    private final Handle handle;

    MaintenanceSql(Handle handle) {
        this.handle = handle;
    }

    /** Makes the analytics partitions of the {@code ahead} months from {@code from}; answers how many were new. */
    int ensureAnalyticsPartitions(int ahead, Instant from) {
        return handle.createQuery("SELECT public.ensure_analytics_partitions(:ahead, :from)")
                .bind("ahead", ahead)
                .bind("from", Timestamp.from(from))
                .mapTo(Integer.class).one();
    }

    /** Drops analytics partitions wholly before {@code cutoff}; answers their names. */
    String[] dropAnalyticsPartitionsBefore(Instant cutoff) {
        return handle.createQuery("SELECT public.drop_analytics_partitions_before(:cutoff)")
                .bind("cutoff", Timestamp.from(cutoff))
                .mapTo(String[].class).one();
    }

    /** Deletes rate-limit windows that started before {@code before}; answers how many. */
    int pruneRateLimits(Instant before) {
        return handle.createUpdate("DELETE FROM public.rate_limit_counters WHERE window_start < :before")
                .bind("before", Timestamp.from(before))
                .execute();
    }
}
