package studio.nexus.presets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.audio.ArrayAudioSink;
import studio.nexus.audio.ArrayAudioSource;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.render.OfflineRenderer;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

class EffectsPresetsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(24);
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);
    static Musician ana, ben;

    @BeforeAll
    static void musicians() {
        ana = Musicians.signedIn(server, "ana");
        ben = Musicians.signedIn(server, "ben");
    }

    private static final Map<String, Object> CHAIN = Map.of("name", "Bright", "category", "vocal",
            "effects_chain", List.of(Map.of("type", "gain", "settings", Map.of("gain_db", 3))));

    @Test
    void theSeedsSystemPresetsAreListedValidateAndRenderAsWritten() throws Exception {
        JsonNode list = server.http().get("/api/v1/effects-presets?limit=100", null).json();
        Set<String> names = new HashSet<>();
        for (JsonNode preset : list.path("items")) {
            if (preset.path("is_system_preset").asBoolean()) {
                names.add(preset.path("name").asText());
                var chain = EffectChainParser.parse(preset.path("effects_chain"));
                float[][] tone = new float[2][44_100];
                for (int i = 0; i < tone[0].length; i++) {
                    tone[0][i] = tone[1][i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / 44_100.0));
                }
                ArrayAudioSink sink = new ArrayAudioSink(2);
                OfflineRenderer.Result result = OfflineRenderer.render(() -> new ArrayAudioSource(tone, 44_100),
                        chain, sink, new OfflineRenderer.Options(4096, 1), OfflineRenderer.ProgressListener.NONE,
                        () -> false);
                assertThat(result.framesWritten()).isEqualTo(2 * 44_100L);
            }
        }
        assertThat(names).containsExactlyInAnyOrder("Vocal Warmth", "Ambient Space");
        JsonNode vocal = server.http().get("/api/v1/effects-presets?category=vocal", null).json().path("items");
        assertThat(vocal).allSatisfy(p -> assertThat(p.path("category").asText()).isEqualTo("vocal"));
    }

    @Test
    void presetsAreCreatedValidatedChangedOnlyByTheirAuthorAndPagedByKeyset() {
        Http.Response bad = server.http().post("/api/v1/effects-presets", ana.token(), Map.of("name", "Broken",
                "effects_chain", List.of(Map.of("type", "reverb", "settings", Map.of("room_size", 1.7)))));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("detail").asText()).contains("effects[0] (reverb).room_size");
        for (String body : List.of("{\"name\": 5, \"effects_chain\": []}", "{\"effects_chain\": []}",
                "{\"name\": \"x\", \"effects_chain\": \"reverb\"}", "{\"name\": \"x\", \"effects_chain\": [], \"usage_count\": 9}")) {
            assertThat(server.http().offContract().sendJson("POST", "/api/v1/effects-presets", ana.token(), body).status()).as(body)
                    .isEqualTo(422);
        }
        Http.Response mine = server.http().post("/api/v1/effects-presets", ana.token(), CHAIN);
        assertThat(mine.status()).as(mine.toString()).isEqualTo(201);
        String id = mine.json().path("id").asText();
        assertThat(server.http().patch("/api/v1/effects-presets/" + id, ben.token(), Map.of("name", "Mine")).status())
                .isEqualTo(404); // private: ben cannot see it
        assertThat(server.http().patch("/api/v1/effects-presets/" + id, ana.token(), Map.of("is_public", true)).status())
                .isEqualTo(200);
        assertThat(server.http().patch("/api/v1/effects-presets/" + id, ben.token(), Map.of("name", "Mine")).status())
                .isEqualTo(403);
        assertThat(server.http().delete("/api/v1/effects-presets/" + id, ben.token()).status()).isEqualTo(403);
        assertThat(server.http().offContract().get("/api/v1/effects-presets/not-an-id", null).status()).isEqualTo(404);
        assertThat(server.http().get("/api/v1/effects-presets?cursor=garbage", null).status()).isEqualTo(400);
        assertThat(server.http().offContract().get("/api/v1/effects-presets?limit=0", null).status()).isEqualTo(400);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = server.http().get("/api/v1/effects-presets?limit=1" + (cursor == null ? "" : "&cursor=" + cursor),
                    ana.token()).json();
            page.path("items").forEach(p -> seen.add(p.path("id").asText()));
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates().contains(id).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void applyingCopiesTheChainIntoTheProjectAsTheCallerAndCountsAUse() {
        JsonNode vocal = null;
        for (JsonNode p : server.http().get("/api/v1/effects-presets?category=vocal", null).json().path("items")) {
            if (p.path("name").asText().equals("Vocal Warmth")) {
                vocal = p;
            }
        }
        String presetId = vocal.path("id").asText();
        String project = server.http().post("/api/v1/projects", ana.token(), Map.of("title", "Apply")).json().path("id").asText();
        Http.Response applied = server.http().post("/api/v1/effects-presets/" + presetId + "/apply", ana.token(),
                Map.of("project_id", project));
        assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
        assertThat(applied.json().path("usage_count").asInt()).isEqualTo(vocal.path("usage_count").asInt() + 1);
        JsonNode settings = server.http().get("/api/v1/projects/" + project, ana.token()).json().path("effects_settings");
        assertThat(settings.path("chain")).isEqualTo(vocal.path("effects_chain"));
        assertThat(server.http().post("/api/v1/effects-presets/" + presetId + "/apply", ben.token(),
                Map.of("project_id", project)).status()).isEqualTo(404);
        assertThat(server.http().offContract().post("/api/v1/effects-presets/" + presetId + "/apply", ana.token(),
                Map.of("project_id", "nope")).status()).isEqualTo(422);
    }

    @Test
    void concurrentRatingsGiveAnExactAverageAndOneRatingPerUser() throws Exception {
        String preset = server.http().post("/api/v1/effects-presets", ana.token(),
                Map.of("name", "Rated", "is_public", true, "effects_chain", List.of())).json().path("id").asText();
        int raters = 20;
        List<Musician> people = new ArrayList<>();
        for (int i = 0; i < raters; i++) {
            people.add(Musicians.signedIn(server, "rater" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(raters);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        int sum = 0;
        for (int i = 0; i < raters; i++) {
            Musician who = people.get(i);
            int stars = i % 5 + 1;
            sum += stars;
            answers.add(pool.submit(() -> {
                start.await();
                return server.http().put("/api/v1/effects-presets/" + preset + "/rating", who.token(),
                        Map.of("rating", stars)).status();
            }));
        }
        start.countDown();
        for (Future<Integer> answer : answers) {
            assertThat(answer.get()).isEqualTo(200);
        }
        pool.shutdown();
        JsonNode rated = server.http().get("/api/v1/effects-presets/" + preset, ana.token()).json();
        assertThat(rated.path("rating_count").asInt()).isEqualTo(raters);
        assertThat(rated.path("rating_average").decimalValue()).isEqualByComparingTo(
                BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(raters), 2, RoundingMode.HALF_UP));
        // rating again replaces the rating
        Http.Response again = server.http().put("/api/v1/effects-presets/" + preset + "/rating", people.get(0).token(),
                Map.of("rating", 5));
        assertThat(again.json().path("rating_count").asInt()).isEqualTo(raters);
        assertThat(again.json().path("my_rating").asInt()).isEqualTo(5);
        assertThat(again.json().path("rating_average").decimalValue()).isEqualByComparingTo(
                BigDecimal.valueOf(sum + 4).divide(BigDecimal.valueOf(raters), 2, RoundingMode.HALF_UP));
        for (String body : List.of("{\"rating\": 0}", "{\"rating\": 6}", "{\"rating\": 2.5}", "{}")) {
            assertThat(server.http().offContract().sendJson("PUT", "/api/v1/effects-presets/" + preset + "/rating", ben.token(), body)
                    .status()).as(body).isEqualTo(422);
        }
        assertThat(server.http().put("/api/v1/effects-presets/" + UUID.randomUUID() + "/rating", ben.token(),
                Map.of("rating", 3)).status()).isEqualTo(404);
    }

    @Test
    void aPresetNamesItsAuthorAndASystemPresetNamesNone() {
        Http.Response made = server.http().post("/api/v1/effects-presets", ana.token(),
                Map.of("name", "Authored", "is_public", true, "effects_chain", List.of()));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        assertThat(made.json().path("author_username").asText()).isEqualTo("ana");
        String id = made.json().path("id").asText();
        JsonNode seen = server.http().get("/api/v1/effects-presets/" + id, ben.token()).json();
        assertThat(seen.path("author_username").asText()).isEqualTo("ana");
        assertThat(seen.path("user_id").asText()).isEqualTo(ana.id().toString());
        for (JsonNode preset : server.http().get("/api/v1/effects-presets?limit=100", null).json().path("items")) {
            if (preset.path("is_system_preset").asBoolean()) {
                assertThat(preset.path("author_username").isNull()).as(preset.toString()).isTrue();
            }
        }
    }

    @Test
    void theCatalogDescribesEveryEffect() {
        JsonNode catalog = server.http().get("/api/v1/effects/catalog", null).json().path("effects");
        assertThat(catalog.size()).isGreaterThanOrEqualTo(20);
        assertThat(catalog.toString()).contains("\"reverb\"").contains("room_size");
    }
}
