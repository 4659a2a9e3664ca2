package studio.nexus.auth;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;

/**
 * The real {@link Authentication.LiveSessions}: asks PostgreSQL whether the token's session is still live (not
 * signed out, revoked or expired) and remembers a "yes" for {@code ttl}, so a busy client costs one database check
 * per session per few seconds instead of one per request. Only positive answers are kept; a "no" is asked again.
 *
 * <p>Bounds: a session ended through THIS server is forgotten here at once ({@link #forget}); one ended through
 * another server process (or directly in the database) is noticed here within {@code ttl}
 * ({@code STUDIO_SESSION_CACHE_SECONDS}, default 5 s, at most 10 s). At most {@link #MAX_ENTRIES} sessions are
 * remembered; when full, expired entries are swept and, if that frees nothing, the cache starts over (a burst of
 * database checks, never unbounded memory).
 *
 * <p>The check runs AS the token's user: {@code auth.session_is_live()} reads the session from the caller's own
 * claims and also records {@code last_activity} (at most once a minute). Thread-safe.
 */
public final class LiveSessionCache implements Authentication.LiveSessions {
    static final int MAX_ENTRIES = 100_000;

    private record Live(UUID userId, long untilNanos) {}

    private final Db db;
    private final long ttlNanos;
    private final Map<UUID, Live> live = new ConcurrentHashMap<>();

    public LiveSessionCache(Db db, Duration ttl) {
        this.db = db;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public boolean isLive(UUID userId, UUID sessionId) {
        long now = System.nanoTime();
        Live known = live.get(sessionId);
        if (known != null && known.userId().equals(userId) && now - known.untilNanos() < 0) {
            return true;
        }
        boolean answer = db.inOneRoundTrip(Identity.user(userId, sessionId), AuthSql.SESSION_IS_LIVE,
                Db.NO_PARAMETERS, rows -> rows.next() && rows.getBoolean(1));
        if (answer && ttlNanos > 0) {
            remember(sessionId, new Live(userId, now + ttlNanos));
        } else if (!answer) {
            live.remove(sessionId);
        }
        return answer;
    }

    /** Forgets a session ended on this server, so its tokens are refused from the next request on. */
    public void forget(UUID sessionId) {
        live.remove(sessionId);
    }

    /** Forgets every session of a user (their account was deleted). */
    public void forgetUser(UUID userId) {
        live.values().removeIf(entry -> entry.userId().equals(userId));
    }

    private void remember(UUID sessionId, Live entry) {
        if (live.size() >= MAX_ENTRIES) {
            long now = System.nanoTime();
            live.values().removeIf(old -> now - old.untilNanos() >= 0);
            if (live.size() >= MAX_ENTRIES) {
                live.clear();
            }
        }
        live.put(sessionId, entry);
    }
}
