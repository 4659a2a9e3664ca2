package studio.nexus.projects;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import studio.nexus.web.Caller;
import studio.nexus.db.Identity;
import studio.nexus.web.IfMatch;
import studio.nexus.web.JsonInput;
import studio.nexus.web.Paging;
import studio.nexus.web.PathIds;

/** HTTP handlers of the projects feature: parse, call {@link Projects} or {@link Transfers}, answer. */
public final class ProjectRoutes {
    private final Projects projects;
    private final Transfers transfers;
    private final long maxBody;

    public ProjectRoutes(Projects projects, Transfers transfers, long maxBody) {
        this.projects = projects;
        this.transfers = transfers;
        this.maxBody = maxBody;
    }

    private UUID projectId(Context ctx) {
        return PathIds.uuid(ctx, "id", "Project");
    }

    public void create(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        ProjectInput input = ProjectInput.forCreate(JsonInput.of(ctx, maxBody));
        ctx.status(201).json(projects.create(me, input));
    }

    public void listMine(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        String role = ctx.queryParam("role") == null ? "all" : ctx.queryParam("role");
        if (!role.equals("all") && !role.equals("owner") && !role.equals("collaborator")) {
            throw studio.nexus.web.ApiException.badRequest("invalid_filter", "role must be owner or collaborator");
        }
        ctx.json(projects.listMine(me, role, Paging.request(ctx, 20, 100)));
    }

    public void get(Context ctx) {
        // no ETag here: the body carries the versions, and a validator on this answer lets a browser reuse a stale
        // copy of the project after a render changed it
        ctx.json(projects.get(Caller.identity(ctx), projectId(ctx)));
    }

    public void update(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        ProjectInput input = ProjectInput.forUpdate(JsonInput.of(ctx, maxBody));
        Project updated = projects.update(me, id, input, IfMatch.of(ctx));
        IfMatch.tag(ctx, updated.tag());
        ctx.json(updated);
    }

    public void delete(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        projects.delete(me, projectId(ctx));
        ctx.status(204);
    }

    public void explore(Context ctx) {
        ctx.json(projects.explore(Caller.identity(ctx), ExploreFilter.from(ctx, false),
                Paging.request(ctx, 20, 100)));
    }

    public void featured(Context ctx) {
        ctx.json(projects.explore(Caller.identity(ctx), ExploreFilter.from(ctx, true),
                Paging.request(ctx, 20, 100)));
    }

    public void like(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        Project project = projects.like(me, projectId(ctx), true);
        ctx.json(Map.of("liked", project.likedByMe(), "like_count", project.likeCount()));
    }

    public void unlike(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        Project project = projects.like(me, projectId(ctx), false);
        ctx.json(Map.of("liked", project.likedByMe(), "like_count", project.likeCount()));
    }

    public void play(Context ctx) {
        int plays = projects.play(Caller.identity(ctx), projectId(ctx));
        ctx.json(Map.of("play_count", plays));
    }

    // Versions

    public void snapshot(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        JsonInput in = JsonInput.ofOptional(ctx, maxBody);
        in.allowOnly("title", "description");
        String title = in.text("title", 1, 200, false).map(String::strip).orElse(null);
        String description = in.text("description", 0, 5000, false).orElse(null);
        in.done();
        Version version = projects.snapshot(me, id, title == null || title.isEmpty() ? "Snapshot" : title, description);
        ctx.status(201).json(version);
    }

    public void versions(Context ctx) {
        ctx.json(projects.versions(Caller.identity(ctx), projectId(ctx), Paging.request(ctx, 20, 100)));
    }

    public void version(Context ctx) {
        ctx.json(projects.version(Caller.identity(ctx), projectId(ctx),
                PathIds.positiveInt(ctx, "number", "Version")));
    }

    public void restore(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        ctx.status(201).json(projects.restore(me, projectId(ctx), PathIds.positiveInt(ctx, "number", "Version")));
    }

    public void deleteVersion(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        projects.deleteVersion(me, projectId(ctx), PathIds.positiveInt(ctx, "number", "Version"));
        ctx.status(204);
    }

    // Collaboration

    public void invite(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("username", "role");
        String username = in.text("username", 1, 30, true).orElse(null);
        String role = in.text("role", 1, 10, false).orElse("viewer");
        if (!Projects.isCollaboratorRole(role)) {
            in.reject("role", "must be viewer, editor or admin");
        }
        in.done();
        ctx.status(201).json(projects.invite(me, id, username, role));
    }

    public void collaborators(Context ctx) {
        ctx.json(Map.of("items", projects.collaborators(Caller.signedIn(ctx), projectId(ctx))));
    }

    public void changeRole(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        UUID user = PathIds.uuid(ctx, "userId", "Collaborator");
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("role");
        String role = in.text("role", 1, 10, true).orElse(null);
        if (role != null && !Projects.isCollaboratorRole(role)) {
            in.reject("role", "must be viewer, editor or admin");
        }
        in.done();
        ctx.json(projects.changeRole(me, id, user, role));
    }

    public void removeCollaborator(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        projects.removeCollaborator(me, projectId(ctx), PathIds.uuid(ctx, "userId", "Collaborator"));
        ctx.status(204);
    }

    public void invitations(Context ctx) {
        ctx.json(Map.of("items", projects.invitations(Caller.signedIn(ctx))));
    }

    public void accept(Context ctx) {
        projects.answerInvitation(Caller.signedIn(ctx), PathIds.uuid(ctx, "id", "Invitation"), true);
        ctx.status(204);
    }

    public void decline(Context ctx) {
        projects.answerInvitation(Caller.signedIn(ctx), PathIds.uuid(ctx, "id", "Invitation"), false);
        ctx.status(204);
    }

    // Transfers: offers the recipient accepts or declines

    public void offerTransfer(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("username", "user_id");
        String username = in.text("username", 1, 30, false).orElse(null);
        UUID userId = in.uuid("user_id", false).orElse(null);
        if (in.has("username") && in.has("user_id")) {
            in.reject("user_id", "give the username or the user_id, not both");
        } else if (username == null && userId == null) {
            in.reject("username", "give the username or the user_id of the person to offer the project to");
        }
        in.done();
        ctx.status(201).json(transfers.offer(me, id, new Transfers.Recipient(username, userId)));
    }

    public void transferOffers(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        String direction = ctx.queryParam("direction") == null ? "all" : ctx.queryParam("direction");
        if (!List.of("all", "received", "sent").contains(direction)) {
            throw studio.nexus.web.ApiException.badRequest("invalid_filter", "direction must be received, sent or all");
        }
        String status = ctx.queryParam("status") == null ? "pending" : ctx.queryParam("status");
        if (!List.of("pending", "accepted", "declined", "withdrawn", "all").contains(status)) {
            throw studio.nexus.web.ApiException.badRequest("invalid_filter",
                    "status must be pending, accepted, declined, withdrawn or all");
        }
        UUID project = null;
        if (ctx.queryParam("project_id") != null) {
            try {
                project = UUID.fromString(ctx.queryParam("project_id"));
            } catch (IllegalArgumentException e) {
                throw studio.nexus.web.ApiException.badRequest("invalid_filter", "project_id must be a project's id");
            }
        }
        ctx.json(transfers.list(me, direction, status.equals("all") ? null : status, project,
                Paging.request(ctx, 20, 100)));
    }

    public void transferOffer(Context ctx) {
        ctx.json(transfers.get(Caller.signedIn(ctx), offerId(ctx)));
    }

    public void acceptTransfer(Context ctx) {
        ctx.json(transfers.answer(Caller.signedIn(ctx), offerId(ctx), true));
    }

    public void declineTransfer(Context ctx) {
        ctx.json(transfers.answer(Caller.signedIn(ctx), offerId(ctx), false));
    }

    public void withdrawTransfer(Context ctx) {
        transfers.withdraw(Caller.signedIn(ctx), offerId(ctx));
        ctx.status(204);
    }

    private static UUID offerId(Context ctx) {
        return PathIds.uuid(ctx, "id", "Transfer offer");
    }
}
