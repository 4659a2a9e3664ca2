package studio.nexus.transformations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sound.midi.MidiSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.jobs.Job;
import studio.nexus.jobs.JobQueue;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.SettableClock;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;
import studio.nexus.core.Json;

/** Transformations run by the server's own workers with the local arranger. */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class TransformationLifecycleIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(24);
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database)
            .with("STUDIO_JOB_LEASE_SECONDS", "4").with("STUDIO_JOB_BACKOFF_MS", "50").with("STUDIO_WORKERS", "2");
    static Musician ana;

    @BeforeAll
    static void start() {
        ana = Musicians.named("ana").pro().signedIn(server);
    }

    static void startWorkers() {
        server.app().features().workers().start();
    }

    @AfterAll
    static void stop() {
        server.app().features().workers().close();
    }

    static JsonNode request(UUID project, Map<String, Object> body) {
        Http.Response response = server.http().post("/api/v1/projects/" + project + "/transformations", ana.token(), body);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response.json();
    }

    @Test
    void aTransformationGoesFromPendingThroughProcessingToCompletedWithAudioMidiRatingAndKeep() throws Exception {
        UUID project = TestProjects.projectWithStoredMelody(server, ana, 8);
        JsonNode t = request(project, Map.of("transformation_type", "electronic", "parameters", Map.of("tempo", 120)));
        assertThat(t.path("status").asText()).isEqualTo("pending");
        UUID id = UUID.fromString(t.path("id").asText());
        startWorkers();
        JsonNode done = TestProjects.awaitTransformation(server, ana, id, n -> !n.path("status").asText().matches("pending|processing"),
                Duration.ofSeconds(60));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("model_version").asText()).isEqualTo("local-arranger-1");
        assertThat(done.path("quality_score").asDouble()).isBetween(0.5, 1.0);
        assertThat(done.path("started_at").isNull()).isFalse();
        assertThat(done.path("processing_time_seconds").isInt()).isTrue();
        assertThat(Instant.parse(done.path("expires_at").asText()))
                .isAfter(Instant.parse(done.path("completed_at").asText()).plus(Duration.ofDays(6)));
        JsonNode job = server.http().get("/api/v1/jobs/" + done.path("job_id").asText(), ana.token()).json();
        assertThat(job.path("status").asText()).isEqualTo("succeeded");

        Http.Response audio = server.http().get("/api/v1/transformations/" + id + "/audio", ana.token());
        assertThat(audio.status()).isEqualTo(200);
        assertThat(audio.contentType()).startsWith("audio/wav");
        assertThat(new String(audio.bytes(), 0, 4)).isEqualTo("RIFF");
        String etag = audio.header("ETag");
        Http.Response partial = server.http().send(server.http().request("/api/v1/transformations/" + id + "/audio", ana.token())
                .header("Range", "bytes=0-99").GET());
        assertThat(partial.status()).isEqualTo(206);
        assertThat(partial.bytes()).hasSize(100);
        assertThat(partial.header("Content-Range")).isEqualTo("bytes 0-99/" + audio.bytes().length);
        assertThat(server.http().send(server.http().request("/api/v1/transformations/" + id + "/audio", ana.token())
                .header("If-None-Match", etag).GET()).status()).isEqualTo(304);

        Http.Response midi = server.http().get("/api/v1/transformations/" + id + "/midi", ana.token());
        assertThat(midi.status()).isEqualTo(200);
        assertThat(MidiSystem.getSequence(new ByteArrayInputStream(midi.bytes())).getTracks().length).isGreaterThan(2);

        assertThat(server.http().offContract().put("/api/v1/transformations/" + id + "/rating", ana.token(), Map.of("user_rating", 6)).status())
                .isEqualTo(422);
        Http.Response rated = server.http().put("/api/v1/transformations/" + id + "/rating", ana.token(),
                Map.of("user_rating", 5, "user_feedback", "lovely"));
        assertThat(rated.status()).isEqualTo(200);
        assertThat(rated.json().path("user_rating").asInt()).isEqualTo(5);

        // AI plays along: one track per instrument under the vocal, each part as long as the whole result
        Http.Response added = server.http().post("/api/v1/transformations/" + id + "/tracks", ana.token(), null);
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        List<String> names = new java.util.ArrayList<>();
        java.util.Set<Long> lengths = new java.util.HashSet<>();
        for (JsonNode track : added.json().path("items")) {
            names.add(track.path("name").asText());
            assertThat(track.path("clips")).hasSize(1);
            assertThat(track.path("clips").get(0).path("start_frame").asLong()).isZero();
            lengths.add(track.path("clips").get(0).path("length_frames").asLong());
        }
        assertThat(names).containsExactly("AI lead", "AI chords", "AI bass", "AI drums");
        assertThat(lengths).hasSize(1);
        JsonNode arrangement = server.http().get("/api/v1/projects/" + project + "/arrangement", ana.token()).json();
        assertThat(arrangement.path("tracks").findValuesAsText("name"))
                .containsExactly("Track 1", "AI lead", "AI chords", "AI bass", "AI drums");
        JsonNode pool = server.http().get("/api/v1/projects/" + project + "/takes", ana.token()).json().path("items");
        assertThat(pool.findValuesAsText("name")).contains("AI lead", "AI drums");
        for (JsonNode take : pool) {
            if (take.path("name").asText().startsWith("AI ")) {
                assertThat(take.path("clips").asInt()).isEqualTo(1);
                assertThat(take.path("sample_rate").asInt()).isEqualTo(44100);
            }
        }

        Http.Response kept = server.http().post("/api/v1/transformations/" + id + "/keep", ana.token(), null);
        assertThat(kept.status()).as(kept.toString()).isEqualTo(201);
        assertThat(kept.json().path("has_audio").asBoolean()).isTrue();
        assertThat(kept.json().has("audio_file_path")).isFalse();
        JsonNode versions = server.http().get("/api/v1/projects/" + project + "/versions", ana.token()).json();
        assertThat(versions.path("items")).hasSize(2); // the original saved first, then the kept transformation
        String projectAudio = database.db().asSystem(h -> h.createQuery(
                "SELECT original_audio_path FROM public.projects WHERE id = :p").bind("p", project).mapTo(String.class).one());
        String keptAudio = database.db().asSystem(h -> h.createQuery(
                "SELECT audio_file_path FROM public.project_versions WHERE id = :v")
                .bind("v", UUID.fromString(kept.json().path("id").asText())).mapTo(String.class).one());
        assertThat(keptAudio).startsWith("projects/" + project + "/transformation-").isEqualTo(projectAudio);

        // expiry: the sweeper deletes the files when expires_at has passed; the row stays, the audio answers 410
        database.db().asSystem(h -> h.createUpdate(
                "UPDATE public.ai_transformations SET expires_at = now() - interval '1 minute' WHERE id = :id")
                .bind("id", id).execute());
        String outputKey = database.db().asSystem(h -> h.createQuery(
                "SELECT output_audio_path FROM public.ai_transformations WHERE id = :id").bind("id", id).mapTo(String.class).one());
        assertThat(server.app().features().transformationSweeper().sweep()).isGreaterThanOrEqualTo(1);
        assertThat(server.app().features().storage().stat(outputKey)).isEmpty();
        Http.Response gone = server.http().get("/api/v1/transformations/" + id + "/audio", ana.token());
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.json().path("code").asText()).isEqualTo("expired");
        assertThat(server.http().get("/api/v1/transformations/" + id + "/midi", ana.token()).status()).isEqualTo(410);
        JsonNode after = server.http().get("/api/v1/transformations/" + id, ana.token()).json();
        assertThat(after.path("status").asText()).isEqualTo("completed");
        assertThat(after.path("expired_at").isNull()).isFalse();
        assertThat(server.app().features().storage().stat(projectAudio)).isPresent(); // the kept copy stays
        for (JsonNode take : pool) { // so do the parts kept as tracks; the transformation's own parts are gone
            assertThat(server.app().features().storage().stat("projects/" + project + "/" + take.path("take").asText()))
                    .isPresent();
        }
        long partsStored = database.one(Long.class,
                "SELECT count(*) FROM public.stored_objects WHERE key LIKE 'transformations/' || :id || '/part_%'",
                Map.of("id", id.toString()));
        assertThat(partsStored).isZero();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void aJobWhoseWorkerDiedIsCompletedByAnotherWorkerExactlyOnce() throws Exception {
        UUID project = TestProjects.projectWithStoredMelody(server, ana, 6);
        // Before any worker runs, a worker claims the job and dies (never heartbeats). Its clock then moves past the
        // lease: the lease it wrote has run out, the server's reaper hands the job back and a live worker completes
        // it; the dead worker, coming back, cannot record an outcome (fenced).
        SettableClock deadClock = new SettableClock();
        JobQueue deadQueue = new JobQueue(database.db(), deadClock);
        JsonNode t = request(project, Map.of("transformation_type", "jazz"));
        deadClock.set(Instant.now().plusMillis(50));
        Job claimed = deadQueue.claim(List.of("transformation"), "dead-worker", Duration.ofSeconds(1)).orElseThrow();
        deadClock.advance(Duration.ofSeconds(2));
        Thread.sleep(1200);
        assertThat(claimed.id().toString()).isEqualTo(t.path("job_id").asText());
        UUID id = UUID.fromString(t.path("id").asText());
        assertThat(server.http().get("/api/v1/transformations/" + id, ana.token()).json().path("status").asText())
                .isEqualTo("processing");
        startWorkers();
        JsonNode done = TestProjects.awaitTransformation(server, ana, id, n -> n.path("status").asText().equals("completed"),
                Duration.ofSeconds(60));
        assertThat(done.path("retry_count").asInt()).isEqualTo(1);
        assertThat(deadQueue.complete(claimed.id(), "dead-worker", Json.MAPPER.createObjectNode())).isFalse();
        List<String> outputs = server.app().features().storage().list("transformations/" + id + "/");
        assertThat(outputs).filteredOn(k -> k.endsWith(".wav") && !k.contains("/part_")).hasSize(1);
        assertThat(outputs).filteredOn(k -> k.contains("/part_")).hasSize(4); // jazz: lead, chords, bass, drums
        assertThat(outputs).filteredOn(k -> k.endsWith(".mid")).hasSize(1);
        Job job = database.db().asSystem(h -> JobQueue.find(h, claimed.id())).orElseThrow();
        assertThat(job.attempts()).isEqualTo(2);
        assertThat(job.status()).isEqualTo("succeeded");
    }

    @Test
    void aFailingTransformationIsRetriedThenFailsWithItsCode() throws Exception {
        UUID project = TestProjects.projectWithStoredMelody(server, ana, 4);
        // the stored input disappears: a non-retryable failure; a style the arranger does not play is another
        JsonNode t = request(project, Map.of("transformation_type", "reggae"));
        startWorkers();
        JsonNode done = TestProjects.awaitTransformation(server, ana, UUID.fromString(t.path("id").asText()),
                n -> n.path("status").asText().equals("failed"), Duration.ofSeconds(60));
        assertThat(done.path("error_code").asText()).isEqualTo("unsupported_transformation");
        assertThat(done.path("error_message").asText()).contains("reggae");
        assertThat(done.path("completed_at").isNull()).isFalse();
    }
}
