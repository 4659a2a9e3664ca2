package studio.nexus.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * For each project endpoint and each kind of caller — owner, accepted viewer, editor and collaborator-admin,
 * pending invitee, stranger, anonymous — the status code, on a private and on a public project. A fresh pair of
 * projects per row, so destructive endpoints don't disturb the next row.
 */
class ProjectAccessMatrixIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    // builds ~400 projects with collaborators as one owner within a minute or two: far past any human's write rate
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database)
            .with("STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", "0");

    static Musician owner, viewer, editor, admin, invitee, stranger, target;
    static final String[] CALLERS = {"owner", "viewer", "editor", "admin", "invitee", "stranger", "anonymous"};

    @BeforeAll
    static void cast() {
        owner = Musicians.signedIn(server, database.db(), "owner");
        viewer = Musicians.signedIn(server, database.db(), "viewer");
        editor = Musicians.signedIn(server, database.db(), "editor");
        admin = Musicians.signedIn(server, database.db(), "collab_admin");
        invitee = Musicians.signedIn(server, database.db(), "invitee");
        stranger = Musicians.signedIn(server, database.db(), "stranger");
        target = Musicians.signedIn(server, database.db(), "target");
        database.db().asSystem(handle -> handle.createUpdate(
                "UPDATE public.profiles SET subscription_tier = 'pro' WHERE id = :id").bind("id", owner.id()).execute());
    }

    private static Http http() {
        return server.http();
    }

    private static String token(String caller) {
        return switch (caller) {
            case "owner" -> owner.token();
            case "viewer" -> viewer.token();
            case "editor" -> editor.token();
            case "admin" -> admin.token();
            case "invitee" -> invitee.token();
            case "stranger" -> stranger.token();
            default -> null;
        };
    }

    /** A project with one of each kind of collaborator, one version, and target invited as viewer (pending). */
    private static String project(boolean isPublic) {
        String id = http().post("/api/v1/projects", owner.token(), Map.of("title", "Matrix", "is_public", isPublic))
                .json().path("id").asText();
        for (var member : List.of(Map.entry(viewer, "viewer"), Map.entry(editor, "editor"), Map.entry(admin, "admin"),
                Map.entry(invitee, "viewer"), Map.entry(target, "viewer"))) {
            String invitation = http().post("/api/v1/projects/" + id + "/collaborators", owner.token(),
                    Map.of("username", member.getKey().username(), "role", member.getValue())).json().path("id").asText();
            if (member.getKey() != invitee && member.getKey() != target) {
                assertThat(http().post("/api/v1/invitations/" + invitation + "/accept", member.getKey().token(), null)
                        .status()).isEqualTo(204);
            }
        }
        http().post("/api/v1/projects/" + id + "/versions", owner.token(), Map.of("title", "first"));
        return id;
    }

    record Row(String endpoint, Function<String[], Http.Response> call, int[] privateCodes, int[] publicCodes) {}

    private static int[] codes(int... codes) {
        return codes;
    }

    @Test
    void everyEndpointAnswersEachCallerAsCollaborationRulesSay() {
        // callers:                       owner viewer editor admin invitee stranger anon
        List<Row> rows = List.of(
                new Row("GET project", a -> http().get("/api/v1/projects/" + a[0], a[1]),
                        codes(200, 200, 200, 200, 404, 404, 404), codes(200, 200, 200, 200, 200, 200, 200)),
                new Row("PATCH title", a -> http().patch("/api/v1/projects/" + a[0], a[1], Map.of("title", "New")),
                        codes(200, 403, 200, 200, 404, 404, 401), codes(200, 403, 200, 200, 403, 403, 401)),
                new Row("PATCH visibility", a -> http().patch("/api/v1/projects/" + a[0], a[1],
                        Map.of("is_public", !Boolean.parseBoolean(a[2]))),
                        codes(200, 403, 403, 403, 404, 404, 401), codes(200, 403, 403, 403, 403, 403, 401)),
                new Row("DELETE project", a -> http().delete("/api/v1/projects/" + a[0], a[1]),
                        codes(204, 403, 403, 403, 404, 404, 401), codes(204, 403, 403, 403, 403, 403, 401)),
                new Row("GET versions", a -> http().get("/api/v1/projects/" + a[0] + "/versions", a[1]),
                        codes(200, 200, 200, 200, 404, 404, 404), codes(200, 200, 200, 200, 200, 200, 200)),
                new Row("GET version 1", a -> http().get("/api/v1/projects/" + a[0] + "/versions/1", a[1]),
                        codes(200, 200, 200, 200, 404, 404, 404), codes(200, 200, 200, 200, 200, 200, 200)),
                new Row("POST version", a -> http().post("/api/v1/projects/" + a[0] + "/versions", a[1], Map.of("title", "v")),
                        codes(201, 403, 201, 201, 404, 404, 401), codes(201, 403, 201, 201, 403, 403, 401)),
                new Row("POST restore", a -> http().post("/api/v1/projects/" + a[0] + "/versions/1/restore", a[1], null),
                        codes(201, 403, 201, 201, 404, 404, 401), codes(201, 403, 201, 201, 403, 403, 401)),
                new Row("DELETE version", a -> http().delete("/api/v1/projects/" + a[0] + "/versions/1", a[1]),
                        codes(204, 403, 204, 204, 404, 404, 401), codes(204, 403, 204, 204, 403, 403, 401)),
                new Row("GET collaborators", a -> http().get("/api/v1/projects/" + a[0] + "/collaborators", a[1]),
                        codes(200, 200, 200, 200, 404, 404, 401), codes(200, 200, 200, 200, 403, 403, 401)),
                new Row("POST collaborator", a -> http().post("/api/v1/projects/" + a[0] + "/collaborators", a[1],
                        Map.of("username", "stranger_x", "role", "viewer")),
                        codes(404, 404, 404, 404, 404, 404, 401), codes(404, 404, 404, 404, 404, 404, 401)),
                new Row("PATCH collaborator role", a -> http().patch("/api/v1/projects/" + a[0] + "/collaborators/"
                        + target.id(), a[1], Map.of("role", "editor")),
                        codes(200, 403, 403, 200, 404, 404, 401), codes(200, 403, 403, 200, 403, 403, 401)),
                new Row("DELETE collaborator", a -> http().delete("/api/v1/projects/" + a[0] + "/collaborators/"
                        + target.id(), a[1]),
                        codes(204, 403, 403, 204, 404, 404, 401), codes(204, 403, 403, 204, 403, 403, 401)),
                new Row("PUT like", a -> http().put("/api/v1/projects/" + a[0] + "/like", a[1], null),
                        codes(200, 200, 200, 200, 404, 404, 401), codes(200, 200, 200, 200, 200, 200, 401)),
                new Row("POST play", a -> http().post("/api/v1/projects/" + a[0] + "/plays", a[1], null),
                        codes(200, 200, 200, 200, 404, 404, 404), codes(200, 200, 200, 200, 200, 200, 200)),
                new Row("POST transfer (an offer)", a -> http().post("/api/v1/projects/" + a[0] + "/transfer", a[1],
                        Map.of("username", "target")),
                        codes(201, 403, 403, 403, 404, 404, 401), codes(201, 403, 403, 403, 403, 403, 401)));
        List<String> unexpected = new ArrayList<>();
        for (Row row : rows) {
            for (boolean isPublic : new boolean[] {false, true}) {
                int[] expected = isPublic ? row.publicCodes() : row.privateCodes();
                for (int c = 0; c < CALLERS.length; c++) {
                    String id = project(isPublic);
                    Http.Response response = row.call().apply(new String[] {id, token(CALLERS[c]), Boolean.toString(isPublic)});
                    if (response.status() != expected[c]) {
                        unexpected.add(String.format("%s on a %s project as %s: expected %d, got %s", row.endpoint(),
                                isPublic ? "public" : "private", CALLERS[c], expected[c], response));
                    }
                    if (response.status() >= 400) {
                        assertThat(response.contentType()).startsWith("application/problem+json");
                    }
                }
            }
        }
        assertThat(unexpected).isEmpty();
    }
}
