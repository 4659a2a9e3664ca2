package studio.nexus.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import studio.nexus.Config;
import studio.nexus.db.Db;

/**
 * Fixed-window rate limits shared by every server process: one counter row per (bucket, minute) in PostgreSQL,
 * bumped for all of a request's buckets by one {@code INSERT … ON CONFLICT DO UPDATE … RETURNING} as the system.
 * A request over any of its limits is answered 429 with {@code Retry-After} (the seconds left in the window).
 *
 * <p>Cheap in front, exact enough behind: each process counts hits locally and adds them to the shared row in one
 * statement every {@link #syncEvery 2 % of the limit} hits or every 200 ms, whichever comes first, deciding from the
 * database's last total plus its own hits since. Limits under 100 a minute therefore sync on every request
 * (exact); above that, N processes together may let through up to about N × 2 % of a limit (plus 200 ms of
 * traffic) more than the limit. A hot bucket (one client hammering) thus costs the database a few statements a
 * second instead of one row-locked update per request, which serialised every request of that client.
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
    /** The longest this process keeps hits to itself before telling the database. */
    static final long SYNC_NANOS = 200_000_000L;

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

    /**
     * This process's view of one bucket in the current window: the total the database last answered and the hits
     * counted here since. Guarded by its own monitor.
     */
    private static final class LocalCount {
        long window = Long.MIN_VALUE;
        int databaseTotal;
        int pending;
        long lastSyncNanos;
        boolean syncing;
    }

    private final ConcurrentHashMap<String, LocalCount> local = new ConcurrentHashMap<>();

    /** How many hits this process may count before telling the database: 2 % of the limit (1 for small limits). */
    static int syncEvery(int limit) {
        return Math.max(1, limit / 50);
    }

    /** A {@code before} handler for {@code /api/v1/*}; must run after authentication. */
    public void check(Context ctx) {
        List<Bucket> buckets = bucketsOf(ctx);
        if (buckets.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long nowMillis = clock.millis();
        long windowStart = nowMillis - Math.floorMod(nowMillis, WINDOW_MILLIS);
        if (local.size() > 50_000) {
            local.values().removeIf(count -> count.window < windowStart);
        }
        int size = buckets.size();
        LocalCount[] counts = new LocalCount[size];
        int[] estimates = new int[size];
        int[] flush = new int[size];
        int flushing = 0;
        for (int i = 0; i < size; i++) {
            Bucket bucket = buckets.get(i);
            LocalCount count = local.computeIfAbsent(bucket.key(), key -> new LocalCount());
            counts[i] = count;
            synchronized (count) {
                if (count.window != windowStart) {
                    count.window = windowStart;
                    count.databaseTotal = 0;
                    count.pending = 0;
                    count.lastSyncNanos = started - SYNC_NANOS;
                    count.syncing = false;
                }
                count.pending++;
                estimates[i] = count.databaseTotal + count.pending;
                if (!count.syncing && (count.pending >= syncEvery(bucket.limit())
                        || started - count.lastSyncNanos >= SYNC_NANOS)) {
                    flush[i] = count.pending;
                    count.pending = 0;
                    count.syncing = true;
                    flushing++;
                }
            }
        }
        if (flushing > 0) {
            sync(buckets, counts, flush, estimates, flushing, windowStart);
        }
        timer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        for (int i = 0; i < size; i++) {
            Bucket bucket = buckets.get(i);
            if (estimates[i] > bucket.limit()) {
                long retryAfter = Math.max(1, (windowStart + WINDOW_MILLIS - nowMillis + 999) / 1000);
                throw ApiException.tooManyRequests("Too many requests (" + bucket.limit() + " a minute for "
                        + kindOf(bucket.key()) + "); try again in " + retryAfter + " s", retryAfter);
            }
        }
    }

    /** Adds this process's pending hits to the shared counters in one statement and learns the totals. */
    private void sync(List<Bucket> buckets, LocalCount[] counts, int[] flush, int[] estimates, int flushing,
                      long windowStart) {
        String[] keys = new String[flushing];
        Integer[] hits = new Integer[flushing];
        for (int i = 0, j = 0; i < buckets.size(); i++) {
            if (flush[i] > 0) {
                keys[j] = buckets.get(i).key();
                hits[j++] = flush[i];
            }
        }
        List<RateLimitSql.Hit> totals;
        try {
            totals = db.asSystem(handle -> new RateLimitSql(handle).add(Instant.ofEpochMilli(windowStart), keys, hits));
        } catch (RuntimeException e) {
            for (int i = 0; i < buckets.size(); i++) {
                if (flush[i] > 0) {
                    synchronized (counts[i]) {
                        if (counts[i].window == windowStart) {
                            counts[i].pending += flush[i];
                        }
                        counts[i].syncing = false;
                    }
                }
            }
            throw e;
        }
        long now = System.nanoTime();
        for (RateLimitSql.Hit total : totals) {
            for (int i = 0; i < buckets.size(); i++) {
                if (flush[i] > 0 && buckets.get(i).key().equals(total.bucket())) {
                    synchronized (counts[i]) {
                        if (counts[i].window == windowStart) {
                            counts[i].databaseTotal = total.hits();
                            counts[i].lastSyncNanos = now;
                            estimates[i] = Math.max(estimates[i], total.hits() + counts[i].pending);
                        }
                        counts[i].syncing = false;
                    }
                }
            }
        }
    }


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
