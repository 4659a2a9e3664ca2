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

    record RefreshToken(UUID sessionId, UUID userId, Instant rotatedAt, Instant revokedAt, boolean expired) {}

    record SessionRow(UUID id, String ipAddress, String userAgent, Instant createdAt, Instant lastActivity,
                      Instant expiresAt) {}

    record NewSession(UUID id, Instant expiresAt) {}

    record FailureCounts(long accountFailures, Instant accountFirst, Instant accountLast, long ipFailures,
                         Instant ipFirst, Instant now) {}

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

    /** Locks the session, so two refreshes with the same token cannot both rotate it. */
    @SqlQuery("""
            SELECT t.session_id, s.user_id, t.rotated_at, s.revoked_at, s.expires_at <= now() AS expired
              FROM auth.refresh_tokens t JOIN public.user_sessions s ON s.id = t.session_id
             WHERE t.token_hash = :tokenHash
               FOR UPDATE OF s""")
    @RegisterConstructorMapper(RefreshToken.class)
    Optional<RefreshToken> refreshToken(@Bind("tokenHash") String tokenHash);

    /** The session's new expiry. */
    @SqlQuery("""
            WITH used AS (
              UPDATE auth.refresh_tokens SET rotated_at = now() WHERE token_hash = :oldHash AND rotated_at IS NULL
            ), issued AS (
              INSERT INTO auth.refresh_tokens (token_hash, session_id) VALUES (:newHash, :session)
            )
            UPDATE public.user_sessions
               SET session_token = :newHash, refreshed_at = now(), last_activity = now(),
                   expires_at = now() + make_interval(days => :days)
             WHERE id = :session
            RETURNING expires_at""")
    Instant rotate(@Bind("session") UUID sessionId, @Bind("oldHash") String oldHash, @Bind("newHash") String newHash,
                @Bind("days") int lifetimeDays);

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

    // ---- as the system: sign-in throttling ---------------------------------------------------------------------

    @SqlQuery("""
            SELECT count(*) FILTER (WHERE email = :email) AS account_failures,
                   min(failed_at) FILTER (WHERE email = :email) AS account_first,
                   max(failed_at) FILTER (WHERE email = :email) AS account_last,
                   count(*) FILTER (WHERE ip_address = CAST(:ip AS inet)) AS ip_failures,
                   min(failed_at) FILTER (WHERE ip_address = CAST(:ip AS inet)) AS ip_first,
                   now() AS now
              FROM auth.sign_in_failures
             WHERE (email = :email OR ip_address = CAST(:ip AS inet))
               AND failed_at > now() - make_interval(secs => :windowSeconds)""")
    @RegisterConstructorMapper(FailureCounts.class)
    FailureCounts failures(@Bind("email") String email, @Bind("ip") String ip,
                           @Bind("windowSeconds") long windowSeconds);

    @SqlUpdate("INSERT INTO auth.sign_in_failures (email, ip_address) VALUES (:email, CAST(:ip AS inet))")
    void recordFailure(@Bind("email") String email, @Bind("ip") String ip);

    /** A successful sign-in clears the account's count (not the address's: one success must not hide a spray). */
    @SqlUpdate("DELETE FROM auth.sign_in_failures WHERE email = :email")
    void forgetFailures(@Bind("email") String email);

    @SqlUpdate("DELETE FROM auth.sign_in_failures WHERE failed_at < now() - interval '1 day'")
    int pruneFailures();

    /** Ended sessions stay visible in the owner's history for 30 days, then go (with their token hashes). */
    @SqlUpdate("""
            DELETE FROM public.user_sessions
             WHERE coalesce(revoked_at, expires_at) < now() - interval '30 days'""")
    int pruneSessions();
}
