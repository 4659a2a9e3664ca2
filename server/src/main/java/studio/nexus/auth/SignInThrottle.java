package studio.nexus.auth;

import studio.nexus.core.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import studio.nexus.db.Db;

/**
 * Limits password guessing per account <em>and</em> client, so that an attacker cannot lock the owner out, and
 * exactly, whatever the concurrency and however many server processes share the database.
 *
 * <p>Budgets, each over the last {@link #WINDOW 15 minutes}; a client is its address's network
 * ({@code auth.client_network()}: the address, or its /64 for IPv6):
 * <ul>
 *   <li>{@link #PER_CLIENT} attempts per (account, client). An attacker who uses them up is refused on that
 *       account; the owner, from anywhere else, is not.</li>
 *   <li>{@link #PER_ACCOUNT} attempts per account from all clients together. Past it the account is under attack
 *       from many clients: it is not locked, but each client's budget on it drops to {@link #PER_CLIENT_UNDER_ATTACK},
 *       so every further guess costs the attacker a fresh network, while the owner (whose network has no failures)
 *       still gets in.</li>
 *   <li>{@link #PER_NETWORK} attempts per client across all accounts (a password spray).</li>
 * </ul>
 * An attempt is reserved before its password is checked: under an advisory lock per account, then per network, the
 * budgets are counted and, if none is used up, a row is written, all in one short transaction; refused attempts
 * write nothing and cost no bcrypt. A right password deletes the client's rows for that account (its reservation
 * with them); a wrong one leaves its row as the failure. Keyed by the email as typed, so an email with no account
 * is throttled exactly like one with an account (the 429 reveals nothing). Thread-safe.
 */
public final class SignInThrottle {
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int PER_CLIENT = 10;
    static final int PER_ACCOUNT = 100;
    static final int PER_CLIENT_UNDER_ATTACK = 3;
    static final int PER_NETWORK = 30;
    private static final long PRUNE_EVERY_MILLIS = 60_000;

    private final Db db;
    private final AtomicLong lastPrune = new AtomicLong();

    public SignInThrottle(Db db) {
        this.db = db;
    }

    /**
     * Reserves one attempt of this client on this account, or throws 429 with Retry-After when a budget is used up.
     * The reservation counts as a failure until {@link #succeeded} removes it.
     */
    public void reserve(String email, String ip) {
        long wait = db.asSystem(handle -> {
            AuthSql sql = new AuthSql(handle);
            sql.lockSignIn(email, ip);
            AuthSql.SignInAttempts attempts = sql.signInAttempts(email, ip, WINDOW.toSeconds(), PER_ACCOUNT,
                    PER_CLIENT, PER_CLIENT_UNDER_ATTACK, PER_NETWORK);
            long seconds = secondsToWait(attempts);
            if (seconds == 0) {
                sql.reserveSignIn(email, ip);
                pruneNowAndThen(sql);
            }
            return seconds;
        });
        if (wait > 0) {
            throw Failure.tooManyRequests("Too many failed sign-ins; try again in " + inWords(wait), wait);
        }
    }

    /** How long until a budget frees up again; 0 when the attempt may go ahead. */
    static long secondsToWait(AuthSql.SignInAttempts attempts) {
        Instant clientBudgetUsedAt = attempts.accountAttempts() >= PER_ACCOUNT
                ? attempts.clientUnderAttackBudgetUsedAt() : attempts.clientBudgetUsedAt();
        long wait = freedAfter(clientBudgetUsedAt, attempts.now());
        return Math.max(wait, freedAfter(attempts.networkBudgetUsedAt(), attempts.now()));
    }

    /** "45 s", "14 minutes": what a person reads in the 429's detail (Retry-After has the exact seconds). */
    static String inWords(long seconds) {
        return seconds <= 90 ? seconds + " s" : ((seconds + 59) / 60) + " minutes";
    }

    /** A budget used up by the attempt at {@code usedAt} frees up when that attempt leaves the window. */
    private static long freedAfter(Instant usedAt, Instant now) {
        if (usedAt == null) {
            return 0;
        }
        long millis = Duration.between(now, usedAt.plus(WINDOW)).toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }

    /** In the successful sign-in's own transaction: this client's attempts on the account no longer count. */
    void succeeded(Handle handle, String email, String ip) {
        AuthSql sql = new AuthSql(handle);
        sql.forgetClientAttempts(email, ip);
        pruneNowAndThen(sql);
    }

    /** Old attempts and long-ended sessions go, at most once a minute per process (as the system). */
    private void pruneNowAndThen(AuthSql sql) {
        long now = System.currentTimeMillis();
        long last = lastPrune.get();
        if (now - last >= PRUNE_EVERY_MILLIS && lastPrune.compareAndSet(last, now)) {
            sql.pruneFailures();
            sql.pruneSessions();
        }
    }
}
