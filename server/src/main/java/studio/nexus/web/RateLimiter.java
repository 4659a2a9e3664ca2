package studio.nexus.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import studio.nexus.Config;
import studio.nexus.db.Db;

/**
 * Fixed-window rate limits shared by every server process: one counter row per (bucket, minute) in PostgreSQL,
 * bumped for all of a request's buckets by one {@code INSERT … ON CONFLICT DO UPDATE … RETURNING} as the system.
 * A request over any of its limits is answered 429 with {@code Retry-After} (the seconds left in the window).
 *
 * <p>Buckets of a request to {@code /api/v1/*}:
 * <ul>
 *   <li>anonymous: {@code anon:<ip>} ({@link Config.RateLimits#anonPerMinute()});</li>
 *   <li>any method but GET/HEAD/OPTIONS: {@code write:<user or ip>} ({@link Config.RateLimits#writesPerMinute()});</li>
 *   <li>{@code POST /api/v1/events}: {@code events:<user or ip>}; {@code POST /api/v1/errors}:
 *       {@code errors:<user or ip>} (tighter limits).</li>
 * </ul>
 * A limit of 0 turns its bucket off; a request with no bucket costs nothing (signed-in reads). Fixed windows let a
 * client send up to twice a limit across a window boundary; that is the price of one row per bucket and minute.
 * The address is the connection's remote address: behind a proxy every client shares the proxy's bucket.
 * Rejected requests count too, so a client that keeps hammering stays refused until the window ends. Thread-safe.
 */
public final class RateLimiter {
    static final long WINDOW_MILLIS = 60_000;
    private static final String BUMP = """
            INSERT INTO public.rate_limit_counters AS c (bucket, window_start, hits)
            SELECT b, :window, 1 FROM unnest(:buckets) AS b
            ON CONFLICT (bucket, window_start) DO UPDATE SET hits = c.hits + 1
            RETURNING c.bucket, c.hits""";

    private final Db db;
    private final Config.RateLimits limits;
    private final Clock clock;
    private final Function<Context, Optional<UUID>> caller;
    private final Timer timer;

    public RateLimiter(Db db, Config.RateLimits limits, Clock clock, Function<Context, Optional<UUID>> caller,
                       MeterRegistry metrics) {
        this.db = db;
        this.limits = limits;
        this.clock = clock;
        this.caller = caller;
        this.timer = Timer.builder("rate_limit_check").description("Time spent counting a request against its limits")
                .register(metrics);
    }

    private record Bucket(String key, int limit) {}

    /** A {@code before} handler for {@code /api/v1/*}; must run after authentication. */
    public void check(Context ctx) {
        List<Bucket> buckets = bucketsOf(ctx);
        if (buckets.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long nowMillis = clock.millis();
        long windowStart = nowMillis - Math.floorMod(nowMillis, WINDOW_MILLIS);
        String[] keys = buckets.stream().map(Bucket::key).toArray(String[]::new);
        List<Hit> hits = db.asSystem(handle -> handle.createQuery(BUMP)
                .bind("window", Timestamp.from(Instant.ofEpochMilli(windowStart)))
                .bind("buckets", keys)
                .map((rs, c) -> new Hit(rs.getString(1), rs.getInt(2)))
                .list());
        timer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        for (Hit hit : hits) {
            for (Bucket bucket : buckets) {
                if (bucket.key().equals(hit.bucket()) && hit.hits() > bucket.limit()) {
                    long retryAfter = Math.max(1, (windowStart + WINDOW_MILLIS - nowMillis + 999) / 1000);
                    throw ApiException.tooManyRequests("Too many requests (" + bucket.limit() + " a minute for "
                            + kindOf(bucket.key()) + "); try again in " + retryAfter + " s", retryAfter);
                }
            }
        }
    }

    private record Hit(String bucket, int hits) {}

    private List<Bucket> bucketsOf(Context ctx) {
        Optional<UUID> user = caller.apply(ctx);
        String who = user.map(id -> "user:" + id).orElseGet(() -> "ip:" + ctx.ip());
        List<Bucket> buckets = new ArrayList<>(3);
        if (user.isEmpty()) {
            add(buckets, "anon:" + who, limits.anonPerMinute());
        }
        HandlerType method = ctx.method();
        boolean write = method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
        if (write) {
            add(buckets, "write:" + who, limits.writesPerMinute());
            if (method == HandlerType.POST) {
                String path = ctx.path();
                if (path.equals("/api/v1/events") || path.equals("/api/v1/events/")) {
                    add(buckets, "events:" + who, limits.eventsPerMinute());
                } else if (path.equals("/api/v1/errors") || path.equals("/api/v1/errors/")) {
                    add(buckets, "errors:" + who, limits.errorsPerMinute());
                }
            }
        }
        return buckets;
    }

    private static void add(List<Bucket> buckets, String key, int limit) {
        if (limit > 0) {
            buckets.add(new Bucket(key, limit));
        }
    }

    private static String kindOf(String key) {
        return switch (key.substring(0, key.indexOf(':'))) {
            case "anon" -> "anonymous requests";
            case "write" -> "changes";
            case "events" -> "event batches";
            case "errors" -> "error reports";
            default -> "requests";
        };
    }
}
