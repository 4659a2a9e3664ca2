package studio.nexus.notifications;

import io.javalin.http.Context;
import java.util.Optional;
import studio.nexus.db.Identity;
import studio.nexus.web.ApiException;
import studio.nexus.web.Caller;
import studio.nexus.web.Paging;
import studio.nexus.web.PathIds;

/** HTTP handlers of the signed-in musician's notifications: parse, call {@link Notifications}, answer. */
public final class NotificationRoutes {
    private final Notifications notifications;

    public NotificationRoutes(Notifications notifications) {
        this.notifications = notifications;
    }

    /** Newest first; {@code unread=true} for the unread ones only. */
    public void list(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        String unread = Optional.ofNullable(ctx.queryParam("unread")).orElse("false");
        if (!unread.equals("true") && !unread.equals("false")) {
            throw ApiException.badRequest("invalid_filter", "unread must be true or false");
        }
        ctx.json(notifications.list(me, unread.equals("true"), Paging.request(ctx, 20, 100)));
    }

    public void markRead(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        ctx.json(notifications.markRead(me, PathIds.uuid(ctx, "id", "Notification")));
    }

    public void markAllRead(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        ctx.json(notifications.markAllRead(me));
    }
}
