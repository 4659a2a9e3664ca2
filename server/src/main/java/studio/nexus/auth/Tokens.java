package studio.nexus.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * What sign-up, sign-in and refresh hand out: a short-lived access token (a JWT, sent as {@code Authorization:
 * Bearer}) and the session's refresh token (opaque, single use: each refresh answers a new one).
 */
public record Tokens(
        String accessToken,
        String tokenType,
        long expiresIn,
        Instant expiresAt,
        String refreshToken,
        Instant refreshTokenExpiresAt,
        UUID sessionId,
        UUID userId) {}
