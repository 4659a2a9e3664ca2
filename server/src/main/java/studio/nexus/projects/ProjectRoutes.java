package studio.nexus.projects;

import io.javalin.http.Context;
import java.util.Map;
import java.util.UUID;
import studio.nexus.auth.Authentication;
import studio.nexus.db.Identity;
import studio.nexus.web.JsonInput;
import studio.nexus.web.Paging;
import studio.nexus.web.PathIds;

/** HTTP handlers of the projects feature: parse, call {@link Projects}, answer. */
public final class ProjectRoutes {
    private final Projects projects;
    private final long maxBody;

    public ProjectRoutes(Projects projects, long maxBody) {
        this.projects = projects;
        this.maxBody = maxBody;
    }

    private UUID projectId(Context ctx) {
        return PathIds.uuid(ctx, "id", "Project");
    }

    public void create(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
        ProjectInput input = ProjectInput.forCreate(JsonInput.of(ctx, maxBody));
        ctx.status(201).json(projects.create(me, input));
    }

    public void listMine(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
        String role = ctx.queryParam("role") == null ? "all" : ctx.queryParam("role");
        if (!role.equals("all") && !role.equals("owner") && !role.equals("collaborator")) {
            throw studio.nexus.web.ApiException.badRequest("invalid_filter", "role must be owner or collaborator");
        }
        ctx.json(projects.listMine(me, role, Paging.request(ctx, 20, 100)));
    }

    public void get(Context ctx) {
        ctx.json(projects.get(Authentication.identity(ctx), projectId(ctx)));
    }

    public void update(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
        UUID id = projectId(ctx);
        ProjectInput input = ProjectInput.forUpdate(JsonInput.of(ctx, maxBody));
        ctx.json(projects.update(me, id, input));
    }

    public void delete(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
        projects.delete(me, projectId(ctx));
        ctx.status(204);
    }

    public void explore(Context ctx) {
        ctx.json(projects.explore(Authentication.identity(ctx), ExploreFilter.from(ctx, false),
                Paging.request(ctx, 20, 100)));
    }

    public void featured(Context ctx) {
        ctx.json(projects.explore(Authentication.identity(ctx), ExploreFilter.from(ctx, true),
                Paging.request(ctx, 20, 100)));
    }

    public void like(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
        Project project = projects.like(me, projectId(ctx), true);
        ctx.json(Map.of("liked", project.likedByMe(), "like_count", project.likeCount()));
    }

    public void unlike(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
        Project project = projects.like(me, projectId(ctx), false);
        ctx.json(Map.of("liked", project.likedByMe(), "like_count", project.likeCount()));
    }

    public void play(Context ctx) {
        int plays = projects.play(Authentication.identity(ctx), projectId(ctx));
        ctx.json(Map.of("play_count", plays));
    }

    // Versions

    public void snapshot(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
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
        ctx.json(projects.versions(Authentication.identity(ctx), projectId(ctx), Paging.request(ctx, 20, 100)));
    }

    public void version(Context ctx) {
        ctx.json(projects.version(Authentication.identity(ctx), projectId(ctx),
                PathIds.positiveInt(ctx, "number", "Version")));
    }

    public void restore(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
        ctx.status(201).json(projects.restore(me, projectId(ctx), PathIds.positiveInt(ctx, "number", "Version")));
    }

    public void deleteVersion(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
        projects.deleteVersion(me, projectId(ctx), PathIds.positiveInt(ctx, "number", "Version"));
        ctx.status(204);
    }

    // Collaboration

    public void invite(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
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
        ctx.json(Map.of("items", projects.collaborators(Authentication.signedIn(ctx), projectId(ctx))));
    }

    public void changeRole(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
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
        Identity me = Authentication.signedIn(ctx);
        projects.removeCollaborator(me, projectId(ctx), PathIds.uuid(ctx, "userId", "Collaborator"));
        ctx.status(204);
    }

    public void invitations(Context ctx) {
        ctx.json(Map.of("items", projects.invitations(Authentication.signedIn(ctx))));
    }

    public void accept(Context ctx) {
        projects.answerInvitation(Authentication.signedIn(ctx), PathIds.uuid(ctx, "id", "Invitation"), true);
        ctx.status(204);
    }

    public void decline(Context ctx) {
        projects.answerInvitation(Authentication.signedIn(ctx), PathIds.uuid(ctx, "id", "Invitation"), false);
        ctx.status(204);
    }

    public void transfer(Context ctx) {
        Identity me = Authentication.signedIn(ctx);
        UUID id = projectId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("username");
        String username = in.text("username", 1, 30, true).orElse(null);
        in.done();
        ctx.json(projects.transfer(me, id, username));
    }
}
