package studio.nexus.comments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.ProjectCast;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * Every comment route, called by each of the owner, an admin, an editor and a viewer collaborator, a signed-in
 * stranger and an anonymous listener, on a private project, a public one whose owner lets listeners comment and a
 * public one whose owner does not. The status each gets is what the rules say, and the database changed exactly when
 * the answer says it did: no read or write that should not have happened, and none missing.
 */
class CommentAccessMatrixIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    static final List<String> PROJECTS = List.of("private", "public, open", "public, closed");
    static ProjectCast cast;
    static Http http;
    static final Map<String, UUID> projects = new LinkedHashMap<>();

    @BeforeAll
    static void cast() {
        cast = ProjectCast.signedIn(server, Musicians.named("owner").enterprise());
        http = server.http();
        for (String kind : PROJECTS) {
            UUID project = TestProjects.project(server, cast.owner, Map.of("title", "Matrix " + kind,
                    "is_public", !kind.equals("private")));
            cast.join(server, project);
            if (kind.equals("public, open")) {
                assertThat(http.patch("/api/v1/projects/" + project, cast.owner.token(),
                        Map.of("comments_allowed", true)).status()).isEqualTo(200);
            }
            projects.put(kind, project);
        }
    }

    /** What each kind of project answers a route: {@code private}, {@code public, open}, {@code public, closed}. */
    private record Rule(Map<String, Integer> privateProject, Map<String, Integer> open, Map<String, Integer> closed) {
        int expected(String project, String caller) {
            return switch (project) {
                case "private" -> privateProject.get(caller);
                case "public, open" -> open.get(caller);
                default -> closed.get(caller);
            };
        }
    }

    /** Statuses in the order of {@link ProjectCast#CALLERS}: owner, editor, admin, viewer, stranger, anonymous. */
    private static Map<String, Integer> codes(int... statuses) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < statuses.length; i++) {
            map.put(ProjectCast.CALLERS.get(i), statuses[i]);
        }
        return map;
    }

    private static String comments(UUID project) {
        return "/api/v1/projects/" + project + "/comments";
    }

    /** A comment put there by the system, as if {@code author} had written it earlier. */
    private static UUID seed(UUID project, Musician author, boolean resolved) {
        return database.one(UUID.class, """
                INSERT INTO public.project_comments (project_id, author_id, body, at_seconds, resolved_at, resolved_by)
                VALUES (:p, :a, 'Seeded', 1, CASE WHEN :resolved THEN now() END, CASE WHEN :resolved THEN :a END)
                RETURNING id""", TestDatabase.params("p", project, "a", author.id(), "resolved", resolved));
    }

    private static Map<String, Object> row(UUID comment) {
        List<Map<String, Object>> rows = database.rows("""
                SELECT body, resolved_at IS NOT NULL AS resolved FROM public.project_comments WHERE id = :id""",
                Map.of("id", comment));
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** One route: calls it as a caller on a project, answers the status and whether the database changed. */
    private interface Call {
        Attempted run(String project, String caller);
    }

    private record Attempted(int status, boolean changed) {}

    @Test
    void everyCallerGetsWhatTheRulesSayAndTheDatabaseAgrees() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        Map<String, Call> calls = new LinkedHashMap<>();
        int[] serial = {0};

        Map<String, Integer> readers = codes(200, 200, 200, 200, 404, 404);
        Map<String, Integer> everyone = codes(200, 200, 200, 200, 200, 200);
        rules.put("list", new Rule(readers, everyone, everyone));
        calls.put("list", (p, c) -> new Attempted(http.get(comments(projects.get(p)), cast.token(c)).status(), false));

        rules.put("read one", new Rule(readers, everyone, everyone));
        calls.put("read one", (p, c) -> {
            UUID target = seed(projects.get(p), cast.owner, false);
            return new Attempted(http.get(comments(projects.get(p)) + "/" + target, cast.token(c)).status(), false);
        });

        rules.put("create", new Rule(codes(201, 201, 201, 201, 404, 401), codes(201, 201, 201, 201, 201, 401),
                codes(201, 201, 201, 201, 403, 401)));
        calls.put("create", (p, c) -> {
            String body = "Made by " + c + " #" + serial[0]++;
            int status = http.post(comments(projects.get(p)), cast.token(c), Map.of("body", body, "at_seconds", 2))
                    .status();
            long made = database.one(Long.class, "SELECT count(*) FROM public.project_comments WHERE body = :b",
                    Map.of("b", body));
            return new Attempted(status, made > 0);
        });

        // what the list says the caller may do agrees with what creating does
        rules.put("can_comment", new Rule(codes(1, 1, 1, 1, 404, 404), codes(1, 1, 1, 1, 1, 0),
                codes(1, 1, 1, 1, 0, 0)));
        calls.put("can_comment", (p, c) -> {
            Http.Response list = http.get(comments(projects.get(p)), cast.token(c));
            return new Attempted(list.status() != 200 ? list.status()
                    : list.json().path("can_comment").asBoolean() ? 1 : 0, false);
        });

        // their own comment (the anonymous caller has none: the owner's); a listener whose owner closed comments
        // keeps what they wrote but may no longer change it
        rules.put("edit own", new Rule(codes(200, 200, 200, 200, 404, 401), codes(200, 200, 200, 200, 200, 401),
                codes(200, 200, 200, 200, 403, 401)));
        calls.put("edit own", (p, c) -> edit(p, c, cast.musician(c) == null ? cast.owner : cast.musician(c)));

        rules.put("edit another's", new Rule(codes(200, 403, 403, 403, 404, 401), codes(200, 403, 403, 403, 403, 401),
                codes(200, 403, 403, 403, 403, 401)));
        calls.put("edit another's", (p, c) -> edit(p, c, cast.owner));

        rules.put("delete own", new Rule(codes(204, 204, 204, 204, 404, 401), codes(204, 204, 204, 204, 204, 401),
                codes(204, 204, 204, 204, 204, 401)));
        calls.put("delete own", (p, c) -> delete(p, c, cast.musician(c) == null ? cast.owner : cast.musician(c)));

        // moderation: the owner and admins delete anyone's comment (the owner's target is the editor's comment)
        rules.put("delete another's", new Rule(codes(204, 403, 204, 403, 404, 401),
                codes(204, 403, 204, 403, 403, 401), codes(204, 403, 204, 403, 403, 401)));
        calls.put("delete another's", (p, c) -> delete(p, c, c.equals("owner") ? cast.editor : cast.owner));

        Map<String, Integer> editors = codes(200, 200, 200, 403, 404, 401);
        Map<String, Integer> editorsPublic = codes(200, 200, 200, 403, 403, 401);
        rules.put("resolve", new Rule(editors, editorsPublic, editorsPublic));
        calls.put("resolve", (p, c) -> resolution(p, c, false, "/resolve"));
        rules.put("reopen", new Rule(editors, editorsPublic, editorsPublic));
        calls.put("reopen", (p, c) -> resolution(p, c, true, "/reopen"));
        // writing a comment gives no say over its resolution: a viewer or listener who wrote it may not resolve it
        rules.put("resolve own", new Rule(editors, editorsPublic, editorsPublic));
        calls.put("resolve own", (p, c) -> {
            UUID target = seed(projects.get(p), cast.musician(c) == null ? cast.owner : cast.musician(c), false);
            int status = http.post(comments(projects.get(p)) + "/" + target + "/resolve", cast.token(c), null).status();
            return new Attempted(status, Boolean.TRUE.equals(row(target).get("resolved")));
        });

        Map<String, Integer> actual = new LinkedHashMap<>();
        Map<String, Integer> expected = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        for (var route : calls.entrySet()) {
            for (String project : PROJECTS) {
                for (String caller : ProjectCast.CALLERS) {
                    String key = route.getKey() + " / " + project + " / " + caller;
                    Attempted attempt = route.getValue().run(project, caller);
                    int wanted = rules.get(route.getKey()).expected(project, caller);
                    actual.put(key, attempt.status());
                    expected.put(key, wanted);
                    boolean succeeded = attempt.status() >= 200 && attempt.status() < 300;
                    boolean writes = !route.getKey().equals("list") && !route.getKey().equals("read one")
                            && !route.getKey().equals("can_comment");
                    if (writes && succeeded != attempt.changed()) {
                        unexpected.add(key + ": answered " + attempt.status() + " but the database "
                                + (attempt.changed() ? "changed" : "did not change"));
                    }
                }
            }
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(unexpected).as("reads or writes the answers do not account for").isEmpty();
    }

    private static Attempted edit(String project, String caller, Musician author) {
        UUID target = seed(projects.get(project), author, false);
        String body = "Rewritten by " + caller;
        int status = http.patch(comments(projects.get(project)) + "/" + target, cast.token(caller), Map.of("body", body))
                .status();
        return new Attempted(status, body.equals(row(target).get("body")));
    }

    private static Attempted delete(String project, String caller, Musician author) {
        UUID target = seed(projects.get(project), author, false);
        int status = http.delete(comments(projects.get(project)) + "/" + target, cast.token(caller)).status();
        return new Attempted(status, row(target) == null);
    }

    private static Attempted resolution(String project, String caller, boolean resolved, String action) {
        UUID target = seed(projects.get(project), cast.owner, resolved);
        int status = http.post(comments(projects.get(project)) + "/" + target + action, cast.token(caller), null)
                .status();
        return new Attempted(status, !Boolean.valueOf(resolved).equals(row(target).get("resolved")));
    }
}
