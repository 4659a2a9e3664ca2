package studio.nexus.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * All SQL of sign-up, sign-in, refresh and sessions. Attached to a {@link org.jdbi.v3.core.Handle} inside
 * {@code db.as…}, so each statement runs as whoever that unit of work runs as; the comments say who that is.
 */
interface AuthSql {

    record Credentials(UUID id, String email, String encryptedPassword) {}

    /**
     * A presented refresh token and its session. {@code currentHash} is the session's newest token;
     * {@code withinReuseInterval} tells whether this token was exchanged recently enough to be answered its successor.
     */
    record RefreshToken(UUID sessionId, UUID userId, Instant rotatedAt, boolean withinReuseInterval,
                        String currentHash, Instant revokedAt, boolean expired, Instant expiresAt) {}

    record SessionRow(UUID id, String ipAddress, String userAgent, Instant createdAt, Instant lastActivity,
                      Instant expiresAt) {}

    record NewSession(UUID id, Instant expiresAt) {}

    /**
     * Sign-in attempts in the throttle's window (see {@link SignInThrottle}): the account's count from everywhere
     * (counted up to the account-wide budget), and when the attempt that used up each budget was made (null while
     * the budget is not used up): this (account, client)'s full budget and its under-attack budget, and the client
     * network's budget across accounts.
     */
    record SignInAttempts(long accountAttempts, Instant clientBudgetUsedAt, Instant clientUnderAttackBudgetUsedAt,
                          Instant networkBudgetUsedAt, Instant now) {}

    // ---- as the system: accounts -------------------------------------------------------------------------------

    /** The new account's id, or empty when the email is taken (the unique index on lower(email)). */
    @SqlQuery("""
            INSERT INTO auth.users (email, encrypted_password) VALUES (:email, :hash)
            ON CONFLICT ((lower(email))) DO NOTHING
            RETURNING id""")
    Optional<UUID> createAccount(@Bind("email") String email, @Bind("hash") String passwordHash);

    @SqlQuery("SELECT id, email, encrypted_password FROM auth.users WHERE lower(email) = lower(:email)")
    @RegisterConstructorMapper(Credentials.class)
    Optional<Credentials> credentialsByEmail(@Bind("email") String email);

    @SqlQuery("SELECT id, email, encrypted_password FROM auth.users WHERE id = :id")
    @RegisterConstructorMapper(Credentials.class)
    Optional<Credentials> credentialsById(@Bind("id") UUID id);

    @SqlUpdate("UPDATE auth.users SET last_sign_in_at = now() WHERE id = :id")
    void signedIn(@Bind("id") UUID userId);

    // ---- as the system: sessions and refresh tokens ------------------------------------------------------------

    @SqlQuery("""
            INSERT INTO public.user_sessions (user_id, session_token, ip_address, user_agent, expires_at)
            VALUES (:user, :tokenHash, CAST(:ip AS inet), :userAgent, now() + make_interval(days => :days))
            RETURNING id, expires_at""")
    @RegisterConstructorMapper(NewSession.class)
    NewSession createSession(@Bind("user") UUID userId, @Bind("tokenHash") String tokenHash, @Bind("ip") String ip,
                       @Bind("userAgent") String userAgent, @Bind("days") int lifetimeDays);

    @SqlUpdate("INSERT INTO auth.refresh_tokens (token_hash, session_id) VALUES (:tokenHash, :session)")
    void issueRefreshToken(@Bind("session") UUID sessionId, @Bind("tokenHash") String tokenHash);

    /**
     * Locks the session the token belongs to; empty when the token is unknown. Every exchange of a session's tokens
     * holds this lock, so they happen one after the other. Read the token with {@link #refreshToken} only after
     * this, in a statement of its own: a statement that waited for a lock still sees the other rows it read as they
     * were before the wait (so two refreshes of one token both saw it unused, and both rotated it).
     */
    @SqlQuery("""
            SELECT s.id FROM public.user_sessions s
             WHERE s.id = (SELECT t.session_id FROM auth.refresh_tokens t WHERE t.token_hash = :tokenHash)
               FOR UPDATE OF s""")
    Optional<UUID> lockSessionOf(@Bind("tokenHash") String tokenHash);

    @SqlQuery("""
            SELECT t.session_id, s.user_id, t.rotated_at,
                   coalesce(t.rotated_at > now() - make_interval(secs => :reuseSeconds), false)
                       AS within_reuse_interval,
                   s.session_token AS current_hash, s.revoked_at, s.expires_at <= now() AS expired, s.expires_at
              FROM auth.refresh_tokens t JOIN public.user_sessions s ON s.id = t.session_id
             WHERE t.token_hash = :tokenHash""")
    @RegisterConstructorMapper(RefreshToken.class)
    Optional<RefreshToken> refreshToken(@Bind("tokenHash") String tokenHash, @Bind("reuseSeconds") long reuseSeconds);

    /**
     * Uses up the old token and makes the new one the session's current token: the session's new expiry, or empty
     * when the old token was already used up. Each step hangs on the first, conditional one, so a second rotation
     * of the same token changes nothing even if it got past the session lock.
     */
    @SqlQuery("""
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
    Optional<Instant> rotate(@Bind("session") UUID sessionId, @Bind("oldHash") String oldHash,
                             @Bind("newHash") String newHash, @Bind("days") int lifetimeDays);

    @SqlUpdate("""
            UPDATE public.user_sessions SET revoked_at = now(), revoked_reason = :reason
             WHERE id = :session AND revoked_at IS NULL""")
    void endSessionAsSystem(@Bind("session") UUID sessionId, @Bind("reason") String reason);

    // ---- as the signed-in user: their own sessions (RLS: user_id = auth.uid()) ----------------------------------

    /** Ends one of the caller's sessions; false when it is not theirs (RLS hides it), unknown, or already ended. */
    @SqlQuery("""
            UPDATE public.user_sessions SET revoked_at = now(), revoked_reason = :reason
             WHERE id = :session AND revoked_at IS NULL
            RETURNING true""")
    Optional<Boolean> endOwnSession(@Bind("session") UUID sessionId, @Bind("reason") String reason);

    @SqlQuery("""
            SELECT id, host(ip_address) AS ip_address, user_agent, created_at, last_activity, expires_at
              FROM public.user_sessions
             WHERE revoked_at IS NULL AND expires_at > now()
               AND (CAST(:afterTime AS timestamptz) IS NULL
                    OR (created_at, id) < (CAST(:afterTime AS timestamptz), CAST(:afterId AS uuid)))
             ORDER BY created_at DESC, id DESC
             LIMIT :limit""")
    @RegisterConstructorMapper(SessionRow.class)
    List<SessionRow> liveSessions(@Bind("afterTime") Instant afterTime, @Bind("afterId") UUID afterId,
                                  @Bind("limit") int limit);

    /**
     * Answered by a SECURITY DEFINER function that reads the session only from the caller's own claims (and records
     * {@code last_activity} at most once a minute). Run by {@link LiveSessionCache} in one round trip.
     */
    String SESSION_IS_LIVE = "SELECT auth.session_is_live()";

    /** Deletes the caller's own account (RLS: id = auth.uid()); cascades remove everything they own. */
    @SqlUpdate("DELETE FROM auth.users WHERE id = (SELECT auth.uid())")
    int deleteOwnAccount();

    // ---- as the system: sign-in throttling and the sign-up limit ----------------------------------------------

    /**
     * Serialises sign-in attempts on one account, then on one client network: always in this order, and nothing
     * waits while holding a network lock, so two attempts cannot deadlock. Released at commit.
     */
    @SqlQuery("""
            SELECT pg_advisory_xact_lock(hashtextextended('sign-in account:' || :email, 0)),
                   pg_advisory_xact_lock(hashtextextended(
                       'sign-in network:' || auth.client_network(CAST(:ip AS inet)), 0))""")
    String lockSignIn(@Bind("email") String email, @Bind("ip") String ip);

    /** After {@link #lockSignIn}, in a statement of its own, so that its snapshot holds every earlier attempt. */
    @SqlQuery("""
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
    @RegisterConstructorMapper(SignInAttempts.class)
    SignInAttempts signInAttempts(@Bind("email") String email, @Bind("ip") String ip,
                                  @Bind("windowSeconds") long windowSeconds, @Bind("accountBudget") int accountBudget,
                                  @Bind("clientBudget") int clientBudget,
                                  @Bind("underAttackBudget") int underAttackBudget,
                                  @Bind("networkBudget") int networkBudget);

    @SqlUpdate("""
            INSERT INTO auth.sign_in_failures (email, ip_address)
            VALUES (:email, auth.client_network(CAST(:ip AS inet)))""")
    void reserveSignIn(@Bind("email") String email, @Bind("ip") String ip);

    /**
     * The password proved right: this client's attempts on the account go, its own reservation among them. Not
     * other clients' (the owner signing in must not hand an attacker a fresh budget), nor the network's on other
     * accounts (one success must not hide a spray).
     */
    @SqlUpdate("""
            DELETE FROM auth.sign_in_failures
             WHERE email = :email AND ip_address = auth.client_network(CAST(:ip AS inet))""")
    void forgetClientAttempts(@Bind("email") String email, @Bind("ip") String ip);

    /** Serialises sign-ups from one client network. Released at commit. */
    @SqlQuery("""
            SELECT pg_advisory_xact_lock(hashtextextended(
                       'sign-up network:' || auth.client_network(CAST(:ip AS inet)), 0))""")
    String lockSignUps(@Bind("ip") String ip);

    /**
     * When the sign-up that used up this network's budget was made; empty while it is not used up. After
     * {@link #lockSignUps}, in a statement of its own.
     */
    @SqlQuery("""
            SELECT attempted_at FROM auth.sign_up_attempts
             WHERE client_network = auth.client_network(CAST(:ip AS inet))
               AND attempted_at > now() - make_interval(secs => :windowSeconds)
             ORDER BY attempted_at DESC OFFSET :budget - 1 LIMIT 1""")
    Optional<Instant> signUpBudgetUsedAt(@Bind("ip") String ip, @Bind("windowSeconds") long windowSeconds,
                                         @Bind("budget") int budget);

    @SqlUpdate("INSERT INTO auth.sign_up_attempts (client_network) VALUES (auth.client_network(CAST(:ip AS inet)))")
    void reserveSignUp(@Bind("ip") String ip);

    @SqlQuery("SELECT now()")
    Instant now();

    @SqlUpdate("DELETE FROM auth.sign_up_attempts WHERE attempted_at < now() - interval '1 day'")
    int pruneSignUps();

    @SqlUpdate("DELETE FROM auth.sign_in_failures WHERE failed_at < now() - interval '1 day'")
    int pruneFailures();

    /** Ended sessions stay visible in the owner's history for 30 days, then go (with their token hashes). */
    @SqlUpdate("""
            DELETE FROM public.user_sessions
             WHERE coalesce(revoked_at, expires_at) < now() - interval '30 days'""")
    int pruneSessions();
}
