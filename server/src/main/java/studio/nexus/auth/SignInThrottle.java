package studio.nexus.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import studio.nexus.db.Db;
import studio.nexus.web.ApiException;

/**
 * Slows down and then refuses password guessing, per account and per client address, from failures recorded in
 * PostgreSQL (so every server process sees the same counts). Checked before the password is, so a refused attempt
 * costs no bcrypt; keyed by the email as typed, so an address that has no account is throttled exactly like one
 * that has (the 429 reveals nothing).
 *
 * <p>Within a {@link #WINDOW} of 15 minutes:
 * <ul>
 *   <li>an account's first {@link #ACCOUNT_FREE_FAILURES} failures cost nothing; after that each attempt must wait
 *       2, 4, 8, 16, 32 s after the previous failure; from {@link #ACCOUNT_LOCK_FAILURES} failures on it is refused
 *       until the oldest failure leaves the window;</li>
 *   <li>an address with {@link #IP_LOCK_FAILURES} failures (any accounts) is refused until its oldest leaves.</li>
 * </ul>
 * A success clears the account's failures. Checks and records are separate transactions (bcrypt runs between
 * them, holding no connection), so a burst of concurrent guesses may each pass the check: the limits bound a
 * sustained attack, not the first parallel burst. Thread-safe.
 */
public final class SignInThrottle {
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int ACCOUNT_FREE_FAILURES = 5;
    static final int ACCOUNT_LOCK_FAILURES = 10;
    static final int IP_LOCK_FAILURES = 30;
    private static final long PRUNE_EVERY_MILLIS = 60_000;

    private final Db db;
    private final AtomicLong lastPrune = new AtomicLong();

    public SignInThrottle(Db db) {
        this.db = db;
    }

    /** Throws 429 with Retry-After when this account or address must wait. */
    public void check(String email, String ip) {
        AuthSql.FailureCounts counts = db.asSystem(handle ->
                handle.attach(AuthSql.class).failures(email, ip, WINDOW.toSeconds()));
        long wait = secondsToWait(counts);
        if (wait > 0) {
            throw ApiException.tooManyRequests("Too many failed sign-ins; try again in " + wait + " s", wait);
        }
    }

    static long secondsToWait(AuthSql.FailureCounts counts) {
        Instant now = counts.now();
        long wait = 0;
        if (counts.accountFailures() >= ACCOUNT_LOCK_FAILURES) {
            wait = until(counts.accountFirst().plus(WINDOW), now);
        } else if (counts.accountFailures() >= ACCOUNT_FREE_FAILURES) {
            long spacing = 1L << (counts.accountFailures() - ACCOUNT_FREE_FAILURES + 1);
            wait = until(counts.accountLast().plusSeconds(spacing), now);
        }
        if (counts.ipFailures() >= IP_LOCK_FAILURES) {
            wait = Math.max(wait, until(counts.ipFirst().plus(WINDOW), now));
        }
        return wait;
    }

    private static long until(Instant then, Instant now) {
        long millis = Duration.between(now, then).toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }

    /** Records a failure (as the system) and, at most once a minute per process, prunes day-old rows. */
    public void recordFailure(String email, String ip) {
        db.asSystem(handle -> {
            AuthSql sql = handle.attach(AuthSql.class);
            sql.recordFailure(email, ip);
            pruneNowAndThen(sql);
            return null;
        });
    }

    /** In the successful sign-in's own transaction. */
    void forget(Handle handle, String email) {
        AuthSql sql = handle.attach(AuthSql.class);
        sql.forgetFailures(email);
        pruneNowAndThen(sql);
    }

    /** Old failures and long-ended sessions go, at most once a minute per process (as the system). */
    private void pruneNowAndThen(AuthSql sql) {
        long now = System.currentTimeMillis();
        long last = lastPrune.get();
        if (now - last >= PRUNE_EVERY_MILLIS && lastPrune.compareAndSet(last, now)) {
            sql.pruneFailures();
            sql.pruneSessions();
        }
    }
}
