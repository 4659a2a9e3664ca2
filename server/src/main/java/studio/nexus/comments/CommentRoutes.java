package studio.nexus.comments;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.UUID;
import studio.nexus.db.Identity;
import studio.nexus.web.ApiException;
import studio.nexus.web.Caller;
import studio.nexus.web.JsonInput;
import studio.nexus.web.Paging;
import studio.nexus.web.PathIds;

/** HTTP handlers of a project's comments: parse, call {@link Comments}, answer. */
public final class CommentRoutes {
    /** A comment's text, after trimming. */
    static final int MAX_BODY = 2000;
    /** The latest time a comment may point at: a day into the song. */
    static final double MAX_SECONDS = 86400;

    private final Comments comments;
    private final long maxBody;

    public CommentRoutes(Comments comments, long maxBody) {
        this.comments = comments;
        this.maxBody = maxBody;
    }

    private static UUID projectId(Context ctx) {
        return PathIds.uuid(ctx, "id", "Project");
    }

    private static UUID commentId(Context ctx) {
        return PathIds.uuid(ctx, "commentId", "Comment");
    }

    /** Threads, oldest first ({@code order=created}, the default) or by time position ({@code order=position}). */
    public void list(Context ctx) {
        UUID project = projectId(ctx);
        String order = Optional.ofNullable(ctx.queryParam("order")).orElse("created");
        Comments.Order sort = switch (order) {
            case "created" -> Comments.Order.CREATED;
            case "position" -> Comments.Order.POSITION;
            default -> throw ApiException.badRequest("invalid_filter", "order must be created or position");
        };
        Optional<UUID> track = Optional.ofNullable(ctx.queryParam("track_id")).map(raw -> {
            try {
                UUID id = UUID.fromString(raw);
                if (id.toString().equalsIgnoreCase(raw)) {
                    return id;
                }
            } catch (IllegalArgumentException e) {
                // falls through
            }
            throw ApiException.badRequest("invalid_filter", "track_id must be a track's id");
        });
        String unresolved = Optional.ofNullable(ctx.queryParam("unresolved")).orElse("false");
        if (!unresolved.equals("true") && !unresolved.equals("false")) {
            throw ApiException.badRequest("invalid_filter", "unresolved must be true or false");
        }
        Paging.Request page = Paging.request(ctx, 50, 100);
        ctx.json(comments.list(Caller.identity(ctx), project,
                new Comments.Filter(sort, track, unresolved.equals("true")), page));
    }

    public void get(Context ctx) {
        ctx.json(comments.get(Caller.identity(ctx), projectId(ctx), commentId(ctx)));
    }

    public void create(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID project = projectId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("body", "at_seconds", "end_seconds", "track_id",
                "parent_id");
        Optional<String> body = body(in);
        Optional<Double> at = in.number("at_seconds", 0, MAX_SECONDS, false);
        Optional<Double> end = in.number("end_seconds", 0, MAX_SECONDS, false);
        Optional<UUID> track = in.uuid("track_id", false);
        Optional<UUID> parent = in.uuid("parent_id", false);
        if (end.isPresent() && !in.has("at_seconds")) {
            in.reject("end_seconds", "needs at_seconds, where the range starts");
        }
        if (end.isPresent() && at.isPresent() && end.get() < at.get()) {
            in.reject("end_seconds", "must not be before at_seconds");
        }
        if (in.has("parent_id") && (in.has("at_seconds") || in.has("end_seconds") || in.has("track_id"))) {
            in.reject("parent_id", "a reply takes its thread's place: send no at_seconds, end_seconds or track_id");
        }
        in.done();
        Comments.NewComment comment = new Comments.NewComment(body.orElseThrow(), at, end, track, parent);
        ctx.status(201).json(comments.create(me, project, comment));
    }

    /** Changes the text ({@code body}); the author only. */
    public void edit(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID project = projectId(ctx);
        UUID comment = commentId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("body");
        Optional<String> body = body(in);
        in.done();
        ctx.json(comments.edit(me, project, comment, body.orElseThrow()));
    }

    public void delete(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        comments.delete(me, projectId(ctx), commentId(ctx));
        ctx.status(204);
    }

    public void resolve(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        ctx.json(comments.resolve(me, projectId(ctx), commentId(ctx), true));
    }

    public void reopen(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        ctx.json(comments.resolve(me, projectId(ctx), commentId(ctx), false));
    }

    /** The text, trimmed: 1–2000 characters. */
    private static Optional<String> body(JsonInput in) {
        Optional<String> raw = in.text("body", 0, 4 * MAX_BODY, true);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String body = raw.get().strip();
        int length = body.codePointCount(0, body.length());
        if (length < 1 || length > MAX_BODY) {
            in.reject("body", length < 1 ? "must not be blank"
                    : "must be 1–" + MAX_BODY + " characters long (got " + length + ")");
            return Optional.empty();
        }
        return Optional.of(body);
    }
}
