package studio.nexus.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * All SQL of sign-up, sign-in, refresh and sessions. Made over a {@link Handle} inside {@code db.as…}, so each
 * statement runs as whoever that unit of work runs as; the comments say who that is.
 */
final class AuthSql {

    public record Credentials(UUID id, String email, String encryptedPassword) {}

    /**
     * A presented refresh token and its session. {@code currentHash} is the session's newest token;
     * {@code withinReuseInterval} tells whether this token was exchanged recently enough to be answered its successor.
     */
    public record RefreshToken(UUID sessionId, UUID userId, Instant rotatedAt, boolean withinReuseInterval,
                               String currentHash, Instant revokedAt, boolean expired, Instant expiresAt) {}

    public record SessionRow(UUID id, String ipAddress, String userAgent, Instant createdAt, Instant lastActivity,
                             Instant expiresAt) {}

    public record NewSession(UUID id, Instant expiresAt) {}

    /**
     * Sign-in attempts in the throttle's window (see {@link SignInThrottle}): the account's count from everywhere
     * (counted up to the account-wide budget), and when the attempt that used up each budget was made (null while
     * the budget is not used up): this (account, client)'s full budget and its under-attack budget, and the client
     * network's budget across accounts.
     */
    public record SignInAttempts(long accountAttempts, Instant clientBudgetUsedAt,
                                 Instant clientUnderAttackBudgetUsedAt, Instant networkBudgetUsedAt, Instant now) {}

    private static final RowMapper<Credentials> CREDENTIALS = ConstructorMapper.of(Credentials.class);
    private static final RowMapper<RefreshToken> REFRESH_TOKEN = ConstructorMapper.of(RefreshToken.class);
    private static final RowMapper<SessionRow> SESSION_ROW = ConstructorMapper.of(SessionRow.class);
    private static final RowMapper<NewSession> NEW_SESSION = ConstructorMapper.of(NewSession.class);
    private static final RowMapper<SignInAttempts> SIGN_IN_ATTEMPTS = ConstructorMapper.of(SignInAttempts.class);

    /**
     * Answered by a SECURITY DEFINER function that reads the session only from the caller's own claims (and records
     * {@code last_activity} at most once a minute). Run by {@link LiveSessionCache} in one round trip.
     */
    static final String SESSION_IS_LIVE = "SELECT auth.session_is_live()";

    private final Handle handle;

    AuthSql(Handle handle) {
        this.handle = handle;
    }

    // ---- as the system: accounts -------------------------------------------------------------------------------

    /** The new account's id, or empty when the email is taken (the unique index on lower(email)). */
    Optional<UUID> createAccount(String email, String passwordHash) {
        return handle.createQuery("""
                        INSERT INTO auth.users (email, encrypted_password) VALUES (:email, :hash)
                        ON CONFLICT ((lower(email))) DO NOTHING
                        RETURNING id""")
                .bind("email", email).bind("hash", passwordHash)
                .mapTo(UUID.class).findOne();
    }

    Optional<Credentials> credentialsByEmail(String email) {
        return handle.createQuery(
                        "SELECT id, email, encrypted_password FROM auth.users WHERE lower(email) = lower(:email)")
                .bind("email", email)
                .map(CREDENTIALS).findOne();
    }

    Optional<Credentials> credentialsById(UUID id) {
        return handle.createQuery("SELECT id, email, encrypted_password FROM auth.users WHERE id = :id")
                .bind("id", id)
                .map(CREDENTIALS).findOne();
    }

    void signedIn(UUID userId) {
        handle.createUpdate("UPDATE auth.users SET last_sign_in_at = now() WHERE id = :id")
                .bind("id", userId)
                .execute();
    }

    // ---- as the system: sessions and refresh tokens ------------------------------------------------------------

    NewSession createSession(UUID userId, String tokenHash, String ip, String userAgent, int lifetimeDays) {
        return handle.createQuery("""
                        INSERT INTO public.user_sessions (user_id, session_token, ip_address, user_agent, expires_at)
                        VALUES (:user, :tokenHash, CAST(:ip AS inet), :userAgent, now() + make_interval(days => :days))
                        RETURNING id, expires_at""")
                .bind("user", userId).bind("tokenHash", tokenHash).bind("ip", ip).bind("userAgent", userAgent)
                .bind("days", lifetimeDays)
                .map(NEW_SESSION).one();
    }

    void issueRefreshToken(UUID sessionId, String tokenHash) {
        handle.createUpdate("INSERT INTO auth.refresh_tokens (token_hash, session_id) VALUES (:tokenHash, :session)")
                .bind("session", sessionId).bind("tokenHash", tokenHash)
                .execute();
    }

    /**
     * Locks the session the token belongs to; empty when the token is unknown. Every exchange of a session's tokens
     * holds this lock, so they happen one after the other. Read the token with {@link #refreshToken} only after
     * this, in a statement of its own: a statement that waited for a lock still sees the other rows it read as they
     * were before the wait (so two refreshes of one token both saw it unused, and both rotated it).
     */
    Optional<UUID> lockSessionOf(String tokenHash) {
        return handle.createQuery("""
                        SELECT s.id FROM public.user_sessions s
                         WHERE s.id = (SELECT t.session_id FROM auth.refresh_tokens t WHERE t.token_hash = :tokenHash)
                           FOR UPDATE OF s""")
                .bind("tokenHash", tokenHash)
                .mapTo(UUID.class).findOne();
    }

    Optional<RefreshToken> refreshToken(String tokenHash, long reuseSeconds) {
        return handle.createQuery("""
                        SELECT t.session_id, s.user_id, t.rotated_at,
                               coalesce(t.rotated_at > now() - make_interval(secs => :reuseSeconds), false)
                                   AS within_reuse_interval,
                               s.session_token AS current_hash, s.revoked_at, s.expires_at <= now() AS expired, s.expires_at
                          FROM auth.refresh_tokens t JOIN public.user_sessions s ON s.id = t.session_id
                         WHERE t.token_hash = :tokenHash""")
                .bind("tokenHash", tokenHash).bind("reuseSeconds", reuseSeconds)
                .map(REFRESH_TOKEN).findOne();
    }

    /**
     * Uses up the old token and makes the new one the session's current token: the session's new expiry, or empty
     * when the old token was already used up. Each step hangs on the first, conditional one, so a second rotation
     * of the same token changes nothing even if it got past the session lock.
     */
    Optional<Instant> rotate(UUID sessionId, String oldHash, String newHash, int lifetimeDays) {
        return handle.createQuery("""
                        WITH used AS (
                          UPDATE auth.refresh_tokens SET rotated_at = now()
                           WHERE token_hash = :oldHash AND session_id = :session AND rotated_at IS NULL
                          RETURNING session_id
                        ), issued AS (
                          INSERT INTO auth.refresh_tokens (token_hash, session_id) SELECT :newHash, session_id FROM used
                        )
                        UPDATE public.user_sessions s
                           SET session_token = :newHash, refreshed_at = now(), last_activity = now(),
                               expires_at = now() + make_interval(days => :days)
                          FROM used
                         WHERE s.id = used.session_id
                        RETURNING s.expires_at""")
                .bind("session", sessionId).bind("oldHash", oldHash).bind("newHash", newHash)
                .bind("days", lifetimeDays)
                .mapTo(Instant.class).findOne();
    }

    void endSessionAsSystem(UUID sessionId, String reason) {
        handle.createUpdate("""
                        UPDATE public.user_sessions SET revoked_at = now(), revoked_reason = :reason
                         WHERE id = :session AND revoked_at IS NULL""")
                .bind("session", sessionId).bind("reason", reason)
                .execute();
    }

    // ---- as the signed-in user: their own sessions (RLS: user_id = auth.uid()) ----------------------------------

    /** Ends one of the caller's sessions; false when it is not theirs (RLS hides it), unknown, or already ended. */
    Optional<Boolean> endOwnSession(UUID sessionId, String reason) {
        return handle.createQuery("""
                        UPDATE public.user_sessions SET revoked_at = now(), revoked_reason = :reason
                         WHERE id = :session AND revoked_at IS NULL
                        RETURNING true""")
                .bind("session", sessionId).bind("reason", reason)
                .mapTo(Boolean.class).findOne();
    }

    List<SessionRow> liveSessions(Instant afterTime, UUID afterId, int limit) {
        return handle.createQuery("""
                        SELECT id, host(ip_address) AS ip_address, user_agent, created_at, last_activity, expires_at
                          FROM public.user_sessions
                         WHERE revoked_at IS NULL AND expires_at > now()
                           AND (CAST(:afterTime AS timestamptz) IS NULL
                                OR (created_at, id) < (CAST(:afterTime AS timestamptz), CAST(:afterId AS uuid)))
                         ORDER BY created_at DESC, id DESC
                         LIMIT :limit""")
                .bindByType("afterTime", afterTime, Instant.class).bind("afterId", afterId).bind("limit", limit)
                .map(SESSION_ROW).list();
    }

    /** Deletes the caller's own account (RLS: id = auth.uid()); cascades remove everything they own. */
    int deleteOwnAccount() {
        return handle.createUpdate("DELETE FROM auth.users WHERE id = (SELECT auth.uid())").execute();
    }

    // ---- as the system: sign-in throttling and the sign-up limit ----------------------------------------------

    /**
     * Serialises sign-in attempts on one account, then on one client network: always in this order, and nothing
     * waits while holding a network lock, so two attempts cannot deadlock. Released at commit.
     */
    String lockSignIn(String email, String ip) {
        return handle.createQuery("""
                        SELECT pg_advisory_xact_lock(hashtextextended('sign-in account:' || :email, 0)),
                               pg_advisory_xact_lock(hashtextextended(
                                   'sign-in network:' || auth.client_network(CAST(:ip AS inet)), 0))""")
                .bind("email", email).bind("ip", ip)
                .mapTo(String.class).one();
    }

    /** After {@link #lockSignIn}, in a statement of its own, so that its snapshot holds every earlier attempt. */
    SignInAttempts signInAttempts(String email, String ip, long windowSeconds, int accountBudget, int clientBudget,
                                  int underAttackBudget, int networkBudget) {
        return handle.createQuery("""
                        SELECT (SELECT count(*) FROM (
                                  SELECT 1 FROM auth.sign_in_failures
                                   WHERE email = :email AND failed_at > now() - make_interval(secs => :windowSeconds)
                                   LIMIT :accountBudget) AS recent) AS account_attempts,
                               (SELECT failed_at FROM auth.sign_in_failures
                                 WHERE email = :email AND ip_address = auth.client_network(CAST(:ip AS inet))
                                   AND failed_at > now() - make_interval(secs => :windowSeconds)
                                 ORDER BY failed_at DESC OFFSET :clientBudget - 1 LIMIT 1) AS client_budget_used_at,
                               (SELECT failed_at FROM auth.sign_in_failures
                                 WHERE email = :email AND ip_address = auth.client_network(CAST(:ip AS inet))
                                   AND failed_at > now() - make_interval(secs => :windowSeconds)
                                 ORDER BY failed_at DESC OFFSET :underAttackBudget - 1 LIMIT 1)
                                   AS client_under_attack_budget_used_at,
                               (SELECT failed_at FROM auth.sign_in_failures
                                 WHERE ip_address = auth.client_network(CAST(:ip AS inet))
                                   AND failed_at > now() - make_interval(secs => :windowSeconds)
                                 ORDER BY failed_at DESC OFFSET :networkBudget - 1 LIMIT 1) AS network_budget_used_at,
                               now() AS now""")
                .bind("email", email).bind("ip", ip).bind("windowSeconds", windowSeconds)
                .bind("accountBudget", accountBudget).bind("clientBudget", clientBudget)
                .bind("underAttackBudget", underAttackBudget).bind("networkBudget", networkBudget)
                .map(SIGN_IN_ATTEMPTS).one();
    }

    void reserveSignIn(String email, String ip) {
        handle.createUpdate("""
                        INSERT INTO auth.sign_in_failures (email, ip_address)
                        VALUES (:email, auth.client_network(CAST(:ip AS inet)))""")
                .bind("email", email).bind("ip", ip)
                .execute();
    }

    /**
     * The password proved right: this client's attempts on the account go, its own reservation among them. Not
     * other clients' (the owner signing in must not hand an attacker a fresh budget), nor the network's on other
     * accounts (one success must not hide a spray).
     */
    void forgetClientAttempts(String email, String ip) {
        handle.createUpdate("""
                        DELETE FROM auth.sign_in_failures
                         WHERE email = :email AND ip_address = auth.client_network(CAST(:ip AS inet))""")
                .bind("email", email).bind("ip", ip)
                .execute();
    }

    /** Serialises sign-ups from one client network. Released at commit. */
    String lockSignUps(String ip) {
        return handle.createQuery("""
                        SELECT pg_advisory_xact_lock(hashtextextended(
                                   'sign-up network:' || auth.client_network(CAST(:ip AS inet)), 0))""")
                .bind("ip", ip)
                .mapTo(String.class).one();
    }

    /**
     * When the sign-up that used up this network's budget was made; empty while it is not used up. After
     * {@link #lockSignUps}, in a statement of its own.
     */
    Optional<Instant> signUpBudgetUsedAt(String ip, long windowSeconds, int budget) {
        return handle.createQuery("""
                        SELECT attempted_at FROM auth.sign_up_attempts
                         WHERE client_network = auth.client_network(CAST(:ip AS inet))
                           AND attempted_at > now() - make_interval(secs => :windowSeconds)
                         ORDER BY attempted_at DESC OFFSET :budget - 1 LIMIT 1""")
                .bind("ip", ip).bind("windowSeconds", windowSeconds).bind("budget", budget)
                .mapTo(Instant.class).findOne();
    }

    void reserveSignUp(String ip) {
        handle.createUpdate(
                        "INSERT INTO auth.sign_up_attempts (client_network) VALUES (auth.client_network(CAST(:ip AS inet)))")
                .bind("ip", ip)
                .execute();
    }

    Instant now() {
        return handle.createQuery("SELECT now()").mapTo(Instant.class).one();
    }

    int pruneSignUps() {
        return handle.createUpdate("DELETE FROM auth.sign_up_attempts WHERE attempted_at < now() - interval '1 day'")
                .execute();
    }

    int pruneFailures() {
        return handle.createUpdate("DELETE FROM auth.sign_in_failures WHERE failed_at < now() - interval '1 day'")
                .execute();
    }

    /** Ended sessions stay visible in the owner's history for 30 days, then go (with their token hashes). */
    int pruneSessions() {
        return handle.createUpdate("""
                        DELETE FROM public.user_sessions
                         WHERE coalesce(revoked_at, expires_at) < now() - interval '30 days'""")
                .execute();
    }
}
