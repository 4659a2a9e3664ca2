package studio.nexus.comments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
import studio.nexus.testing.ProjectCast;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * Comments through the API: threads at a time range and on a track, replies one level deep, @mentions of people who
 * can see the project, editing by the author, resolving and reopening by editors, deleting (a thread's first comment
 * stays as a tombstone for its replies), the two orders and their pages, the owner's {@code comments_allowed}, and
 * bad input refused with problem+json and nothing written.
 */
class CommentsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    static ProjectCast cast;
    static Http http;

    @BeforeAll
    static void cast() {
        // enterprise: a project per test never meets the free plan's limit
        cast = ProjectCast.signedIn(server, Musicians.named("owner").enterprise());
        http = server.http();
    }

    private static UUID project(String title, boolean isPublic) {
        UUID project = TestProjects.project(server, cast.owner, Map.of("title", title, "is_public", isPublic));
        cast.join(server, project);
        return project;
    }

    private static String track(UUID project) {
        Http.Response made = http.post("/api/v1/projects/" + project + "/tracks", cast.owner.token(),
                Map.of("name", "Vocals"));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        return made.json().path("id").asText();
    }

    private static String comments(UUID project) {
        return "/api/v1/projects/" + project + "/comments";
    }

    private static JsonNode comment(UUID project, String token, Map<String, ?> body) {
        Http.Response made = http.post(comments(project), token, body);
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        return made.json();
    }

    private static long rows(String sql, UUID project) {
        return database.one(Long.class, sql, Map.of("p", project));
    }

    @Test
    void aThreadAtATimeOnATrackGathersRepliesAndRecordsOnlyMentionsOfPeopleWhoCanSeeIt() {
        UUID project = project("Night Drive", false);
        String track = track(project);
        JsonNode root = comment(project, cast.editor.token(), Map.of("body",
                "  Hear the bass here, @viewer and @Owner? (@stranger, mail editor@example.test)  ",
                "at_seconds", 12, "end_seconds", 15.5, "track_id", track));
        assertThat(root.path("body").asText()).isEqualTo(
                "Hear the bass here, @viewer and @Owner? (@stranger, mail editor@example.test)");
        assertThat(root.path("author_username").asText()).isEqualTo("editor");
        assertThat(root.path("at_seconds").asDouble()).isEqualTo(12.0);
        assertThat(root.path("end_seconds").asDouble()).isEqualTo(15.5);
        assertThat(root.path("track_id").asText()).isEqualTo(track);
        // the stranger cannot see this private project: their name is plain text, recorded nowhere
        assertThat(names(root.path("mentions"))).containsExactly("owner", "viewer");
        assertThat(root.path("replies").size()).isZero();
        assertThat(root.path("edited_at").isNull()).isTrue();

        String rootId = root.path("id").asText();
        JsonNode reply = comment(project, cast.viewer.token(), Map.of("body", "Agreed", "parent_id", rootId));
        assertThat(reply.path("parent_id").asText()).isEqualTo(rootId);
        assertThat(reply.has("replies")).isFalse();
        // a reply to a reply joins the thread
        JsonNode second = comment(project, cast.owner.token(), Map.of("body", "Fixed in take 2",
                "parent_id", reply.path("id").asText()));
        assertThat(second.path("parent_id").asText()).isEqualTo(rootId);

        Http.Response list = http.get(comments(project), cast.viewer.token());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("items")).hasSize(1);
        JsonNode thread = list.json().path("items").get(0);
        assertThat(thread.path("id").asText()).isEqualTo(rootId);
        assertThat(bodies(thread.path("replies"))).containsExactly("Agreed", "Fixed in take 2");
        assertThat(list.json().path("can_comment").asBoolean()).isTrue();
        assertThat(list.json().path("comments_allowed").asBoolean()).isFalse();

        Http.Response one = http.get(comments(project) + "/" + reply.path("id").asText(), cast.editor.token());
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("body").asText()).isEqualTo("Agreed");
    }

    @Test
    void theAuthorEditsTheTextAndANewMentionIsRecorded() {
        UUID project = project("Edits", false);
        JsonNode mine = comment(project, cast.viewer.token(), Map.of("body", "First thought"));
        String path = comments(project) + "/" + mine.path("id").asText();
        Http.Response edited = http.patch(path, cast.viewer.token(), Map.of("body", " Second thought, @editor "));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.json().path("body").asText()).isEqualTo("Second thought, @editor");
        assertThat(edited.json().path("edited_at").isNull()).isFalse();
        assertThat(names(edited.json().path("mentions"))).containsExactly("editor");
        // the owner may moderate (delete) but never put words in someone's mouth
        for (String other : List.of("owner", "editor", "admin")) {
            Http.Response refused = http.patch(path, cast.token(other), Map.of("body", "Rewritten by " + other));
            assertThat(refused.status()).as(other + ": " + refused).isEqualTo(403);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        assertThat(database.one(String.class, "SELECT body FROM public.project_comments WHERE id = :id",
                Map.of("id", UUID.fromString(mine.path("id").asText())))).isEqualTo("Second thought, @editor");
    }

    @Test
    void editorsResolveAndReopenAThreadAlsoThroughAReply() {
        UUID project = project("Resolve", false);
        JsonNode root = comment(project, cast.viewer.token(), Map.of("body", "Too loud at the chorus", "at_seconds", 40));
        JsonNode reply = comment(project, cast.owner.token(), Map.of("body", "Will fix",
                "parent_id", root.path("id").asText()));
        comment(project, cast.viewer.token(), Map.of("body", "Another open one", "at_seconds", 3));

        Http.Response resolved = http.post(comments(project) + "/" + reply.path("id").asText() + "/resolve",
                cast.editor.token(), null);
        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
        assertThat(resolved.json().path("id").asText()).isEqualTo(root.path("id").asText());
        assertThat(resolved.json().path("resolved_by_username").asText()).isEqualTo("editor");
        assertThat(resolved.json().path("resolved_at").isNull()).isFalse();

        Http.Response open = http.get(comments(project) + "?unresolved=true", cast.viewer.token());
        assertThat(bodies(open.json().path("items"))).containsExactly("Another open one");
        // the viewer who wrote it may not reopen it: resolving is the editors'
        assertThat(http.post(comments(project) + "/" + root.path("id").asText() + "/reopen", cast.viewer.token(), null)
                .status()).isEqualTo(403);
        Http.Response reopened = http.post(comments(project) + "/" + root.path("id").asText() + "/reopen",
                cast.admin.token(), null);
        assertThat(reopened.status()).isEqualTo(200);
        assertThat(reopened.json().path("resolved_at").isNull()).isTrue();
        assertThat(reopened.json().path("resolved_by_username").isNull()).isTrue();
        assertThat(http.get(comments(project) + "?unresolved=true", cast.viewer.token()).json().path("items"))
                .hasSize(2);
    }

    @Test
    void aDeletedFirstCommentStaysForItsRepliesUntilTheLastOneGoes() {
        UUID project = project("Deletions", false);
        JsonNode root = comment(project, cast.viewer.token(), Map.of("body", "A thread, @editor"));
        String rootPath = comments(project) + "/" + root.path("id").asText();
        JsonNode reply = comment(project, cast.editor.token(), Map.of("body", "A reply",
                "parent_id", root.path("id").asText()));
        JsonNode alone = comment(project, cast.editor.token(), Map.of("body", "Alone"));

        // the owner moderates: the thread's first comment becomes a tombstone, its reply stays
        assertThat(http.delete(rootPath, cast.owner.token()).status()).isEqualTo(204);
        JsonNode thread = threadOf(project, root.path("id").asText());
        assertThat(thread.path("deleted").asBoolean()).isTrue();
        assertThat(thread.path("body").isNull()).isTrue();
        assertThat(thread.path("author_id").isNull()).isTrue();
        assertThat(thread.path("mentions")).isEmpty();
        assertThat(bodies(thread.path("replies"))).containsExactly("A reply");
        // a deleted comment is gone for every further change
        assertThat(http.delete(rootPath, cast.owner.token()).status()).isEqualTo(404);
        assertThat(http.patch(rootPath, cast.viewer.token(), Map.of("body", "back")).status()).isEqualTo(404);
        assertThat(http.get(rootPath, cast.viewer.token()).status()).isEqualTo(404);

        // a comment alone goes at once; the last reply takes the tombstone with it
        assertThat(http.delete(comments(project) + "/" + alone.path("id").asText(), cast.editor.token()).status())
                .isEqualTo(204);
        assertThat(http.delete(comments(project) + "/" + reply.path("id").asText(), cast.editor.token()).status())
                .isEqualTo(204);
        assertThat(http.get(comments(project), cast.owner.token()).json().path("items")).isEmpty();
        assertThat(rows("SELECT count(*) FROM public.project_comments WHERE project_id = :p", project)).isZero();
    }

    @Test
    void aDeletedAccountTakesItsCommentsAndLeavesOthersRepliesTheirThread() {
        UUID project = project("Leaving", true);
        assertThat(http.patch("/api/v1/projects/" + project, cast.owner.token(), Map.of("comments_allowed", true))
                .status()).isEqualTo(200);
        Musicians.Musician leaving = Musicians.signUp(http, "leaving");
        JsonNode root = comment(project, leaving.token(), Map.of("body", "My thread"));
        comment(project, leaving.token(), Map.of("body", "My other thread"));
        comment(project, cast.editor.token(), Map.of("body", "A reply", "parent_id", root.path("id").asText()));
        JsonNode theirs = comment(project, cast.viewer.token(), Map.of("body", "Theirs"));
        comment(project, leaving.token(), Map.of("body", "My reply", "parent_id", theirs.path("id").asText()));

        Http.Response deleted = http.raw("DELETE", "/api/v1/me", leaving.token(), "application/json",
                ("{\"password\":\"" + Musicians.PASSWORD + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        JsonNode list = http.get(comments(project), cast.owner.token()).json();
        assertThat(list.path("items")).hasSize(2);
        JsonNode kept = threadOf(project, root.path("id").asText());
        assertThat(kept.path("deleted").asBoolean()).isTrue();
        assertThat(bodies(kept.path("replies"))).containsExactly("A reply");
        assertThat(threadOf(project, theirs.path("id").asText()).path("replies")).isEmpty();
        assertThat(database.one(Long.class, "SELECT count(*) FROM public.project_comments WHERE author_id = :u",
                Map.of("u", leaving.id()))).isZero();
    }

    @Test
    void threadsListOldestFirstOrByPositionInPagesThatNeitherSkipNorRepeat() {
        UUID project = project("Order", true);
        String track = track(project);
        List<String> made = new ArrayList<>();
        double[] positions = {30, -1, 5, 5, 120, -1, 0.5};
        for (int i = 0; i < positions.length; i++) {
            Map<String, Object> body = new HashMap<>(Map.of("body", "c" + i));
            if (positions[i] >= 0) {
                body.put("at_seconds", positions[i]);
            }
            if (i % 2 == 0) {
                body.put("track_id", track);
            }
            made.add(comment(project, cast.owner.token(), body).path("body").asText());
        }
        assertThat(allPages(project, "order=created", 2)).containsExactlyElementsOf(made);
        // by position: 0.5, 5, 5 (older first), 30, 120, then the unplaced ones oldest first
        assertThat(allPages(project, "order=position", 3)).containsExactly("c6", "c2", "c3", "c0", "c4", "c1", "c5");
        assertThat(allPages(project, "order=position&track_id=" + track, 1)).containsExactly("c6", "c2", "c0", "c4");
        // anonymous listeners read a public project's comments but may not write
        Http.Response anonymous = http.get(comments(project), null);
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.json().path("can_comment").asBoolean()).isFalse();
        assertThat(http.offContract().get(comments(project) + "?order=loudest", null).status()).isEqualTo(400);
        assertThat(http.get(comments(project) + "?cursor=bm90IG91cnM", null).status()).isEqualTo(400);
    }

    @Test
    void theOwnerAloneLetsListenersOfAPublicProjectComment() {
        UUID project = project("Open mic", true);
        String path = "/api/v1/projects/" + project;
        assertThat(http.post(comments(project), cast.stranger.token(), Map.of("body", "Love it")).status())
                .isEqualTo(403);
        for (String collaborator : List.of("editor", "admin")) {
            Http.Response refused = http.patch(path, cast.token(collaborator), Map.of("comments_allowed", true));
            assertThat(refused.status()).as(collaborator + ": " + refused).isEqualTo(403);
        }
        assertThat(http.get(path, cast.owner.token()).json().path("comments_allowed").asBoolean()).isFalse();
        Http.Response allowed = http.patch(path, cast.owner.token(), Map.of("comments_allowed", true));
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
        assertThat(allowed.json().path("comments_allowed").asBoolean()).isTrue();
        assertThat(http.get(comments(project), cast.stranger.token()).json().path("can_comment").asBoolean()).isTrue();
        JsonNode listener = comment(project, cast.stranger.token(), Map.of("body", "Love it", "at_seconds", 61.25));
        // the owner closes comments again: the listener's comment stays; they may delete it, not change it
        assertThat(http.patch(path, cast.owner.token(), Map.of("comments_allowed", false)).status()).isEqualTo(200);
        String mine = comments(project) + "/" + listener.path("id").asText();
        assertThat(http.patch(mine, cast.stranger.token(), Map.of("body", "Still love it")).status()).isEqualTo(403);
        assertThat(http.post(comments(project), cast.stranger.token(), Map.of("body", "Again")).status())
                .isEqualTo(403);
        assertThat(http.delete(mine, cast.stranger.token()).status()).isEqualTo(204);
    }

    @Test
    void badInputIsRefusedWithAProblemAndNothingIsWritten() {
        UUID project = project("Bad input", false);
        UUID other = project("Another", false);
        String otherTrack = track(other);
        String otherComment = comment(other, cast.owner.token(), Map.of("body", "Elsewhere")).path("id").asText();
        String root = comment(project, cast.owner.token(), Map.of("body", "Here")).path("id").asText();
        Http offContract = http.offContract();
        String tooLong = "x".repeat(2001);
        Map<String, Http.Response> answers = new LinkedHashMap<>();
        long commentsBefore = database.one(Long.class, "SELECT count(*) FROM public.project_comments");
        long notificationsBefore = database.one(Long.class, "SELECT count(*) FROM public.notifications");

        answers.put("empty body", http.post(comments(project), cast.editor.token(), Map.of("body", "")));
        answers.put("blank body", http.post(comments(project), cast.editor.token(), Map.of("body", " \n\t ")));
        answers.put("body too long", http.post(comments(project), cast.editor.token(), Map.of("body", tooLong)));
        answers.put("no body", offContract.post(comments(project), cast.editor.token(), Map.of("at_seconds", 1)));
        answers.put("end before at", http.post(comments(project), cast.editor.token(),
                Map.of("body", "x", "at_seconds", 10, "end_seconds", 9.5)));
        answers.put("end without at", http.post(comments(project), cast.editor.token(),
                Map.of("body", "x", "end_seconds", 9.5)));
        answers.put("negative time", offContract.post(comments(project), cast.editor.token(),
                Map.of("body", "x", "at_seconds", -1)));
        answers.put("track of another project", http.post(comments(project), cast.editor.token(),
                Map.of("body", "x", "track_id", otherTrack)));
        answers.put("unknown track", http.post(comments(project), cast.editor.token(),
                Map.of("body", "x", "track_id", UUID.randomUUID().toString())));
        answers.put("unknown parent", http.post(comments(project), cast.editor.token(),
                Map.of("body", "x", "parent_id", UUID.randomUUID().toString())));
        answers.put("reply on another project's comment", http.post(comments(project), cast.editor.token(),
                Map.of("body", "x", "parent_id", otherComment)));
        answers.put("reply with a time", http.post(comments(project), cast.editor.token(),
                Map.of("body", "x", "parent_id", root, "at_seconds", 3)));
        answers.put("unknown field", offContract.post(comments(project), cast.editor.token(),
                Map.of("body", "x", "colour", "red")));
        answers.put("malformed JSON", offContract.raw("POST", comments(project), cast.editor.token(),
                "application/json", "{\"body\": ".getBytes(StandardCharsets.UTF_8)));
        answers.put("body of the wrong type", offContract.post(comments(project), cast.editor.token(),
                Map.of("body", 42)));
        answers.put("edit to empty", http.patch(comments(project) + "/" + root, cast.owner.token(),
                Map.of("body", "   ")));
        answers.put("edit too long", http.patch(comments(project) + "/" + root, cast.owner.token(),
                Map.of("body", tooLong)));
        answers.put("edit a comment of another project", http.patch(comments(project) + "/" + otherComment,
                cast.owner.token(), Map.of("body", "moved")));
        answers.put("malformed comment id", offContract.get(comments(project) + "/not-an-id", cast.owner.token()));

        Map<String, Integer> statuses = new LinkedHashMap<>();
        answers.forEach((what, answer) -> {
            statuses.put(what, answer.status());
            assertThat(answer.contentType()).as(what + ": " + answer).startsWith("application/problem+json");
        });
        Map<String, Integer> expected = new LinkedHashMap<>();
        answers.keySet().forEach(what -> expected.put(what, 422));
        expected.put("malformed JSON", 400);
        expected.put("edit a comment of another project", 404);
        expected.put("malformed comment id", 404);
        assertThat(statuses).isEqualTo(expected);
        assertThat(answers.get("track of another project").json().path("errors").get(0).path("field").asText())
                .isEqualTo("track_id");
        assertThat(answers.get("reply on another project's comment").json().path("errors").get(0).path("field")
                .asText()).isEqualTo("parent_id");

        assertThat(database.one(Long.class, "SELECT count(*) FROM public.project_comments")).isEqualTo(commentsBefore);
        assertThat(database.one(Long.class, "SELECT count(*) FROM public.notifications")).isEqualTo(notificationsBefore);
        assertThat(database.one(String.class, "SELECT body FROM public.project_comments WHERE id = :id",
                Map.of("id", UUID.fromString(root)))).isEqualTo("Here");
        assertThat(database.one(String.class, "SELECT body FROM public.project_comments WHERE id = :id",
                Map.of("id", UUID.fromString(otherComment)))).isEqualTo("Elsewhere");
    }

    private static JsonNode threadOf(UUID project, String id) {
        for (JsonNode thread : http.get(comments(project), cast.owner.token()).json().path("items")) {
            if (thread.path("id").asText().equals(id)) {
                return thread;
            }
        }
        throw new AssertionError("no thread " + id);
    }

    private static List<String> allPages(UUID project, String query, int limit) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = http.get(comments(project) + "?" + query + "&limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor), cast.viewer.token());
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.json().path("items").size()).isLessThanOrEqualTo(limit);
            seen.addAll(bodies(page.json().path("items")));
            cursor = page.json().path("next_cursor").isNull() ? null : page.json().path("next_cursor").asText();
        } while (cursor != null);
        return seen;
    }

    private static List<String> bodies(JsonNode comments) {
        List<String> bodies = new ArrayList<>();
        comments.forEach(c -> bodies.add(c.path("body").asText()));
        return bodies;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }
}
