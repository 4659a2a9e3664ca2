package studio.nexus.testing;

import java.util.List;
import java.util.UUID;
import studio.nexus.testing.Musicians.Musician;

/**
 * The people around a project that access tests call a route as: its owner, an editor, an admin and a viewer
 * collaborator, a signed-in stranger and an anonymous listener, and what the project's rules answer each of them.
 */
public final class ProjectCast {
    /** Every caller, in the order the access matrices list them. */
    public static final List<String> CALLERS = List.of("owner", "editor", "admin", "viewer", "stranger", "anonymous");

    public final Musician owner;
    public final Musician editor;
    public final Musician admin;
    public final Musician viewer;
    public final Musician stranger;

    private ProjectCast(Musician owner, Musician editor, Musician admin, Musician viewer, Musician stranger) {
        this.owner = owner;
        this.editor = editor;
        this.admin = admin;
        this.viewer = viewer;
        this.stranger = stranger;
    }

    /** Signs everyone up on {@code server}; the owner is made as {@code owner} says (a plan, a name). */
    public static ProjectCast signedIn(TestServer server, Musicians.Spec owner) {
        return new ProjectCast(owner.signedIn(server), Musicians.signedIn(server, "editor"),
                Musicians.signedIn(server, "collab_admin"), Musicians.signedIn(server, "viewer"),
                Musicians.signedIn(server, "stranger"));
    }

    /** The editor, the admin and the viewer join the owner's {@code project}. */
    public void join(TestServer server, UUID project) {
        TestProjects.collaborate(server, owner, project, editor, "editor");
        TestProjects.collaborate(server, owner, project, admin, "admin");
        TestProjects.collaborate(server, owner, project, viewer, "viewer");
    }

    /** A new project of the owner, public or not, whose {@code take} plays on track 1, joined by the others. */
    public UUID song(TestServer server, String title, boolean isPublic, byte[] take) {
        UUID project = TestProjects.project(server, owner, java.util.Map.of("title", title, "is_public", isPublic));
        Http.Response uploaded = TestProjects.upload(server, owner, project, take);
        if (uploaded.status() != 201) {
            throw new AssertionError("the take was not uploaded: " + uploaded);
        }
        join(server, project);
        return project;
    }

    /** The musician behind a caller's name (null for "anonymous"). */
    public Musician musician(String caller) {
        return switch (caller) {
            case "owner" -> owner;
            case "editor" -> editor;
            case "admin" -> admin;
            case "viewer" -> viewer;
            case "stranger" -> stranger;
            default -> null;
        };
    }

    /** The caller's bearer token (null for "anonymous"). */
    public String token(String caller) {
        Musician who = musician(caller);
        return who == null ? null : who.token();
    }

    /**
     * What the project's rules answer {@code caller}: a read succeeds for members and, on a public project, for
     * everyone, else 404; a change succeeds for the owner, editors and admins, is 403 for a viewer (and a stranger
     * who can see the project), 404 for a stranger who cannot, 401 without signing in.
     */
    public static int expected(String caller, boolean write, boolean isPublic, int success) {
        boolean member = List.of("owner", "editor", "admin", "viewer").contains(caller);
        if (!write) {
            return member || isPublic ? success : 404;
        }
        return switch (caller) {
            case "owner", "editor", "admin" -> success;
            case "viewer" -> 403;
            case "stranger" -> isPublic ? 403 : 404;
            default -> 401;
        };
    }
}
