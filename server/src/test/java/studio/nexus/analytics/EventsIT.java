package studio.nexus.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/** Analytics events through HTTP: batches in, own events out, hostile input refused whole, admin counts. */
class EventsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(8);
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    static Map<String, Object> event(String type) {
        Map<String, Object> event = new HashMap<>();
        event.put("event_type", type);
        event.put("event_category", "navigation");
        event.put("event_properties", Map.of("button", "play"));
        event.put("page_url", "https://studio.example/p/1");
        event.put("referrer", "https://search.example/");
        event.put("session_id", "s-123");
        return event;
    }

    static long count(String where) {
        return database.one(Long.class, "SELECT count(*) FROM public.analytics_events WHERE " + where);
    }

    @Test
    void aSignedInBatchIsStoredWithTheServersUserAddressAndAgent() {
        Musician musician = Musicians.signedIn(server, "clicker");
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(event("page_view"));
        }
        Http.Response response = server.http().send(server.http().request("/api/v1/events", musician.token())
                .header("Content-Type", "application/json").header("User-Agent", "StudioTest/1.0")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        studio.nexus.core.Json.MAPPER.valueToTree(Map.of("events", batch)).toString())));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.json().path("accepted").asInt()).isEqualTo(100);
        assertThat(count("user_id = '" + musician.id() + "' AND event_type = 'page_view' AND user_agent = "
                + "'StudioTest/1.0' AND ip_address IS NOT NULL AND event_properties->>'button' = 'play'"))
                .isEqualTo(100);
    }

    @Test
    void anAnonymousBatchIsStoredWithoutAUserEvenIfItClaimsOne() {
        Musician victim = Musicians.signedIn(server, "victim");
        Map<String, Object> forged = event("anon_view");
        Http.Response ok = server.http().post("/api/v1/events", null, Map.of("events", List.of(event("anon_view"))));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(202);
        assertThat(count("event_type = 'anon_view' AND user_id IS NULL")).isEqualTo(1);
        forged.put("user_id", victim.id().toString());
        Http.Response refused = server.http().offContract().post("/api/v1/events", null, Map.of("events", List.of(forged)));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(count("user_id = '" + victim.id() + "'")).isZero();
    }

    @Test
    void aUserReadsOnlyTheirOwnEventsNewestFirstPageByPage() {
        Musician me = Musicians.signedIn(server, "reader");
        Musician other = Musicians.signedIn(server, "other_reader");
        for (int i = 0; i < 5; i++) {
            Map<String, Object> event = event("mine");
            event.put("event_properties", Map.of("n", i));
            assertThat(server.http().post("/api/v1/events", me.token(), Map.of("events", List.of(event))).status())
                    .isEqualTo(202);
        }
        server.http().post("/api/v1/events", other.token(), Map.of("events", List.of(event("theirs"))));
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = server.http().get("/api/v1/events?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    me.token());
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            for (JsonNode item : page.json().path("items")) {
                assertThat(item.path("event_type").asText()).isEqualTo("mine");
                seen.add(item.path("event_properties").path("n").asInt());
            }
            cursor = page.json().path("next_cursor").isNull() ? null : page.json().path("next_cursor").asText();
        } while (cursor != null);
        assertThat(seen).containsExactly(4, 3, 2, 1, 0);
        assertThat(server.http().get("/api/v1/events", null).status()).isEqualTo(401);
        assertThat(server.http().get("/api/v1/events?cursor=garbage", me.token()).status()).isEqualTo(400);
    }

    @Test
    void signUpAndProjectCreationAreRecordedByTheServer() {
        Musician account = Musicians.signUp(server.http(), "tracked");
        assertThat(count("user_id = '" + account.id() + "' AND event_type = 'sign_up'")).isEqualTo(1);
        Http.Response project = server.http().post("/api/v1/projects", account.token(), Map.of("title", "Tracked"));
        assertThat(project.status()).isEqualTo(201);
        assertThat(count("user_id = '" + account.id() + "' AND event_type = 'project_created' AND "
                + "event_properties->>'project_id' = '" + project.json().path("id").asText() + "'")).isEqualTo(1);
        JsonNode mine = server.http().get("/api/v1/events", account.token()).json().path("items");
        assertThat(mine.get(0).path("event_type").asText()).isEqualTo("project_created");
        assertThat(mine.get(1).path("event_type").asText()).isEqualTo("sign_up");
    }

    record Hostile(String name, String body) {}

    @Test
    void malformedOrHostileBatchesAre4xxProblemsAndStoreNothing() {
        Musician musician = Musicians.signedIn(server, "hostile");
        String valid = "{\"event_type\":\"hostile_probe\"}";
        String many = "{\"events\":[" + String.join(",", java.util.Collections.nCopies(101, valid)) + "]}";
        String bigProperties = "{\"events\":[{\"event_type\":\"hostile_probe\",\"event_properties\":{\"x\":\""
                + "a".repeat(8200) + "\"}}]}";
        String longType = "{\"events\":[{\"event_type\":\"" + "t".repeat(101) + "\"}]}";
        List<Hostile> cases = List.of(
                new Hostile("101 events", many),
                new Hostile("no events", "{\"events\":[]}"),
                new Hostile("array body", "[" + valid + "]"),
                new Hostile("events is an object", "{\"events\":" + valid + "}"),
                new Hostile("event is an array", "{\"events\":[" + valid + ",[1,2]]}"),
                new Hostile("event_type is a number", "{\"events\":[" + valid + ",{\"event_type\":7}]}"),
                new Hostile("properties is an array", "{\"events\":[{\"event_type\":\"x\",\"event_properties\":[1]}]}"),
                new Hostile("properties over 8 KiB", bigProperties),
                new Hostile("event_type over 100", longType),
                new Hostile("unknown field", "{\"events\":[{\"event_type\":\"x\",\"ip_address\":\"1.2.3.4\"}]}"),
                new Hostile("unknown top field", "{\"events\":[" + valid + "],\"user_id\":\"x\"}"),
                new Hostile("NUL in properties", "{\"events\":[{\"event_type\":\"hostile_probe\","
                        + "\"event_properties\":{\"x\":\"a\\u0000b\"}}]}"),
                new Hostile("malformed JSON", "{\"events\":[{"),
                new Hostile("empty body", ""));
        List<String> wrong = new ArrayList<>();
        for (Hostile hostile : cases) {
            for (String token : new String[] {musician.token(), null}) {
                Http.Response response = server.http().offContract().raw("POST", "/api/v1/events", token, "application/json",
                        hostile.body().getBytes(StandardCharsets.UTF_8));
                if (response.status() < 400 || response.status() >= 500
                        || !response.contentType().startsWith("application/problem+json")) {
                    wrong.add(hostile.name() + " -> " + response);
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(count("event_type = 'hostile_probe'")).isZero();
        Http.Response text = server.http().offContract().raw("POST", "/api/v1/events", null, "text/plain",
                "{\"events\":[]}".getBytes(StandardCharsets.UTF_8));
        assertThat(text.status()).isEqualTo(415);
    }

    @Test
    void administratorsCountEventsByTypeCategoryAndDayOverABoundedRange() {
        Musician admin = Musicians.named("analyst").admin().signedIn(server);
        Musician musician = Musicians.signedIn(server, "counted");
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> event = event("counted_type");
            event.put("event_category", "counted_category");
            batch.add(event);
        }
        server.http().post("/api/v1/events", musician.token(), Map.of("events", batch));
        Http.Response byType = server.http().get("/api/v1/admin/analytics?group_by=event_type", admin.token());
        assertThat(byType.status()).as(byType.toString()).isEqualTo(200);
        assertThat(countOf(byType.json(), "counted_type")).isEqualTo(3);
        Http.Response byCategory = server.http().get("/api/v1/admin/analytics?group_by=event_category", admin.token());
        assertThat(countOf(byCategory.json(), "counted_category")).isEqualTo(3);
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        Http.Response byDay = server.http().get("/api/v1/admin/analytics?group_by=day&from=" + today, admin.token());
        assertThat(byDay.status()).as(byDay.toString()).isEqualTo(200);
        assertThat(countOf(byDay.json(), today)).isGreaterThanOrEqualTo(3);

        assertThat(server.http().get("/api/v1/admin/analytics?from=2020-01-01&to=2022-01-01", admin.token()).status())
                .isEqualTo(400);
        assertThat(server.http().get("/api/v1/admin/analytics?from=2022-01-02&to=2022-01-01", admin.token()).status())
                .isEqualTo(400);
        assertThat(server.http().offContract().get("/api/v1/admin/analytics?group_by=user_id", admin.token()).status()).isEqualTo(400);
        assertThat(server.http().get("/api/v1/admin/analytics?from=yesterday", admin.token()).status()).isEqualTo(400);
        assertThat(server.http().get("/api/v1/admin/analytics", musician.token()).status()).isEqualTo(403);
    }

    static long countOf(JsonNode answer, String key) {
        for (JsonNode item : answer.path("items")) {
            if (key.equals(item.path("key").asText())) {
                return item.path("count").asLong();
            }
        }
        return 0;
    }
}
