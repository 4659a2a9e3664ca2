package studio.nexus.web;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of the shared request counters ({@code rate_limit_counters}), run as the system. Old windows are
 * deleted by housekeeping ({@code ops.MaintenanceSql}).
 */
public final class RateLimitSql {
    private final Handle handle;

    public RateLimitSql(Handle handle) {
        this.handle = handle;
    }

    /** A bucket's total hits in the current window, after adding this process's pending ones. */
    record Hit(String bucket, int hits) {}

    /** Adds each bucket's pending hits in one statement and answers the totals. */
    List<Hit> add(Instant windowStart, String[] buckets, Integer[] hits) {
        return handle.createQuery("""
                        INSERT INTO public.rate_limit_counters AS c (bucket, window_start, hits)
                        SELECT b.bucket, :window, b.hits
                          FROM unnest(CAST(:buckets AS text[]), CAST(:hits AS int[])) AS b(bucket, hits)
                        ON CONFLICT (bucket, window_start) DO UPDATE SET hits = c.hits + EXCLUDED.hits
                        RETURNING c.bucket, c.hits""")
                .bind("window", Timestamp.from(windowStart))
                .bind("buckets", buckets)
                .bind("hits", hits)
                .map((rs, c) -> new Hit(rs.getString(1), rs.getInt(2)))
                .list();
    }
}
