package studio.nexus.db;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who a unit of work runs as: the database role ({@code anon}, {@code authenticated} or {@code service_role}) and,
 * for a signed-in user, the JWT claims that {@code auth.uid()} and the policies read. Immutable.
 */
public record Identity(String role, Optional<UUID> userId, String claimsJson) {
    public static final String ANON = "anon";
    public static final String AUTHENTICATED = "authenticated";
    public static final String SERVICE_ROLE = "service_role";

    private static final Identity ANONYMOUS = new Identity(ANON, Optional.empty(), "{\"role\":\"anon\"}");
    private static final Identity SYSTEM = new Identity(SERVICE_ROLE, Optional.empty(), "{\"role\":\"service_role\"}");

    public Identity {
        Objects.requireNonNull(role);
        Objects.requireNonNull(userId);
        Objects.requireNonNull(claimsJson);
        if (!role.equals(ANON) && !role.equals(AUTHENTICATED) && !role.equals(SERVICE_ROLE)) {
            throw new IllegalArgumentException("unknown database role " + role);
        }
        if (role.equals(AUTHENTICATED) && userId.isEmpty()) {
            throw new IllegalArgumentException("a signed-in identity needs a user id");
        }
    }

    public static Identity anonymous() {
        return ANONYMOUS;
    }

    public static Identity system() {
        return SYSTEM;
    }

    /** A signed-in user; {@code sessionId} (may be null) becomes the {@code session_id} claim. */
    public static Identity user(UUID userId, UUID sessionId) {
        String claims = "{\"sub\":\"" + userId + "\",\"role\":\"authenticated\""
                + (sessionId == null ? "" : ",\"session_id\":\"" + sessionId + "\"") + "}";
        return new Identity(AUTHENTICATED, Optional.of(userId), claims);
    }

    public boolean isSignedIn() {
        return userId.isPresent();
    }

    /** The session a signed-in user's token belongs to ({@code session_id} claim), if it has one. */
    public Optional<UUID> sessionId() {
        int at = claimsJson.indexOf("\"session_id\":\"");
        if (at < 0) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(claimsJson.substring(at + 14, at + 50).toLowerCase(java.util.Locale.ROOT)));
    }

    public UUID requireUserId() {
        return userId.orElseThrow(() -> new IllegalStateException("not signed in"));
    }
}
