package studio.nexus.notifications;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import studio.nexus.db.Columns;
import studio.nexus.web.Paging;

/**
 * All SQL of notifications, as their recipient: row-level security shows each musician only their own (V95). A
 * notification keeps ids; the project's title and the comment's words are read here, through the policies of
 * projects and comments, so they appear only to someone who may read them. The title of a project someone is invited
 * to or offered comes from their pending invitation (my_invitations, V20) or the offer's parties
 * (offered_project_title, V82), as on those pages.
 */
final class NotificationSql {
    private final Handle handle;

    NotificationSql(Handle handle) {
        this.handle = handle;
    }

    /** The caller's notifications, newest first; only unread ones when asked. */
    List<Notification> list(UUID me, boolean unreadOnly, Optional<ObjectNode> after, int limit) {
        Query query = handle.createQuery("""
                        WITH invited AS (SELECT i.id, i.project_title FROM public.my_invitations() i)
                        SELECT n.id, n.kind, n.actor_id, public.username_of(n.actor_id) AS actor_username,
                               n.project_id,
                               coalesce((SELECT p.title FROM public.projects p WHERE p.id = n.project_id),
                                        CASE WHEN n.offer_id IS NOT NULL
                                             THEN public.offered_project_title(n.offer_id) END,
                                        (SELECT i.project_title FROM invited i WHERE i.id = n.invitation_id))
                                 AS project_title,
                               n.comment_id, n.invitation_id, n.offer_id, n.job_id,
                               (SELECT left(c.body, 140) FROM public.project_comments c
                                 WHERE c.id = n.comment_id AND c.deleted_at IS NULL) AS excerpt,
                               n.details, n.created_at, n.read_at
                          FROM public.notifications n
                         WHERE n.recipient_id = :me"""
                        + (unreadOnly ? " AND n.read_at IS NULL" : "")
                        + (after.isPresent() ? " AND (n.created_at, n.id) < (:createdAt, :lastId)" : "")
                        + " ORDER BY n.created_at DESC, n.id DESC LIMIT :limit")
                .bind("me", me).bind("limit", limit + 1);
        after.ifPresent(cursor -> query.bind("createdAt", Paging.instant(cursor, "created_at"))
                .bind("lastId", Paging.uuid(cursor, "id")));
        return query.map((rs, ctx) -> notification(rs)).list();
    }

    int unreadCount(UUID me) {
        return handle.createQuery("""
                        SELECT count(*) FROM public.notifications n WHERE n.recipient_id = :me AND n.read_at IS NULL""")
                .bind("me", me).mapTo(Integer.class).one();
    }

    /** Marks one read (again: no change); false when it is not the caller's (or does not exist). */
    boolean markRead(UUID id) {
        return handle.createUpdate("UPDATE public.notifications SET read_at = coalesce(read_at, now()) WHERE id = :id")
                .bind("id", id).execute() == 1;
    }

    void markAllRead(UUID me) {
        handle.createUpdate("""
                        UPDATE public.notifications SET read_at = now() WHERE recipient_id = :me AND read_at IS NULL""")
                .bind("me", me).execute();
    }

    private static Notification notification(ResultSet rs) throws SQLException {
        return new Notification(
                rs.getObject("id", UUID.class),
                rs.getString("kind"),
                rs.getObject("actor_id", UUID.class),
                rs.getString("actor_username"),
                rs.getObject("project_id", UUID.class),
                rs.getString("project_title"),
                rs.getObject("comment_id", UUID.class),
                rs.getObject("invitation_id", UUID.class),
                rs.getObject("offer_id", UUID.class),
                rs.getObject("job_id", UUID.class),
                rs.getString("excerpt"),
                Columns.json(rs, "details"),
                Columns.instant(rs, "created_at"),
                Columns.instant(rs, "read_at"));
    }
}
