package studio.nexus.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import studio.nexus.db.Identity;

/**
 * Signs and verifies access tokens: short-lived HS256 JWTs whose {@code sub} is the user and {@code sid} the
 * session. Verification pins the algorithm (so {@code alg=none} and algorithm swaps are refused), the issuer,
 * the audience and the expiry. Thread-safe.
 *
 * <p>A token that verified is remembered (by its exact text) until it expires, so a client's next requests with the
 * same token skip the HMAC and the JSON parsing of header and payload: that was most of what authentication cost
 * per request (bench/cpu-per-request.sh, an authenticated 404). Only genuine tokens are kept, each with its own
 * expiry, which is checked on every hit; any other text, a tampered one included, misses and is verified in full.
 * At most {@link #MAX_REMEMBERED} tokens are kept; when full the cache starts over. Revocation is not this class's
 * business: the session check runs on every request whatever this cache says.
 */
public final class AccessTokens {
    public static final String ISSUER = "studio-nexus";
    public static final String AUDIENCE = "authenticated";

    /**
     * What a valid token says, and the identity its requests run as (built once per token, not once per request:
     * remembered tokens hand back the same Identity).
     */
    public record Claims(UUID userId, UUID sessionId, Instant expiresAt, Identity identity) {
        Claims(UUID userId, UUID sessionId, Instant expiresAt) {
            this(userId, sessionId, expiresAt, Identity.user(userId, sessionId));
        }
    }

    static final int MAX_REMEMBERED = 50_000;

    private final Map<String, Claims> verified = new ConcurrentHashMap<>();
    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration lifetime;
    private final Clock clock;

    public AccessTokens(byte[] secret, Duration lifetime, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the JWT secret must be at least 32 bytes");
        }
        this.algorithm = Algorithm.HMAC256(secret);
        this.lifetime = lifetime;
        this.clock = clock;
        this.verifier = ((com.auth0.jwt.JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withIssuer(ISSUER)
                .withAudience(AUDIENCE)
                .withClaimPresence("sub")
                .withClaimPresence("sid")
                .acceptLeeway(0))
                .build(clock);
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A freshly signed access token and when it stops being accepted. */
    public record Issued(String token, Instant expiresAt) {}

    public String issue(UUID userId, UUID sessionId) {
        return issueWithExpiry(userId, sessionId).token();
    }

    public Issued issueWithExpiry(UUID userId, UUID sessionId) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime);
        return new Issued(JWT.create()
                .withIssuer(ISSUER)
                .withAudience(AUDIENCE)
                .withSubject(userId.toString())
                .withClaim("sid", sessionId.toString())
                .withClaim("role", "authenticated")
                .withIssuedAt(now)
                .withExpiresAt(expiresAt)
                .withJWTId(UUID.randomUUID().toString())
                .sign(algorithm), expiresAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** The token's claims when it is genuine and current; empty for anything else. */
    public Optional<Claims> verify(String token) {
        if (token == null || token.length() > 4096) {
            return Optional.empty();
        }
        Claims known = verified.get(token);
        if (known != null) {
            if (clock.instant().isBefore(known.expiresAt())) {
                return Optional.of(known);
            }
            verified.remove(token);
            return Optional.empty();
        }
        try {
            DecodedJWT jwt = verifier.verify(token);
            Claims claims = new Claims(UUID.fromString(jwt.getSubject()),
                    UUID.fromString(jwt.getClaim("sid").asString()), jwt.getExpiresAtAsInstant());
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
            verified.put(token, claims);
            return Optional.of(claims);
        } catch (JWTVerificationException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
