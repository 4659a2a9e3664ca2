package studio.nexus.transformations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/** Requests, limits, access and cancellation while pending. No workers run here: jobs stay queued. */
class TransformationRequestsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(24);
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);
    static Musician ana, ben, viv;

    @BeforeAll
    static void musicians() {
        ana = Musicians.named("ana").pro().signedIn(server);
        ben = Musicians.signedIn(server, "ben");
        viv = Musicians.signedIn(server, "viv");
    }

    static JsonNode preset(String name) {
        for (JsonNode p : server.http().get("/api/v1/ai/presets", ana.token()).json().path("items")) {
            if (p.path("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no preset " + name);
    }

    @Test
    void presetsListEveryActivePresetWithItsPremiumFlag() {
        Http.Response response = server.http().get("/api/v1/ai/presets", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("items")).hasSizeGreaterThanOrEqualTo(5);
        assertThat(preset("Jazz with your voice").path("is_premium").asBoolean()).isTrue();
        assertThat(preset("Classical Orchestra").path("is_premium").asBoolean()).isFalse();
    }

    @Test
    void anOwnerRequestsATransformationWhichIsPendingWithItsJobAndCountsEverywhere() throws Exception {
        UUID project = TestProjects.projectWithStoredMelody(server, ana, 4);
        JsonNode orchestral = preset("Classical Orchestra");
        Http.Response response = server.http().post("/api/v1/projects/" + project + "/transformations", ana.token(),
                Map.of("preset_id", orchestral.path("id").asText()));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        JsonNode t = response.json();
        assertThat(t.path("status").asText()).isEqualTo("pending");
        assertThat(t.path("transformation_type").asText()).isEqualTo("orchestral");
        assertThat(t.path("provider").asText()).isEqualTo("local");
        assertThat(t.has("input_audio_path")).isFalse();
        String jobId = t.path("job_id").asText();
        JsonNode job = server.http().get("/api/v1/jobs/" + jobId, ana.token()).json();
        assertThat(job.path("kind").asText()).isEqualTo("transformation");
        assertThat(job.path("max_attempts").asInt()).isEqualTo(3);
        assertThat(preset("Classical Orchestra").path("usage_count").asInt()).isEqualTo(orchestral.path("usage_count").asInt() + 1);
        int total = database.db().asSystem(h -> h.createQuery(
                "SELECT total_transformations FROM public.profiles WHERE id = :id").bind("id", ana.id()).mapTo(Integer.class).one());
        assertThat(total).isGreaterThanOrEqualTo(1);
        assertThat(server.http().get("/api/v1/transformations/" + t.path("id").asText(), ana.token()).status()).isEqualTo(200);
        assertThat(server.http().get("/api/v1/transformations/" + t.path("id").asText(), ben.token()).status()).isEqualTo(404);
    }

    @Test
    void aPresetOfAProviderThisServerLacksIsRefusedWithoutSpendingTheLimit() throws Exception {
        UUID project = TestProjects.projectWithStoredMelody(server, ana, 3);
        long before = database.db().asSystem(h -> h.createQuery(
                "SELECT count(*) FROM public.ai_transformations WHERE user_id = :u").bind("u", ana.id()).mapTo(Long.class).one());
        Http.Response refused = server.http().post("/api/v1/projects/" + project + "/transformations", ana.token(),
                Map.of("preset_id", preset("Cinematic orchestra (MusicGen)").path("id").asText()));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().path("code").asText()).isEqualTo("provider_unavailable");
        long after = database.db().asSystem(h -> h.createQuery(
                "SELECT count(*) FROM public.ai_transformations WHERE user_id = :u").bind("u", ana.id()).mapTo(Long.class).one());
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aProjectWithoutAudioIsRefusedWith409() {
        UUID project = TestProjects.project(server, ana, Map.of("title", "Song", "metronome_bpm", 120));
        Http.Response response = server.http().post("/api/v1/projects/" + project + "/transformations", ana.token(),
                Map.of("transformation_type", "jazz"));
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().path("code").asText()).isEqualTo("no_audio");
    }

    @Test
    void aFreeUserCannotUseAPremiumPresetButAProUserCan() throws Exception {
        UUID benProject = TestProjects.projectWithStoredMelody(server, ben, 3);
        String premium = preset("Jazz with your voice").path("id").asText();
        Http.Response refused = server.http().post("/api/v1/projects/" + benProject + "/transformations", ben.token(),
                Map.of("preset_id", premium));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("code").asText()).isEqualTo("premium_preset");
        UUID anaProject = TestProjects.projectWithStoredMelody(server, ana, 3);
        assertThat(server.http().post("/api/v1/projects/" + anaProject + "/transformations", ana.token(),
                Map.of("preset_id", premium)).status()).isEqualTo(202);
    }

    @Test
    void viewersAndStrangersCannotRequestEditorsCan() throws Exception {
        UUID project = TestProjects.projectWithStoredMelody(server, ana, 3);
        assertThat(server.http().post("/api/v1/projects/" + project + "/transformations", viv.token(),
                Map.of("transformation_type", "jazz")).status()).isEqualTo(404);
        database.db().asSystem(h -> h.createUpdate("""
                INSERT INTO public.project_collaborators (project_id, user_id, role, status, invited_by)
                VALUES (:p, :u, 'viewer', 'accepted', :o)""").bind("p", project).bind("u", viv.id()).bind("o", ana.id()).execute());
        assertThat(server.http().post("/api/v1/projects/" + project + "/transformations", viv.token(),
                Map.of("transformation_type", "jazz")).status()).isEqualTo(403);
        database.db().asSystem(h -> h.createUpdate(
                "UPDATE public.project_collaborators SET role = 'editor' WHERE project_id = :p AND user_id = :u")
                .bind("p", project).bind("u", viv.id()).execute());
        Http.Response accepted = server.http().post("/api/v1/projects/" + project + "/transformations", viv.token(),
                Map.of("transformation_type", "jazz", "parameters", Map.of("mix_original", 0.5)));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        assertThat(accepted.json().path("user_id").asText()).isEqualTo(viv.id().toString());
        assertThat(server.http().offContract().post("/api/v1/projects/" + project + "/transformations", viv.token(),
                Map.of("transformation_type", "Jazz!")).status()).isEqualTo(422);
    }

    @Test
    void tenConcurrentRequestsOfAFreeUserGetExactlyFiveAccepted() throws Exception {
        Musician cleo = Musicians.signedIn(server, "cleo");
        UUID project = TestProjects.projectWithStoredMelody(server, cleo, 3);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return server.http().post("/api/v1/projects/" + project + "/transformations", cleo.token(),
                        Map.of("transformation_type", "electronic")).status();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : results) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).filteredOn(s -> s == 202).hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 402).hasSize(5);
        long rows = database.db().asSystem(h -> h.createQuery(
                "SELECT count(*) FROM public.ai_transformations WHERE user_id = :u").bind("u", cleo.id()).mapTo(Long.class).one());
        long jobs = database.db().asSystem(h -> h.createQuery(
                "SELECT count(*) FROM public.jobs WHERE user_id = :u").bind("u", cleo.id()).mapTo(Long.class).one());
        int total = database.db().asSystem(h -> h.createQuery(
                "SELECT total_transformations FROM public.profiles WHERE id = :u").bind("u", cleo.id()).mapTo(Integer.class).one());
        assertThat(rows).isEqualTo(5);
        assertThat(jobs).isEqualTo(5);
        assertThat(total).isEqualTo(5);
    }

    @Test
    void cancellingAPendingTransformationCancelsItsJobAndThenRefusesAgain() throws Exception {
        UUID project = TestProjects.projectWithStoredMelody(server, ana, 3);
        JsonNode t = server.http().post("/api/v1/projects/" + project + "/transformations", ana.token(),
                Map.of("transformation_type", "jazz")).json();
        String id = t.path("id").asText();
        Http.Response cancelled = server.http().post("/api/v1/transformations/" + id + "/cancel", ana.token(), null);
        assertThat(cancelled.status()).isEqualTo(202);
        assertThat(cancelled.json().path("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.json().path("completed_at").isNull()).isFalse();
        assertThat(server.http().get("/api/v1/jobs/" + t.path("job_id").asText(), ana.token()).json().path("status").asText())
                .isEqualTo("cancelled");
        assertThat(server.http().post("/api/v1/transformations/" + id + "/cancel", ana.token(), null).status()).isEqualTo(409);
        assertThat(server.http().put("/api/v1/transformations/" + id + "/rating", ana.token(), Map.of("user_rating", 4)).status())
                .isEqualTo(409);
        assertThat(server.http().get("/api/v1/transformations/" + id + "/audio", ana.token()).status()).isEqualTo(409);
    }

    @Test
    void listsArePagedByKeysetPerUserAndPerProject() throws Exception {
        Musician dan = Musicians.named("dan").pro().signedIn(server);
        UUID project = TestProjects.projectWithStoredMelody(server, dan, 3);
        for (int i = 0; i < 5; i++) {
            assertThat(server.http().post("/api/v1/projects/" + project + "/transformations", dan.token(),
                    Map.of("transformation_type", "jazz")).status()).isEqualTo(202);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = server.http().get("/api/v1/transformations?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    dan.token()).json();
            page.path("items").forEach(item -> seen.add(item.path("id").asText()));
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
        } while (cursor != null);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
        JsonNode perProject = server.http().get("/api/v1/projects/" + project + "/transformations?limit=10", dan.token()).json();
        assertThat(perProject.path("items")).hasSize(5);
        assertThat(server.http().get("/api/v1/projects/" + project + "/transformations", ben.token()).status()).isEqualTo(404);
    }
}
