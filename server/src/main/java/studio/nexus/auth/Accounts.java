package studio.nexus.auth;

import studio.nexus.core.Failure;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.util.PSQLException;
import studio.nexus.analytics.Analytics;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.SqlStates;
import studio.nexus.core.Json;
import studio.nexus.profiles.Me;
import studio.nexus.web.Paging;

/**
 * Accounts and their sessions: sign-up, sign-in, refresh, sign-out, the session list, account deletion.
 *
 * <p>Who runs what: creating an account, signing in and refreshing run as the system (nobody is signed in yet),
 * each in one short transaction that touches only the rows it names; bcrypt runs outside every transaction, so a
 * slow hash never holds a pooled connection. Everything a signed-in user does to their own sessions and account
 * runs as that user, and row-level security decides. Thread-safe.
 */
public final class Accounts {
    /** Creates the new user's profile, running as that user inside the sign-up transaction; answers the profile. */
    @FunctionalInterface
    public interface NewProfiles {
        Me createOwn(Handle handleAsNewUser, String username, String fullName);
    }

    /** Where a sign-in comes from, kept on the session so its owner recognises it. */
    public record Client(String ip, String userAgent) {}

    /** The 201 answer of sign-up: the profile, and the tokens side by side with it (as sign-in answers them). */
    public record SignedUp(Me profile, @JsonUnwrapped Tokens tokens) {}

    public record Session(UUID id, String ipAddress, String userAgent, Instant createdAt, Instant lastActivity,
                          Instant expiresAt, boolean current) {}

    /** The account and first session sign-up made as the system; the profile is then made as this new user. */
    private record NewAccount(UUID userId, AuthSql.NewSession session) {
        Identity identity() {
            return Identity.user(userId, session.id());
        }
    }

    /** What the sign-up transaction made. */
    private record Made(NewAccount account, Me profile) {}

    private enum RefreshOutcome { ROTATED, REPEATED, UNKNOWN, REUSED }

    /**
     * How a refresh went. The session is known unless the outcome is {@code UNKNOWN}; the user and the session's
     * expiry are known when a successor is answered ({@code ROTATED}, {@code REPEATED}).
     */
    private record Exchange(RefreshOutcome outcome, UUID sessionId, UUID userId, Instant expiresAt) {
        static Exchange unknown() {
            return new Exchange(RefreshOutcome.UNKNOWN, null, null, null);
        }
    }

    private final Db db;
    private final AccessTokens accessTokens;
    private final Passwords passwords;
    private final SignInThrottle throttle;
    private final SignUpLimit signUps;
    private final LiveSessionCache liveSessions;
    private final NewProfiles newProfiles;
    private final RefreshTokens refreshTokens;

    public Accounts(Db db, AccessTokens accessTokens, Passwords passwords, SignInThrottle throttle,
                    SignUpLimit signUps, LiveSessionCache liveSessions, NewProfiles newProfiles,
                    RefreshTokens refreshTokens) {
        this.db = db;
        this.accessTokens = accessTokens;
        this.passwords = passwords;
        this.throttle = throttle;
        this.signUps = signUps;
        this.liveSessions = liveSessions;
        this.newProfiles = newProfiles;
        this.refreshTokens = refreshTokens;
    }

    public Passwords passwords() {
        return passwords;
    }

    /**
     * Creates the account (as the system) and its profile (as the new user: the profile row then passes V3's
     * "Users create their own profile" policy and the column grants, like any later edit) and a first session,
     * all in one transaction. 409 {@code email_taken} or {@code username_taken}; 429 when the client's network has
     * signed up too often (counted before the password is hashed, so a refused sign-up costs no bcrypt).
     */
    public SignedUp signUp(String email, String password, String username, String fullName, Client client) {
        signUps.reserve(client.ip());
        String passwordHash = passwords.hash(password);
        String refreshToken = Secrets.newToken();
        Made made;
        try {
            made = db.asSystemThen(handle -> {
                AuthSql sql = new AuthSql(handle);
                UUID userId = sql.createAccount(email, passwordHash).orElseThrow(() ->
                        Failure.conflict("email_taken", "An account with this email already exists"));
                AuthSql.NewSession session = startSession(sql, userId, refreshToken, client);
                sql.signedIn(userId);
                return new NewAccount(userId, session);
            }, NewAccount::identity, (handle, account) -> {
                Me profile = newProfiles.createOwn(handle, username, fullName);
                Analytics.record(handle, account.userId(), "sign_up", "account", Map.of());
                return new Made(account, profile);
            });
        } catch (UnableToExecuteStatementException e) {
            if (SqlStates.violatesUnique(e, "profiles_username_key", "profiles_username_lower_key")) {
                throw Failure.conflict("username_taken", "This username is taken");
            }
            throw e;
        }
        return new SignedUp(made.profile(), tokens(made.account().userId(), made.account().session(), refreshToken));
    }

    /**
     * Signs in with email and password. A wrong password and an unknown email take the same time (bcrypt against
     * a dummy hash) and give the same answer; both count toward the throttle, which reserves the attempt before the
     * password is checked (a wrong password leaves the reservation as the failure).
     */
    public Tokens signIn(String email, String password, Client client) {
        throttle.reserve(email, client.ip());
        Optional<AuthSql.Credentials> account = db.asSystem(handle ->
                new AuthSql(handle).credentialsByEmail(email));
        boolean verified = passwords.verify(password, account.map(AuthSql.Credentials::encryptedPassword).orElse(null));
        if (!verified) {
            throw invalidCredentials();
        }
        UUID userId = account.get().id();
        String refreshToken = Secrets.newToken();
        AuthSql.NewSession session = db.asSystem(handle -> {
            AuthSql sql = new AuthSql(handle);
            AuthSql.NewSession started = startSession(sql, userId, refreshToken, client);
            sql.signedIn(userId);
            throttle.succeeded(handle, email, client.ip());
            return started;
        });
        return tokens(userId, session, refreshToken);
    }

    /**
     * Exchanges a refresh token for a new pair. Each token has exactly one successor. Presented again within the
     * reuse interval (two tabs refreshing at once, a retry after a lost answer) while that successor is still the
     * session's newest token, it is answered the same successor (and a fresh access token). Presented later, or
     * after the successor has itself been used, it means someone else holds a copy (the client or the thief has
     * already moved on), so the whole session is revoked.
     *
     * <p>All of it runs under the session's row lock, in one transaction, so any number of concurrent presentations,
     * on any number of server processes, leave one chain.
     */
    public Tokens refresh(String refreshToken) {
        String oldHash = Secrets.sha256(refreshToken);
        String successor = refreshTokens.successorOf(refreshToken);
        String successorHash = Secrets.sha256(successor);
        Exchange exchange = db.asSystem(handle -> {
            AuthSql sql = new AuthSql(handle);
            if (sql.lockSessionOf(oldHash).isEmpty()) {
                return Exchange.unknown();
            }
            Optional<AuthSql.RefreshToken> found = sql.refreshToken(oldHash, refreshTokens.reuseSeconds());
            if (found.isEmpty() || found.get().revokedAt() != null || found.get().expired()) {
                return Exchange.unknown();
            }
            AuthSql.RefreshToken token = found.get();
            if (token.rotatedAt() == null) {
                Optional<Instant> expiresAt = sql.rotate(token.sessionId(), oldHash, successorHash,
                        refreshTokens.lifetimeDays());
                if (expiresAt.isPresent()) {
                    return new Exchange(RefreshOutcome.ROTATED, token.sessionId(), token.userId(), expiresAt.get());
                }
                // used up after all (only a change made without the session lock could do that): not one successor
            } else if (token.withinReuseInterval() && successorHash.equals(token.currentHash())) {
                return new Exchange(RefreshOutcome.REPEATED, token.sessionId(), token.userId(), token.expiresAt());
            }
            sql.endSessionAsSystem(token.sessionId(), "refresh_token_reused");
            return new Exchange(RefreshOutcome.REUSED, token.sessionId(), token.userId(), null);
        });
        switch (exchange.outcome()) {
            case UNKNOWN -> throw signInAgain("invalid_refresh_token", "Sign-in required",
                    "This refresh token is not valid (unknown, expired, or its session has ended); sign in again");
            case REUSED -> {
                liveSessions.forget(exchange.sessionId());
                throw signInAgain("refresh_token_reused", "Sign-in required",
                        "This refresh token was already used, so the session has been ended for safety; sign in again");
            }
            default -> {
                return tokens(exchange.userId(), new AuthSql.NewSession(exchange.sessionId(), exchange.expiresAt()),
                        successor);
            }
        }
    }

    /** Ends the caller's current session (as the caller). */
    public void signOut(Identity caller, UUID sessionId) {
        endOwnSession(caller, sessionId, "signed_out");
    }

    /** Ends one of the caller's sessions; 404 when it is not theirs or already ended (RLS decides). */
    public void revoke(Identity caller, UUID sessionId) {
        if (!endOwnSession(caller, sessionId, "revoked")) {
            throw Failure.notFound("Session " + sessionId);
        }
    }

    public Paging.Page<Session> sessions(Identity caller, UUID currentSessionId, Paging.Request page) {
        Instant afterTime;
        UUID afterId;
        try {
            afterTime = page.after().map(key -> Instant.parse(key.path("created_at").asText())).orElse(null);
            afterId = page.after().map(key -> UUID.fromString(key.path("id").asText())).orElse(null);
        } catch (RuntimeException e) {
            throw Failure.badRequest("invalid_cursor", "The cursor is not one this server gave out");
        }
        List<AuthSql.SessionRow> rows = db.as(caller, handle ->
                new AuthSql(handle).liveSessions(afterTime, afterId, page.limit() + 1));
        List<Session> sessions = rows.stream().map(row -> new Session(row.id(), row.ipAddress(), row.userAgent(),
                row.createdAt(), row.lastActivity(), row.expiresAt(), row.id().equals(currentSessionId))).toList();
        return Paging.page(sessions, page.limit(), session -> Json.MAPPER.createObjectNode()
                .put("created_at", session.createdAt().toString())
                .put("id", session.id().toString()));
    }

    /**
     * Deletes the caller's account after checking their password again (throttled like a sign-in): a stolen access
     * token alone must not be enough to destroy an account. The delete itself runs as the caller.
     */
    public void deleteAccount(Identity caller, String password, Client client) {
        UUID userId = caller.requireUserId();
        Optional<AuthSql.Credentials> account = db.asSystem(handle ->
                new AuthSql(handle).credentialsById(userId));
        String email = account.map(AuthSql.Credentials::email).orElse("");
        String throttledAs = email.toLowerCase(Locale.ROOT);
        throttle.reserve(throttledAs, client.ip());
        if (!passwords.verify(password, account.map(AuthSql.Credentials::encryptedPassword).orElse(null))) {
            throw Failure.of(Failure.Kind.FORBIDDEN, "password_incorrect", null, "The password is not correct");
        }
        db.asSystem(handle -> {
            throttle.succeeded(handle, throttledAs, client.ip());
            return null;
        });
        int deleted = db.as(caller, handle -> new AuthSql(handle).deleteOwnAccount());
        liveSessions.forgetUser(userId);
        if (deleted != 1) {
            throw Failure.notFound("Your account");
        }
    }

    private boolean endOwnSession(Identity caller, UUID sessionId, String reason) {
        boolean ended = db.as(caller, handle ->
                new AuthSql(handle).endOwnSession(sessionId, reason)).isPresent();
        if (ended) {
            liveSessions.forget(sessionId);
        }
        return ended;
    }

    private AuthSql.NewSession startSession(AuthSql sql, UUID userId, String refreshToken, Client client) {
        String hash = Secrets.sha256(refreshToken);
        AuthSql.NewSession session = sql.createSession(userId, hash, client.ip(), client.userAgent(),
                refreshTokens.lifetimeDays());
        sql.issueRefreshToken(session.id(), hash);
        return session;
    }

    private Tokens tokens(UUID userId, AuthSql.NewSession session, String refreshToken) {
        AccessTokens.Issued access = accessTokens.issueWithExpiry(userId, session.id());
        return new Tokens(access.token(), "Bearer", accessTokens.lifetime().toSeconds(), access.expiresAt(),
                refreshToken, session.expiresAt(), session.id(), userId);
    }

    static Failure invalidCredentials() {
        return Failure.of(Failure.Kind.SIGN_IN_REQUIRED, "invalid_credentials", "Sign-in failed",
                "The email or password is incorrect");
    }

    private static Failure signInAgain(String code, String title, String detail) {
        return Failure.of(Failure.Kind.SIGN_IN_REQUIRED, code, title, detail);
    }
}
