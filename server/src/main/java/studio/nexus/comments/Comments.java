package studio.nexus.comments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import studio.nexus.core.Failure;
import studio.nexus.core.Json;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.web.Paging;

/**
 * Comments on a project's timeline: threads (a first comment, optionally at a time range and on a track) and their
 * replies, one level deep. Every step runs as the caller, so V95's policies and guards decide who reads, writes,
 * edits, resolves and deletes; this class checks what a client can be told clearly first (a parent or a track of
 * another project is invalid input, 422) and turns "nothing happened" into 404 (the caller cannot see the project or
 * the comment) or 403 (they can, but may not do this). Everything a call writes is one transaction. Thread-safe.
 */
public final class Comments {
    /** How threads are listed: oldest first, or by time position (unplaced threads last), then oldest first. */
    public enum Order { CREATED, POSITION }

    /** Which threads a list shows. */
    public record Filter(Order order, Optional<UUID> track, boolean unresolvedOnly) {}

    /** A new comment, validated: a trimmed body of 1–2000 characters; a reply carries no place of its own. */
    public record NewComment(String body, Optional<Double> atSeconds, Optional<Double> endSeconds,
                             Optional<UUID> trackId, Optional<UUID> parentId) {}

    /** A page of threads, and what the caller may do with the project's comments. */
    public record Page(List<Comment> items, String nextCursor, boolean commentsAllowed, boolean canComment) {}

    private final Db db;

    public Comments(Db db) {
        this.db = db;
    }

    public Page list(Identity who, UUID project, Filter filter, Paging.Request page) {
        return db.as(who, handle -> {
            CommentSql sql = new CommentSql(handle);
            boolean allowed = sql.commentsAllowed(project).orElseThrow(() -> Failure.notFound("Project"));
            List<Comment> rows = sql.threads(project, filter, page.after(), page.limit());
            Paging.Page<Comment> threads = Paging.page(rows, page.limit(), cursorKey(filter.order()));
            List<Comment> items = withReplies(sql, threads.items());
            return new Page(items, threads.nextCursor(), allowed, who.isSignedIn() && sql.mayComment(project));
        });
    }

    public Comment get(Identity who, UUID project, UUID id) {
        return db.as(who, handle -> {
            CommentSql sql = new CommentSql(handle);
            return whole(sql, visible(sql, project, id));
        });
    }

    public Comment create(Identity who, UUID project, NewComment comment) {
        return db.as(who, handle -> {
            CommentSql sql = new CommentSql(handle);
            sql.commentsAllowed(project).orElseThrow(() -> Failure.notFound("Project"));
            if (comment.parentId().isPresent() && sql.find(project, comment.parentId().get()).isEmpty()) {
                throw Failure.validation("parent_id", "is not a comment of this project");
            }
            if (comment.trackId().isPresent() && !sql.trackExists(project, comment.trackId().get())) {
                throw Failure.validation("track_id", "is not a track of this project");
            }
            if (!sql.mayComment(project)) {
                throw Failure.forbidden("Only the project's owner and collaborators comment here, and listeners when"
                        + " the owner allows it");
            }
            UUID id = sql.insert(project, comment);
            return whole(sql, sql.find(project, id).orElseThrow());
        });
    }

    /** Changes a comment's text: its author only (the guard refuses anyone else, 403). */
    public Comment edit(Identity who, UUID project, UUID id, String body) {
        return db.as(who, handle -> {
            CommentSql sql = new CommentSql(handle);
            visible(sql, project, id);
            if (!sql.updateBody(project, id, body)) {
                throw Failure.forbidden("Only its author changes a comment");
            }
            return whole(sql, sql.find(project, id).orElseThrow());
        });
    }

    /** Resolves or reopens the thread the comment belongs to: the project's owner, admins and editors. */
    public Comment resolve(Identity who, UUID project, UUID id, boolean resolved) {
        return db.as(who, handle -> {
            CommentSql sql = new CommentSql(handle);
            Comment comment = visible(sql, project, id);
            UUID thread = comment.parentId() != null ? comment.parentId() : comment.id();
            if (!sql.setResolved(project, thread, resolved)) {
                throw Failure.forbidden("Only the project's owner, admins and editors resolve comments");
            }
            return whole(sql, sql.find(project, thread).orElseThrow());
        });
    }

    /**
     * Deletes a comment: its author, or the project's owner and collaborator admins (moderation). A thread's first
     * comment with replies stays as a tombstone so that the replies keep their thread; a reply, or a first comment
     * alone, goes with what it told people.
     */
    public void delete(Identity who, UUID project, UUID id) {
        db.as(who, handle -> {
            CommentSql sql = new CommentSql(handle);
            visible(sql, project, id);
            if (!sql.delete(project, id) && !sql.tombstonedNow(project, id)) {
                throw Failure.forbidden("Only its author, or the project's owner and admins, delete a comment");
            }
            return null;
        });
    }

    /** A comment the caller can see and that is not deleted, else 404 (the project's when it is invisible). */
    private static Comment visible(CommentSql sql, UUID project, UUID id) {
        sql.commentsAllowed(project).orElseThrow(() -> Failure.notFound("Project"));
        return sql.find(project, id).filter(c -> !c.deleted()).orElseThrow(() -> Failure.notFound("Comment"));
    }

    /** A thread's first comment with its replies; a reply as it is. */
    private static Comment whole(CommentSql sql, Comment comment) {
        return comment.parentId() != null ? comment : withReplies(sql, List.of(comment)).get(0);
    }

    private static List<Comment> withReplies(CommentSql sql, List<Comment> threads) {
        Map<UUID, List<Comment>> replies = new LinkedHashMap<>();
        threads.forEach(t -> replies.put(t.id(), new java.util.ArrayList<>()));
        for (Comment reply : sql.replies(List.copyOf(replies.keySet()))) {
            replies.get(reply.parentId()).add(reply);
        }
        return threads.stream().map(t -> t.withReplies(replies.get(t.id()))).toList();
    }

    private static Function<Comment, ObjectNode> cursorKey(Order order) {
        return c -> {
            ObjectNode key = Json.MAPPER.createObjectNode();
            if (order == Order.POSITION) {
                key.put("position_ms", CommentSql.positionMs(c));
            }
            return key.put("created_at", c.createdAt().toString()).put("id", c.id().toString());
        };
    }
}
