package studio.nexus.transformations;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (what Replicate sends): {@code webhook-signature} holds space-separated
 * {@code v1,<base64 HMAC-SHA256>} entries over {@code id + "." + timestamp + "." + body}, keyed with the base64
 * after {@code whsec_}. Timestamps more than {@link #TOLERANCE} away from now are refused. Pure; thread-safe.
 */
public final class WebhookSignature {
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    public enum Verdict { VALID, BAD_SIGNATURE, TIMESTAMP_OUT_OF_RANGE }

    private final byte[] key;

    public WebhookSignature(String secret) {
        String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        try {
            this.key = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("STUDIO_REPLICATE_WEBHOOK_SECRET must be whsec_<base64>", e);
        }
        if (key.length < 16) {
            throw new IllegalArgumentException("STUDIO_REPLICATE_WEBHOOK_SECRET is too short");
        }
    }

    /** The {@code v1,<base64>} signature of a delivery (what a sender puts in {@code webhook-signature}). */
    public String sign(String id, String timestamp, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(id, timestamp, body));
    }

    public Verdict verify(String id, String timestamp, String signatures, byte[] body, Instant now) {
        if (id == null || timestamp == null || signatures == null || id.isBlank() || id.length() > 200) {
            return Verdict.BAD_SIGNATURE;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Verdict.BAD_SIGNATURE;
        }
        byte[] expected = hmac(id, timestamp, body);
        boolean matched = false;
        for (String entry : signatures.trim().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            matched |= MessageDigest.isEqual(expected, given);
        }
        if (!matched) {
            return Verdict.BAD_SIGNATURE;
        }
        // checked after the signature, so an unsigned request learns nothing about our clock
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return Verdict.TIMESTAMP_OUT_OF_RANGE;
        }
        return Verdict.VALID;
    }

    private byte[] hmac(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
