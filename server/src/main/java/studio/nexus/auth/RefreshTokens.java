package studio.nexus.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How refresh tokens are exchanged: how long a session lives after its last refresh, how long a used-up token may
 * still be presented for its successor (two tabs refreshing at once, a retried request whose answer was lost), and
 * what that successor is.
 *
 * <p>A token's successor is {@code HMAC-SHA256(key, token)}, the key derived from the server's signing secret. So
 * every server process that sees the same used-up token names the same successor, and the database keeps only
 * hashes, as for every other token: a copy of the database still signs nobody in, and a stolen used-up token alone
 * does not give its successor (that takes the server's secret too). Immutable and thread-safe.
 */
public final class RefreshTokens {
    private static final String ALGORITHM = "HmacSHA256";
    private final byte[] successorKey;
    private final int lifetimeDays;
    private final Duration reuseInterval;

    /**
     * @param serverSecret the key access tokens are signed with; the successor key is derived from it under a label
     *                     of its own, so neither key can stand in for the other
     */
    public RefreshTokens(byte[] serverSecret, int lifetimeDays, Duration reuseInterval) {
        this.successorKey = hmac(serverSecret, "studio-nexus refresh token successor".getBytes(StandardCharsets.UTF_8));
        this.lifetimeDays = lifetimeDays;
        this.reuseInterval = reuseInterval;
    }

    /** The one token that replaces this one (base64url, 256 bits like {@link Secrets#newToken()}). */
    String successorOf(String token) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(hmac(successorKey, token.getBytes(StandardCharsets.UTF_8)));
    }

    int lifetimeDays() {
        return lifetimeDays;
    }

    long reuseSeconds() {
        return reuseInterval.toSeconds();
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
