package studio.nexus.notifications;

import java.util.List;
import java.util.UUID;
import studio.nexus.core.Failure;
import studio.nexus.core.Json;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.web.Paging;

/**
 * A musician's notifications: read them, mark them read. They are written only by the database, by V95's triggers in
 * the transaction of what caused them (an invitation, an answer, an offer, a comment, a like, a follow, a finished
 * job), and each new one is announced with {@code pg_notify('user_notifications', '<recipient>:<id>')} for live
 * delivery. Everything here runs as the recipient. Thread-safe.
 */
public final class Notifications {
    /** A page, newest first, with how many of the caller's notifications are unread in all. */
    public record Page(List<Notification> items, String nextCursor, int unreadCount) {}

    /** What a client's bell shows after marking. */
    public record Unread(int unreadCount) {}

    private final Db db;

    public Notifications(Db db) {
        this.db = db;
    }

    public Page list(Identity who, boolean unreadOnly, Paging.Request page) {
        UUID me = who.requireUserId();
        return db.as(who, handle -> {
            NotificationSql sql = new NotificationSql(handle);
            Paging.Page<Notification> rows = Paging.page(sql.list(me, unreadOnly, page.after(), page.limit()),
                    page.limit(), n -> Json.MAPPER.createObjectNode()
                            .put("created_at", n.createdAt().toString()).put("id", n.id().toString()));
            return new Page(rows.items(), rows.nextCursor(), sql.unreadCount(me));
        });
    }

    /** Marks one of the caller's notifications read; someone else's is not found. */
    public Unread markRead(Identity who, UUID id) {
        UUID me = who.requireUserId();
        return db.as(who, handle -> {
            NotificationSql sql = new NotificationSql(handle);
            if (!sql.markRead(id)) {
                throw Failure.notFound("Notification");
            }
            return new Unread(sql.unreadCount(me));
        });
    }

    public Unread markAllRead(Identity who) {
        UUID me = who.requireUserId();
        return db.as(who, handle -> {
            NotificationSql sql = new NotificationSql(handle);
            sql.markAllRead(me);
            return new Unread(sql.unreadCount(me));
        });
    }
}
