package studio.nexus.projects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

class ProjectsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);
    static Musician ana, ben, cleo;

    @BeforeAll
    static void musicians() {
        ana = Musicians.named("ana").publicProfile().pro().signedIn(server);
        ben = Musicians.named("ben").pro().signedIn(server);
        cleo = Musicians.named("cleo").pro().signedIn(server);
    }

    private static JsonNode create(Musician who, Map<String, Object> body) {
        Http.Response response = server.http().post("/api/v1/projects", who.token(), body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    private static long projectCount() {
        return database.one(Long.class, "SELECT count(*) FROM public.projects");
    }

    @Test
    void aNewProjectHasItsFieldsTagsNormalisedAndTheOwnersName() {
        JsonNode project = create(ana, Map.of("title", "  Morning Demo ", "genre", "Folk", "metronome_bpm", 92,
                "tags", List.of("Acoustic", "acoustic ", "Guitar"), "effects_settings", Map.of("chain", List.of()),
                "project_settings", Map.of("key", "G")));
        assertThat(project.path("title").asText()).isEqualTo("Morning Demo");
        assertThat(project.path("tags").toString()).isEqualTo("[\"acoustic\",\"guitar\"]");
        assertThat(project.path("metronome_bpm").asInt()).isEqualTo(92);
        assertThat(project.path("status").asText()).isEqualTo("draft");
        assertThat(project.path("is_public").asBoolean()).isFalse();
        assertThat(project.path("owner_username").asText()).isEqualTo("ana");
        assertThat(project.path("my_role").asText()).isEqualTo("owner");
        assertThat(project.path("created_at").asText()).endsWith("Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"title\": \"\"}",
            "{\"title\": \"   \"}",
            "{}",
            "{\"title\": 42}",
            "{\"title\": \"ok\", \"metronome_bpm\": 59}",
            "{\"title\": \"ok\", \"metronome_bpm\": 201}",
            "{\"title\": \"ok\", \"metronome_bpm\": \"fast\"}",
            "{\"title\": \"ok\", \"tags\": \"rock\"}",
            "{\"title\": \"ok\", \"tags\": [1, 2]}",
            "{\"title\": \"ok\", \"tags\": [\"\"]}",
            "{\"title\": \"ok\", \"effects_settings\": [1, 2]}",
            "{\"title\": \"ok\", \"is_public\": \"yes\"}",
            "{\"title\": \"ok\", \"like_count\": 1000}",
            "{\"title\": \"ok\", \"user_id\": \"00000000-0000-0000-0000-000000000000\"}"})
    void invalidProjectsAreRefusedWith422AndNothingIsWritten(String body) {
        long before = projectCount();
        Http.Response response = server.http().offContract().post("/api/v1/projects", ana.token(), body);
        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.json().path("code").asText()).isEqualTo("validation_failed");
        assertThat(response.json().path("errors").size()).isPositive();
        assertThat(projectCount()).isEqualTo(before);
    }

    @Test
    void tooManyTagsOrTooLongTitlesOrHugeSettingsAreRefused() {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            tags.add("t" + i);
        }
        assertThat(server.http().offContract().post("/api/v1/projects", ana.token(), Map.of("title", "x", "tags", tags)).status()).isEqualTo(422);
        assertThat(server.http().offContract().post("/api/v1/projects", ana.token(), Map.of("title", "x".repeat(201))).status()).isEqualTo(422);
        assertThat(server.http().offContract().post("/api/v1/projects", ana.token(), Map.of("title", "x", "tags", List.of("y".repeat(41))))
                .status()).isEqualTo(422);
        assertThat(server.http().post("/api/v1/projects", ana.token(),
                Map.of("title", "x", "project_settings", Map.of("blob", "z".repeat(70_000)))).status()).isEqualTo(422);
    }

    @Test
    void malformedOrHostileBodiesAre4xxProblemsNever500() {
        long before = projectCount();
        Http hostile = server.http().offContract();
        List<Http.Response> responses = List.of(
                hostile.raw("POST", "/api/v1/projects", ana.token(), "application/json", "{\"title\": ".getBytes()),
                hostile.raw("POST", "/api/v1/projects", ana.token(), "application/json", "[{\"title\": \"x\"}]".getBytes()),
                hostile.raw("POST", "/api/v1/projects", ana.token(), "application/json", new byte[] {'{', '"', 't', '"', ':',
                        '"', (byte) 0xC3, (byte) 0x28, '"', '}'}),
                hostile.raw("POST", "/api/v1/projects", ana.token(), "text/plain", "title=x".getBytes()),
                hostile.raw("POST", "/api/v1/projects", ana.token(), "application/json",
                        ("{\"title\": \"" + "a".repeat(2_000_000) + "\"}").getBytes(StandardCharsets.UTF_8)),
                hostile.raw("POST", "/api/v1/projects", ana.token(), "application/json", "{\"title\": \"a\\u0000b\"}".getBytes()),
                hostile.raw("POST", "/api/v1/projects", ana.token(), "application/json", new byte[0]),
                hostile.get("/api/v1/projects/%27%3B%20DROP%20TABLE%20projects%3B%20--", ana.token()),
                hostile.get("/api/v1/projects/not-a-uuid", ana.token()),
                hostile.get("/api/v1/projects?limit=abc", ana.token()),
                hostile.get("/api/v1/projects?limit=100000", ana.token()),
                hostile.get("/api/v1/projects?cursor=%25%25%25", ana.token()),
                hostile.get("/api/v1/projects?cursor=eyJ4IjoxfQ", ana.token()),
                hostile.get("/api/v1/explore?sort=sideways", null),
                hostile.get("/api/v1/projects/" + java.util.UUID.randomUUID() + "/versions/abc", ana.token()));
        for (Http.Response response : responses) {
            assertThat(response.status()).as(response.toString()).isBetween(400, 499);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        assertThat(projectCount()).isEqualTo(before);
    }

    @Test
    void creatingAProjectNeedsASignedInCaller() {
        Http.Response response = server.http().post("/api/v1/projects", null, Map.of("title", "x"));
        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void statusMovesOnlyAlongTheLifecycleAndOnlyTheSystemSetsProcessing() {
        String id = create(ana, Map.of("title", "Lifecycle")).path("id").asText();
        assertThat(server.http().offContract().patch("/api/v1/projects/" + id, ana.token(), Map.of("status", "processing")).status())
                .isEqualTo(422);
        assertThat(server.http().patch("/api/v1/projects/" + id, ana.token(), Map.of("status", "archived")).json()
                .path("code").asText()).isEqualTo("invalid_status_transition");
        database.update("UPDATE public.projects SET status = 'completed' WHERE id = :id::uuid",
                TestDatabase.params("id", id));
        assertThat(server.http().patch("/api/v1/projects/" + id, ana.token(), Map.of("status", "archived")).json()
                .path("status").asText()).isEqualTo("archived");
        assertThat(server.http().patch("/api/v1/projects/" + id, ana.token(), Map.of("status", "draft")).json()
                .path("status").asText()).isEqualTo("draft");
        assertThat(server.http().offContract().patch("/api/v1/projects/" + id, ana.token(), Map.of("status", "finished")).status())
                .isEqualTo(422);
    }

    @Test
    void exploreFiltersByAllTagsGenreTextAndMakerAndSortsByPopularity() {
        String tag = "t" + System.nanoTime();
        String a = create(ana, Map.of("title", "Blue night", "genre", "Jazz", "tags", List.of(tag, "piano"), "is_public", true))
                .path("id").asText();
        String b = create(ben, Map.of("title", "Red morning", "genre", "jazz", "tags", List.of(tag), "is_public", true))
                .path("id").asText();
        create(ben, Map.of("title", "Hidden", "tags", List.of(tag, "piano"), "is_public", false));
        server.http().put("/api/v1/projects/" + b + "/like", cleo.token(), null);

        assertThat(ids(server.http().get("/api/v1/explore?tag=" + tag, null))).containsExactly(b, a);
        assertThat(ids(server.http().get("/api/v1/explore?tag=" + tag + "&tag=piano", null))).containsExactly(a);
        assertThat(ids(server.http().get("/api/v1/explore?tag=" + tag + "&genre=JAZZ&sort=popular", null))).containsExactly(b, a);
        assertThat(ids(server.http().get("/api/v1/explore?tag=" + tag + "&q=night", null))).containsExactly(a);
        assertThat(ids(server.http().get("/api/v1/explore?tag=" + tag + "&user=ben", null))).containsExactly(b);
        JsonNode liked = server.http().get("/api/v1/explore?tag=" + tag, cleo.token()).json().path("items").get(0);
        assertThat(liked.path("liked_by_me").asBoolean()).isTrue();
        assertThat(liked.path("owner_username").asText()).isEqualTo("ben");
        assertThat(liked.path("my_role").isNull()).isTrue();
    }

    @Test
    void explorePagesByKeysetWithoutRepeatsOrGaps() {
        String tag = "page" + System.nanoTime();
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            made.add(create(ana, Map.of("title", "P" + i, "tags", List.of(tag), "is_public", true)).path("id").asText());
        }
        for (String sort : List.of("recent", "popular")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                assertThat(++pages).as("pages for %s: %s", sort, seen).isLessThanOrEqualTo(3);
                Http.Response response = server.http().get("/api/v1/explore?tag=" + tag + "&sort=" + sort + "&limit=3"
                        + (cursor == null ? "" : "&cursor=" + cursor), null);
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                JsonNode page = response.json();
                page.path("items").forEach(p -> seen.add(p.path("id").asText()));
                cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            } while (cursor != null);
            assertThat(seen).hasSize(7).containsExactlyInAnyOrderElementsOf(made);
        }
    }

    @Test
    void featuredListsOnlyFeaturedPublicProjects() {
        String id = create(ana, Map.of("title", "Star", "is_public", true)).path("id").asText();
        database.update("UPDATE public.projects SET is_featured = true WHERE id = :id::uuid",
                TestDatabase.params("id", id));
        List<String> featured = ids(server.http().get("/api/v1/explore/featured?limit=100", null));
        assertThat(featured).contains(id);
        assertThat(server.http().get("/api/v1/explore/featured?limit=100", null).json().path("items"))
                .allSatisfy(p -> assertThat(p.path("is_featured").asBoolean()).isTrue());
    }

    @Test
    void restoringAVersionBringsBackItsEffectsAndFirstKeepsWhatWasCurrentAsANewVersion() {
        String id = create(ana, Map.of("title", "Mixes", "effects_settings", Map.of("gain", 1))).path("id").asText();
        server.http().post("/api/v1/projects/" + id + "/versions", ana.token(), Map.of("title", "gain one"));
        server.http().patch("/api/v1/projects/" + id, ana.token(), Map.of("effects_settings", Map.of("gain", 2)));
        Http.Response restored = server.http().post("/api/v1/projects/" + id + "/versions/1/restore", ana.token(), null);
        assertThat(restored.status()).isEqualTo(201);
        assertThat(restored.json().path("version_number").asInt()).isEqualTo(2);
        assertThat(restored.json().path("title").asText()).isEqualTo("Before restoring version 1");
        assertThat(restored.json().path("effects_settings").path("gain").asInt()).isEqualTo(2);
        assertThat(server.http().get("/api/v1/projects/" + id, ana.token()).json().path("effects_settings").path("gain").asInt())
                .isEqualTo(1);
        // the restore is undone by restoring what it kept
        assertThat(server.http().post("/api/v1/projects/" + id + "/versions/2/restore", ana.token(), null).status())
                .isEqualTo(201);
        assertThat(server.http().get("/api/v1/projects/" + id, ana.token()).json().path("effects_settings").path("gain").asInt())
                .isEqualTo(2);
        assertThat(server.http().get("/api/v1/projects/" + id + "/versions/9", ana.token()).status()).isEqualTo(404);
    }

    @Test
    void anInvitationGivesNothingUntilAcceptedAndTheInviteeCanDeclineOrLeave() {
        String id = create(ana, Map.of("title", "Duet")).path("id").asText();
        Http.Response invited = server.http().post("/api/v1/projects/" + id + "/collaborators", ana.token(),
                Map.of("username", "ben", "role", "editor"));
        assertThat(invited.status()).isEqualTo(201);
        assertThat(invited.json().path("status").asText()).isEqualTo("pending");
        assertThat(server.http().post("/api/v1/projects/" + id + "/collaborators", ana.token(),
                Map.of("username", "ben")).json().path("code").asText()).isEqualTo("already_invited");
        assertThat(server.http().post("/api/v1/projects/" + id + "/collaborators", ana.token(),
                Map.of("username", "ana")).status()).isEqualTo(422);
        assertThat(server.http().offContract().post("/api/v1/projects/" + id + "/collaborators", ana.token(),
                Map.of("username", "ben", "role", "owner")).status()).isEqualTo(422);
        assertThat(server.http().get("/api/v1/projects/" + id, ben.token()).status()).isEqualTo(404);

        JsonNode invitations = server.http().get("/api/v1/invitations", ben.token()).json().path("items");
        assertThat(invitations).hasSize(1);
        assertThat(invitations.get(0).path("project_title").asText()).isEqualTo("Duet");
        assertThat(invitations.get(0).path("invited_by_username").asText()).isEqualTo("ana");
        String invitation = invitations.get(0).path("id").asText();
        assertThat(server.http().post("/api/v1/invitations/" + invitation + "/accept", cleo.token(), null).status()).isEqualTo(404);
        assertThat(server.http().post("/api/v1/invitations/" + invitation + "/accept", ana.token(), null).status()).isEqualTo(404);
        assertThat(server.http().post("/api/v1/invitations/" + invitation + "/accept", ben.token(), null).status()).isEqualTo(204);
        assertThat(server.http().post("/api/v1/invitations/" + invitation + "/decline", ben.token(), null).json().path("code")
                .asText()).isEqualTo("invitation_already_answered");
        assertThat(server.http().get("/api/v1/projects/" + id, ben.token()).json().path("my_role").asText()).isEqualTo("editor");
        assertThat(ids(server.http().get("/api/v1/projects?role=collaborator", ben.token()))).contains(id);

        assertThat(server.http().delete("/api/v1/projects/" + id + "/collaborators/" + ben.id(), ben.token()).status())
                .isEqualTo(204);
        assertThat(server.http().get("/api/v1/projects/" + id, ben.token()).status()).isEqualTo(404);

        server.http().post("/api/v1/projects/" + id + "/collaborators", ana.token(), Map.of("username", "cleo"));
        String cleoInvitation = server.http().get("/api/v1/invitations", cleo.token()).json().path("items").get(0).path("id").asText();
        assertThat(server.http().post("/api/v1/invitations/" + cleoInvitation + "/decline", cleo.token(), null).status())
                .isEqualTo(204);
        assertThat(server.http().get("/api/v1/projects/" + id, cleo.token()).status()).isEqualTo(404);
    }

    @Test
    void anAcceptedTransferOfferMovesOwnershipAndKeepsTheMakerAsAdminWithExactCounters() {
        String id = create(cleo, Map.of("title", "Handover")).path("id").asText();
        int cleoBefore = totalProjects(cleo);
        int benBefore = totalProjects(ben);
        Http.Response offered = server.http().post("/api/v1/projects/" + id + "/transfer", cleo.token(), Map.of("username", "ben"));
        assertThat(offered.status()).as(offered.toString()).isEqualTo(201);
        assertThat(server.http().get("/api/v1/projects/" + id, cleo.token()).json().path("owner_username").asText())
                .as("an offer moves nothing").isEqualTo("cleo");
        assertThat(server.http().post("/api/v1/transfer-offers/" + offered.json().path("id").asText() + "/accept", ben.token(),
                null).status()).isEqualTo(200);
        JsonNode moved = server.http().get("/api/v1/projects/" + id, cleo.token()).json();
        assertThat(moved.path("owner_username").asText()).isEqualTo("ben");
        assertThat(moved.path("my_role").asText()).isEqualTo("admin");
        assertThat(totalProjects(cleo)).isEqualTo(cleoBefore - 1);
        assertThat(totalProjects(ben)).isEqualTo(benBefore + 1);
        assertThat(server.http().delete("/api/v1/projects/" + id, cleo.token()).status()).isEqualTo(403);
        assertThat(server.http().post("/api/v1/projects/" + id + "/transfer", ben.token(), Map.of("username", "nobody_here"))
                .status()).isEqualTo(404);
    }

    @Test
    void playsAreCountedForAnyoneWhoCanSeeTheProject() {
        String id = create(ana, Map.of("title", "Play me", "is_public", true)).path("id").asText();
        server.http().post("/api/v1/projects/" + id + "/plays", null, null);
        Http.Response second = server.http().post("/api/v1/projects/" + id + "/plays", ben.token(), null);
        assertThat(second.json().path("play_count").asInt()).isEqualTo(2);
        assertThat(server.http().get("/api/v1/projects/" + id, null).json().path("last_played_at").asText()).isNotEmpty();
    }

    private static int totalProjects(Musician who) {
        return database.one(Integer.class, "SELECT total_projects FROM public.profiles WHERE id = :id",
                TestDatabase.params("id", who.id()));
    }

    private static List<String> ids(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().path("items").forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }
}
