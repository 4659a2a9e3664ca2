package studio.nexus.auth;

import studio.nexus.core.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import studio.nexus.db.Db;

/**
 * At most {@code STUDIO_SIGNUPS_PER_HOUR_PER_CLIENT} sign-ups per client network ({@code auth.client_network()}:
 * the address, or its /64 for IPv6) in any hour, exactly: under an advisory lock per network the last hour is
 * counted and, if there is room, the attempt is written, in one short transaction before the password is hashed.
 * Every sign-up that passes validation counts, one that then finds its email or username taken included, so the
 * limit also bounds probing for registered emails. 0 turns it off. Thread-safe.
 */
public final class SignUpLimit {
    static final Duration WINDOW = Duration.ofHours(1);
    /** Enough for a family or a small class behind one address; a script gets 20 accounts an hour, not 93 in 10 s. */
    public static final int DEFAULT_PER_HOUR = 20;
    private static final long PRUNE_EVERY_MILLIS = 60_000;

    private final Db db;
    private final int perHour;
    private final AtomicLong lastPrune = new AtomicLong();

    public SignUpLimit(Db db, int perHour) {
        this.db = db;
        this.perHour = perHour;
    }

    /** Counts one sign-up from this address, or throws 429 with Retry-After when its network has had its hour's. */
    public void reserve(String ip) {
        if (perHour == 0) {
            return;
        }
        long wait = db.asSystem(handle -> {
            AuthSql sql = new AuthSql(handle);
            sql.lockSignUps(ip);
            Optional<Instant> usedAt = sql.signUpBudgetUsedAt(ip, WINDOW.toSeconds(), perHour);
            if (usedAt.isPresent()) {
                long millis = Duration.between(sql.now(), usedAt.get().plus(WINDOW)).toMillis();
                return Math.max(1, (millis + 999) / 1000);
            }
            sql.reserveSignUp(ip);
            long now = System.currentTimeMillis();
            long last = lastPrune.get();
            if (now - last >= PRUNE_EVERY_MILLIS && lastPrune.compareAndSet(last, now)) {
                sql.pruneSignUps();
            }
            return 0L;
        });
        if (wait > 0) {
            throw Failure.tooManyRequests("Too many sign-ups from your network (" + perHour
                    + " an hour); try again in " + SignInThrottle.inWords(wait), wait);
        }
    }
}
