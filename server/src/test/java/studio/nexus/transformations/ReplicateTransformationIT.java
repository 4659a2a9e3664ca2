package studio.nexus.transformations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
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

/** The replicate provider against a fake Replicate (polling, webhooks, throttling, failures, cancel). */
class ReplicateTransformationIT {
    static final FakeReplicate replicate = new FakeReplicate();
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "a-test-webhook-signing-key-32-by".getBytes(StandardCharsets.UTF_8));
    static final WebhookSignature signer = new WebhookSignature(SECRET);

    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(24);
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database)
            .with("STUDIO_JOB_LEASE_SECONDS", "4").with("STUDIO_JOB_BACKOFF_MS", "50").with("STUDIO_WORKERS", "2")
            .with("STUDIO_REPLICATE_TOKEN", FakeReplicate.TOKEN)
            .with("STUDIO_REPLICATE_BASE_URL", replicate.base)
            .with("STUDIO_REPLICATE_WEBHOOK_SECRET", SECRET)
            .with("STUDIO_REPLICATE_POLL_MS", "100")
            .with("STUDIO_PUBLIC_URL", "https://studio.example/");
    static Musician ana;
    static String preset;

    @BeforeAll
    static void start() {
        ana = Musicians.named("ana").pro().signedIn(server);
        for (JsonNode p : server.http().get("/api/v1/ai/presets", ana.token()).json().path("items")) {
            if (p.path("name").asText().equals("Cinematic orchestra (MusicGen)")) {
                preset = p.path("id").asText();
            }
        }
        assertThat(preset).isNotNull();
        server.app().features().workers().start();
    }

    @AfterAll
    static void stop() {
        server.app().features().workers().close();
        replicate.close();
    }

    static UUID request() throws Exception {
        UUID project = TestProjects.projectWithStoredMelody(server, ana, 4);
        Http.Response response = server.http().post("/api/v1/projects/" + project + "/transformations", ana.token(),
                Map.of("preset_id", preset));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.json().path("provider").asText()).isEqualTo("replicate");
        return UUID.fromString(response.json().path("id").asText());
    }

    static JsonNode awaitEnd(UUID id) throws InterruptedException {
        return TestProjects.awaitTransformation(server, ana, id, n -> !n.path("status").asText().matches("pending|processing"),
                Duration.ofSeconds(60));
    }

    /** Waits until the job created its prediction and answers the prediction id. */
    static String awaitPrediction(UUID id) throws InterruptedException {
        JsonNode t = TestProjects.awaitTransformation(server, ana, id, n -> n.hasNonNull("replicate_prediction_id")
                && n.path("status").asText().equals("processing"), Duration.ofSeconds(30));
        return t.path("replicate_prediction_id").asText();
    }

    static Map<String, Object> row(UUID id) {
        return database.db().asSystem(h -> h.createQuery("""
                        SELECT status, provider_status, provider_output_path, output_audio_path
                        FROM public.ai_transformations WHERE id = :id""").bind("id", id).mapToMap().one());
    }

    /** The row without provider_status (which polling moves between starting and processing). */
    static Map<String, Object> outcome(UUID id) {
        Map<String, Object> row = new java.util.HashMap<>(row(id));
        row.remove("provider_status");
        return row;
    }

    static Http.Response deliver(String webhookId, Instant timestamp, String body, boolean rightKey) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(timestamp.getEpochSecond());
        WebhookSignature key = rightKey ? signer : new WebhookSignature("whsec_" + Base64.getEncoder()
                .encodeToString("another-key-that-is-not-ours-123".getBytes(StandardCharsets.UTF_8)));
        return server.http().send(server.http().request("/api/v1/webhooks/replicate", null)
                .header("Content-Type", "application/json")
                .header("webhook-id", webhookId).header("webhook-timestamp", ts)
                .header("webhook-signature", "v1,bm90IGl0 " + key.sign(webhookId, ts, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    static String succeeded(String predictionId) {
        return "{\"id\":\"" + predictionId + "\",\"status\":\"succeeded\",\"output\":\"" + replicate.outputUrl()
                + "\",\"error\":null}";
    }

    static void assertAudioServed(UUID id) {
        Http.Response audio = server.http().get("/api/v1/transformations/" + id + "/audio", ana.token());
        assertThat(audio.status()).isEqualTo(200);
        assertThat(audio.contentType()).startsWith("audio/wav");
        assertThat(audio.bytes()).isEqualTo(replicate.wav);
    }

    @Test
    void completesByPollingWithTheOutputCopiedIntoOurStorage() throws Exception {
        replicate.mode = FakeReplicate.Mode.SUCCEED_AFTER_POLLS;
        int before = replicate.created.size();
        UUID id = request();
        JsonNode done = awaitEnd(id);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("model_version").asText()).startsWith("replicate:meta/musicgen:stereo-melody-large@");
        assertThat(row(id).get("provider_status")).isEqualTo("succeeded");
        assertThat((String) row(id).get("output_audio_path")).startsWith("transformations/" + id + "/output-");
        assertAudioServed(id);

        JsonNode sent = replicate.created.get(before);
        assertThat(sent.path("version").asText()).isEqualTo(ReplicateProvider.MUSICGEN_VERSION);
        JsonNode input = sent.path("input");
        assertThat(input.path("model_version").asText()).isEqualTo("stereo-melody-large");
        assertThat(input.path("prompt").asText()).startsWith("cinematic orchestral arrangement");
        assertThat(input.path("duration").asInt()).isEqualTo(30);
        assertThat(input.path("input_audio").asText()).startsWith("data:audio/wav;base64,");
        byte[] clip = Base64.getDecoder().decode(input.path("input_audio").asText().substring(22));
        assertThat(new String(clip, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        // the fixture is 22 050 Hz mono: decimated by 2, 16-bit
        var format = javax.sound.sampled.AudioSystem.getAudioFileFormat(new java.io.ByteArrayInputStream(clip)).getFormat();
        assertThat(format.getSampleRate()).isEqualTo(11025f);
        assertThat(format.getChannels()).isEqualTo(1);
        assertThat(clip.length).isLessThan(1 << 20);
        assertThat(sent.path("webhook").asText()).isEqualTo("https://studio.example/api/v1/webhooks/replicate");
        assertThat(sent.path("webhook_events_filter").toString()).isEqualTo("[\"completed\"]");
        assertThat(replicate.createHeaders.get(before)).containsEntry("Authorization", "Bearer " + FakeReplicate.TOKEN)
                .containsEntry("Cancel-After", "15m");
    }

    @Test
    void completesThroughASignedWebhookAndAReplayChangesNothing() throws Exception {
        replicate.mode = FakeReplicate.Mode.PROCESSING_FOREVER;
        UUID id = request();
        String prediction = awaitPrediction(id);
        String webhookId = "msg_" + UUID.randomUUID();
        Http.Response accepted = deliver(webhookId, Instant.now(), succeeded(prediction), true);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        JsonNode done = awaitEnd(id);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertAudioServed(id);
        assertThat(replicate.predictions.get(prediction).status).isIn("starting", "processing"); // never succeeded there
        Map<String, Object> after = row(id);

        Http.Response replay = deliver(webhookId, Instant.now(), succeeded(prediction), true);
        assertThat(replay.status()).isEqualTo(409);
        assertThat(replay.json().path("code").asText()).isEqualTo("webhook_replayed");
        assertThat(row(id)).isEqualTo(after);
    }

    @Test
    void honoursTooManyRequestsWithRetryAfterThenSucceeds() throws Exception {
        replicate.mode = FakeReplicate.Mode.SUCCEED_AFTER_POLLS;
        replicate.tooManyRequests.set(1);
        int calls = replicate.createCalls.get();
        Instant started = Instant.now();
        UUID id = request();
        JsonNode done = awaitEnd(id);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("retry_count").asInt()).isZero();   // waited inside the attempt, not a job retry
        assertThat(replicate.createCalls.get() - calls).isEqualTo(2);
        assertThat(Duration.between(started, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertAudioServed(id);
    }

    @Test
    void aFailingPredictionIsRetriedThenFailsWithProviderFailed() throws Exception {
        replicate.mode = FakeReplicate.Mode.FAIL;
        int before = replicate.created.size();
        UUID id = request();
        JsonNode done = awaitEnd(id);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("failed");
        assertThat(done.path("error_code").asText()).isEqualTo("provider_failed");
        assertThat(done.path("error_message").asText()).contains("CUDA out of memory");
        assertThat(done.path("retry_count").asInt()).isEqualTo(2);
        assertThat(replicate.created.size() - before).isEqualTo(3);   // a new prediction per attempt
        assertThat(server.http().get("/api/v1/transformations/" + id + "/audio", ana.token()).status()).isEqualTo(409);
    }

    @Test
    void cancellingWhileProcessingCancelsThePrediction() throws Exception {
        replicate.mode = FakeReplicate.Mode.PROCESSING_FOREVER;
        UUID id = request();
        String prediction = awaitPrediction(id);
        Http.Response cancel = server.http().post("/api/v1/transformations/" + id + "/cancel", ana.token(), null);
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(202);
        Instant deadline = Instant.now().plusSeconds(20);
        while (!replicate.cancelled.contains(prediction) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(replicate.cancelled).contains(prediction);
        JsonNode t = awaitEnd(id);
        assertThat(t.path("status").asText()).isEqualTo("cancelled");
        String jobId = t.path("job_id").asText();
        Instant jobDeadline = Instant.now().plusSeconds(20);
        String jobStatus = "";
        while (Instant.now().isBefore(jobDeadline)) {
            jobStatus = server.http().get("/api/v1/jobs/" + jobId, ana.token()).json().path("status").asText();
            if (jobStatus.equals("cancelled")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(jobStatus).isEqualTo("cancelled");
    }

    @Test
    void webhooksWithAWrongSignatureAStaleTimestampOrAReplayedIdAreRefusedWithoutChangingAnything()
            throws Exception {
        replicate.mode = FakeReplicate.Mode.PROCESSING_FOREVER;
        UUID id = request();
        String prediction = awaitPrediction(id);
        Map<String, Object> before = outcome(id);
        assertThat(before.get("provider_output_path")).isNull();

        Http.Response forged = deliver("msg_" + UUID.randomUUID(), Instant.now(), succeeded(prediction), false);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.json().path("code").asText()).isEqualTo("webhook_signature_invalid");
        Http.Response unsigned = server.http().send(server.http().request("/api/v1/webhooks/replicate", null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(succeeded(prediction))));
        assertThat(unsigned.status()).isEqualTo(401);
        Http.Response old = deliver("msg_" + UUID.randomUUID(), Instant.now().minus(Duration.ofMinutes(6)),
                succeeded(prediction), true);
        assertThat(old.status()).isEqualTo(400);
        assertThat(old.json().path("code").asText()).isEqualTo("webhook_timestamp_out_of_range");
        Http.Response future = deliver("msg_" + UUID.randomUUID(), Instant.now().plus(Duration.ofMinutes(6)),
                succeeded(prediction), true);
        assertThat(future.status()).isEqualTo(400);
        // a body changed after signing
        byte[] body = succeeded(prediction).getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(Instant.now().getEpochSecond());
        Http.Response tampered = server.http().send(server.http().request("/api/v1/webhooks/replicate", null)
                .header("Content-Type", "application/json").header("webhook-id", "msg_t").header("webhook-timestamp", ts)
                .header("webhook-signature", signer.sign("msg_t", ts, body))
                .POST(HttpRequest.BodyPublishers.ofString(succeeded(prediction).replace("succeeded", "failed"))));
        assertThat(tampered.status()).isEqualTo(401);

        // a valid delivery about a prediction we don't know: accepted, nothing happens; its replay is refused
        String unknownDelivery = "msg_" + UUID.randomUUID();
        assertThat(deliver(unknownDelivery, Instant.now(), succeeded("nosuchprediction"), true).status())
                .isEqualTo(200);
        Http.Response replay = deliver(unknownDelivery, Instant.now(), succeeded(prediction), true);
        assertThat(replay.status()).isEqualTo(409);
        assertThat(replay.json().path("code").asText()).isEqualTo("webhook_replayed");

        Thread.sleep(300);
        assertThat(outcome(id)).isEqualTo(before);
        assertThat(row(id).get("provider_status")).isIn("starting", "processing");
        assertThat(server.http().get("/api/v1/transformations/" + id, ana.token()).json().path("status").asText())
                .isEqualTo("processing");
        assertThat(server.http().post("/api/v1/transformations/" + id + "/cancel", ana.token(), null).status())
                .isEqualTo(202);
        awaitEnd(id);
    }

    @Test
    void serverErrorsWhilePollingAreWaitedOut() throws Exception {
        replicate.mode = FakeReplicate.Mode.SUCCEED_AFTER_POLLS;
        replicate.unavailablePolls.set(2);
        UUID id = request();
        JsonNode done = awaitEnd(id);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("retry_count").asInt()).isZero();
        assertThat(replicate.unavailablePolls.get()).isZero();
    }

    @Test
    void aRefusedTokenFailsAtOnceWithoutRetries() throws Exception {
        replicate.revoked = true;
        try {
            UUID id = request();
            JsonNode done = awaitEnd(id);
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("failed");
            assertThat(done.path("error_code").asText()).isEqualTo("provider_auth");
            assertThat(done.path("retry_count").asInt()).isZero();
        } finally {
            replicate.revoked = false;
        }
    }
}
