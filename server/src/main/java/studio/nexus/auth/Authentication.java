package studio.nexus.auth;

import studio.nexus.core.Failure;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.UUID;
import studio.nexus.db.Identity;
import studio.nexus.web.Caller;

/**
 * Turns the {@code Authorization} header into the {@link Identity} a request runs as. No header: anonymous.
 * A header with anything but a genuine, current access token of a live session: 401, whatever the route, so a
 * client never mistakes a broken token for being signed out.
 */
public final class Authentication {
    /** Tells whether the session a token belongs to is still live (not signed out or revoked). */
    @FunctionalInterface
    public interface LiveSessions {
        boolean isLive(UUID userId, UUID sessionId);
    }

    private final AccessTokens tokens;
    private final LiveSessions sessions;

    public Authentication(AccessTokens tokens, LiveSessions sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    public void resolve(Context ctx) {
        String header = ctx.header("Authorization");
        if ((header == null || header.isBlank()) && isEventStream(ctx) && ctx.queryParam("access_token") != null) {
            // Browsers' EventSource cannot send headers: event streams may carry the token as a query parameter
            // (never logged: request logs record the path only).
            header = "Bearer " + ctx.queryParam("access_token");
        }
        if (header == null || header.isBlank()) {
            Caller.set(ctx, Identity.anonymous());
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw Failure.unauthorized("Use an Authorization: Bearer <access token> header");
        }
        Optional<AccessTokens.Claims> claims = tokens.verify(header.substring(7).trim());
        if (claims.isEmpty()) {
            throw Failure.unauthorized("The access token is invalid or expired");
        }
        AccessTokens.Claims valid = claims.get();
        if (!sessions.isLive(valid.userId(), valid.sessionId())) {
            throw Failure.unauthorized("This session has ended; sign in again");
        }
        Caller.set(ctx, valid.identity());
    }

    private static boolean isEventStream(Context ctx) {
        String accept = ctx.header("Accept");
        return ctx.method().name().equals("GET") && ctx.path().endsWith("/events") && accept != null
                && accept.contains("text/event-stream");
    }

    /**
     * Whether the session a request was let in with is still live, for work that outlasts its request (an event
     * stream): signed out, revoked or deleted with its account, it is not. Same cache, same bounds as
     * {@link #resolve}.
     */
    public boolean isStillLive(Identity identity) {
        if (!identity.isSignedIn()) {
            return true;
        }
        Optional<UUID> session = identity.sessionId();
        return session.isPresent() && sessions.isLive(identity.requireUserId(), session.get());
    }
}
