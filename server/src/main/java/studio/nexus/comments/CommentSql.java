package studio.nexus.comments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import studio.nexus.core.Failure;
import studio.nexus.db.Columns;
import studio.nexus.web.Paging;

/**
 * All SQL of comments. Runs in the caller's transaction as the caller: V95's policies decide which comments exist for
 * them and which they may write, and its guards which columns each may change.
 */
final class CommentSql {
    /** Where threads without a time position sort when listed by position (ms): after every placed one. */
    static final long UNPLACED_MS = 86_401_000L;

    private static final String COLUMNS = """
            c.id, c.project_id, c.parent_id, c.author_id, public.username_of(c.author_id) AS author_username,
            CASE WHEN c.deleted_at IS NULL THEN c.body END AS body,
            c.at_seconds::float8 AS at_seconds, c.end_seconds::float8 AS end_seconds, c.track_id,
            ARRAY(SELECT m.name FROM (SELECT public.username_of(u) AS name FROM unnest(c.mentioned) u) m
                   WHERE m.name IS NOT NULL ORDER BY m.name) AS mentions,
            c.created_at, c.edited_at, c.resolved_at, public.username_of(c.resolved_by) AS resolved_by_username,
            c.deleted_at IS NOT NULL AS deleted""";

    private final Handle handle;

    CommentSql(Handle handle) {
        this.handle = handle;
    }

    /** Whether the project lets listeners comment, or empty when the caller cannot see the project. */
    Optional<Boolean> commentsAllowed(UUID project) {
        return handle.createQuery("SELECT p.comments_allowed FROM public.projects p WHERE p.id = :p")
                .bind("p", project).mapTo(Boolean.class).findOne();
    }

    /** V95's may_comment(): what the INSERT policy asks. */
    boolean mayComment(UUID project) {
        return handle.createQuery("SELECT public.may_comment(:p)").bind("p", project).mapTo(Boolean.class).one();
    }

    boolean trackExists(UUID project, UUID track) {
        return handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM public.project_tracks t WHERE t.id = :t AND t.project_id = :p)""")
                .bind("p", project).bind("t", track).mapTo(Boolean.class).one();
    }

    Optional<Comment> find(UUID project, UUID id) {
        return handle.createQuery("SELECT " + COLUMNS + """
                         \s FROM public.project_comments c WHERE c.id = :id AND c.project_id = :p""")
                .bind("p", project).bind("id", id).map((rs, ctx) -> comment(rs)).findOne();
    }

    /**
     * A page of threads (first comments) after the cursor: oldest first ({@code created}), or by time position,
     * unplaced ones last, then oldest first ({@code position}).
     */
    List<Comment> threads(UUID project, Comments.Filter filter, Optional<ObjectNode> after, int limit) {
        boolean byPosition = filter.order() == Comments.Order.POSITION;
        String sortKey = byPosition ? "c.position_ms, c.created_at, c.id" : "c.created_at, c.id";
        List<String> where = new ArrayList<>(List.of("c.project_id = :p", "c.parent_id IS NULL"));
        filter.track().ifPresent(t -> where.add("c.track_id = :track"));
        if (filter.unresolvedOnly()) {
            where.add("c.resolved_at IS NULL");
        }
        after.ifPresent(cursor -> where.add("(" + sortKey + ") > ("
                + (byPosition ? ":at, " : "") + ":createdAt, :lastId)"));
        Query query = handle.createQuery("SELECT " + COLUMNS + " FROM public.project_comments c WHERE "
                        + String.join(" AND ", where) + " ORDER BY " + sortKey + " LIMIT :limit")
                .bind("p", project).bind("limit", limit + 1);
        filter.track().ifPresent(t -> query.bind("track", t));
        after.ifPresent(cursor -> {
            query.bind("createdAt", Paging.instant(cursor, "created_at")).bind("lastId", Paging.uuid(cursor, "id"));
            if (byPosition) {
                query.bind("at", position(cursor));
            }
        });
        return query.map((rs, ctx) -> comment(rs)).list();
    }

    /** The replies of these threads, oldest first. */
    List<Comment> replies(List<UUID> threads) {
        if (threads.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("SELECT " + COLUMNS + """
                         \s FROM public.project_comments c WHERE c.parent_id = ANY (:threads)
                         ORDER BY c.created_at, c.id""")
                .bindArray("threads", UUID.class, threads).map((rs, ctx) -> comment(rs)).list();
    }

    UUID insert(UUID project, Comments.NewComment comment) {
        return handle.createQuery("""
                        INSERT INTO public.project_comments (project_id, parent_id, body, at_seconds, end_seconds,
                                                             track_id)
                        VALUES (:p, :parent, :body, :at, :end, :track)
                        RETURNING id""")
                .bind("p", project)
                .bind("parent", comment.parentId().orElse(null))
                .bind("body", comment.body())
                .bind("at", comment.atSeconds().map(BigDecimal::valueOf).orElse(null))
                .bind("end", comment.endSeconds().map(BigDecimal::valueOf).orElse(null))
                .bind("track", comment.trackId().orElse(null))
                .mapTo(UUID.class).one();
    }

    /** Changes the text; false when the policies let no row be changed (the guard refuses a non-author: 42501). */
    boolean updateBody(UUID project, UUID id, String body) {
        return handle.createUpdate("UPDATE public.project_comments SET body = :body WHERE id = :id AND project_id = :p")
                .bind("p", project).bind("id", id).bind("body", body).execute() == 1;
    }

    /** Resolves (the guard sets the time and who) or reopens a thread; false when the policies let no row change. */
    boolean setResolved(UUID project, UUID thread, boolean resolved) {
        return handle.createUpdate("""
                        UPDATE public.project_comments SET resolved_at = CASE WHEN :resolved THEN now() END
                         WHERE id = :id AND project_id = :p""")
                .bind("p", project).bind("id", thread).bind("resolved", resolved).execute() == 1;
    }

    /** Deletes a comment: true when its row went (a thread's first comment with replies stays as a tombstone). */
    boolean delete(UUID project, UUID id) {
        return handle.createUpdate("DELETE FROM public.project_comments WHERE id = :id AND project_id = :p")
                .bind("p", project).bind("id", id).execute() == 1;
    }

    /** Whether the comment became a tombstone in this very transaction (its deletion kept its thread). */
    boolean tombstonedNow(UUID project, UUID id) {
        return handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM public.project_comments c
                                        WHERE c.id = :id AND c.project_id = :p AND c.deleted_at = now())""")
                .bind("p", project).bind("id", id).mapTo(Boolean.class).one();
    }

    private static Comment comment(ResultSet rs) throws SQLException {
        double at = rs.getDouble("at_seconds");
        Double atSeconds = rs.wasNull() ? null : at;
        double end = rs.getDouble("end_seconds");
        Double endSeconds = rs.wasNull() ? null : end;
        return new Comment(
                rs.getObject("id", UUID.class),
                rs.getObject("project_id", UUID.class),
                rs.getObject("parent_id", UUID.class),
                rs.getObject("author_id", UUID.class),
                rs.getString("author_username"),
                rs.getString("body"),
                atSeconds,
                endSeconds,
                rs.getObject("track_id", UUID.class),
                strings(rs.getArray("mentions")),
                Columns.instant(rs, "created_at"),
                Columns.instant(rs, "edited_at"),
                Columns.instant(rs, "resolved_at"),
                rs.getString("resolved_by_username"),
                rs.getBoolean("deleted"),
                null);
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    /** A thread's place in the position order: its start in milliseconds, or after every placed one. */
    static long positionMs(Comment thread) {
        return thread.atSeconds() == null ? UNPLACED_MS
                : BigDecimal.valueOf(thread.atSeconds()).movePointRight(3).setScale(0, RoundingMode.HALF_UP)
                        .longValue();
    }

    private static long position(ObjectNode cursor) {
        JsonNode value = cursor.path("position_ms");
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.longValue() < 0
                || value.longValue() > UNPLACED_MS) {
            throw Failure.badRequest("invalid_cursor", "The cursor is not one this server gave out");
        }
        return value.longValue();
    }
}
