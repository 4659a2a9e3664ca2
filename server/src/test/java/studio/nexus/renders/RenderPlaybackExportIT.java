package studio.nexus.renders;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.nexus.testing.Musicians.usage;
import static studio.nexus.testing.TestAudio.wav;
import static studio.nexus.testing.TestProjects.awaitJob;
import static studio.nexus.testing.TestProjects.collaborate;
import static studio.nexus.testing.TestProjects.project;
import static studio.nexus.testing.TestProjects.projectRow;
import static studio.nexus.testing.TestProjects.storedKey;
import static studio.nexus.testing.TestProjects.upload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;
import studio.nexus.core.Json;

class RenderPlaybackExportIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    static Musician ana, ben, frank;

    @BeforeAll
    static void start() {
        ana = Musicians.named("ana").pro().signedIn(server);
        ben = Musicians.signedIn(server, "ben");
        frank = Musicians.signedIn(server, "frank");
    }

    private static JsonNode seedChain(String name) {
        return database.one(JsonNode.class,
                "SELECT effects_chain FROM public.effects_presets WHERE name = :name AND is_system_preset",
                TestDatabase.params("name", name));
    }

    private static long frames(byte[] audio) throws Exception {
        long frames = 0;
        try (DecodedAudio decoded = Decoders.open(new ByteArrayInputStream(audio))) {
            float[][] buffer = new float[decoded.channels()][4096];
            int n;
            while ((n = decoded.read(buffer, 4096)) > 0) {
                frames += n;
            }
        }
        return frames;
    }

    @Test
    void aRenderWithNoBodyAtAllTakesTheDefaultsAsTheDocumentSays() {
        UUID project = project(server, ana, "No body");
        assertThat(upload(server, ana, project, wav(44_100, 1, 1.0)).status()).isEqualTo(201);
        // no Content-Type and no Content-Length (as `curl -X POST` sends): the body is optional in openapi.json
        Http.Response bare = server.http().send(server.http().request("/api/v1/projects/" + project + "/render", ana.token())
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.noBody())));
        assertThat(bare.status()).as(bare.toString()).isEqualTo(202);
        JsonNode job = awaitJob(server, ana, bare.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        // an empty body that names JSON is no body too
        Http.Response empty = server.http().raw("POST", "/api/v1/projects/" + project + "/render", ana.token(),
                "application/json", new byte[0]);
        assertThat(empty.status()).as(empty.toString()).isEqualTo(202);
        awaitJob(server, ana, empty.json().path("id").asText(), Duration.ofSeconds(60));
    }

    @Test
    void theRenderJourneyAppliesVocalWarmthAndTheProcessedAudioIsPlayableWithRange() throws Exception {
        UUID project = project(server, ana, "Journey");
        assertThat(upload(server, ana, project, wav(44_100, 2, 3.0)).status()).isEqualTo(201);
        Http.Response effects = server.http().put("/api/v1/projects/" + project + "/effects", ana.token(),
                Map.of("chain", seedChain("Vocal Warmth")));
        assertThat(effects.status()).as(effects.toString()).isEqualTo(200);
        assertThat(projectRow(server, ana, project).path("effects_settings").path("chain").size()).isEqualTo(2);

        Http.Response queued = server.http().post("/api/v1/projects/" + project + "/render", ana.token(),
                Map.of("tail_seconds", 2));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        assertThat(queued.json().path("kind").asText()).isEqualTo("render");
        JsonNode job = awaitJob(server, ana, queued.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        JsonNode row = projectRow(server, ana, project);
        assertThat(row.path("status").asText()).isEqualTo("completed");
        assertThat(row.path("has_processed_audio").asBoolean()).isTrue();
        assertThat(storedKey(database, project, "processed_audio_path")).startsWith("projects/" + project + "/processed-");

        Http.Response head = server.http().send(server.http().request("/api/v1/projects/" + project + "/audio/processed",
                ana.token()).header("Range", "bytes=0-99").GET());
        assertThat(head.status()).isEqualTo(206);
        assertThat(head.bytes()).hasSize(100);
        Http.Response whole = server.http().get("/api/v1/projects/" + project + "/audio/processed", ana.token());
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.contentType()).isEqualTo("audio/wav");
        assertThat(Arrays.copyOf(whole.bytes(), 100)).isEqualTo(head.bytes());
        try (DecodedAudio decoded = Decoders.open(new ByteArrayInputStream(whole.bytes()))) {
            assertThat(decoded.info().bitsPerSample()).isEqualTo(24);
        }
        assertThat(frames(whole.bytes())).isEqualTo(44_100L * 5); // 3 s + 2 s tail
    }

    @Test
    void aCountInAddsBarsOfClicksAtTheProjectsTempo() throws Exception {
        UUID project = project(server, ana, "Count in");
        assertThat(server.http().patch("/api/v1/projects/" + project, ana.token(), Map.of("metronome_bpm", 120)).status())
                .isEqualTo(200);
        assertThat(upload(server, ana, project, wav(8_000, 1, 1.0)).status()).isEqualTo(201);
        Http.Response queued = server.http().post("/api/v1/projects/" + project + "/render", ana.token(),
                Map.of("count_in_bars", 1));
        JsonNode job = awaitJob(server, ana, queued.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        byte[] processed = server.http().get("/api/v1/projects/" + project + "/audio/processed", ana.token()).bytes();
        assertThat(frames(processed)).isEqualTo(8_000L + 4 * 4_000); // 4 beats at 120 bpm, then the song
    }

    @Test
    void aFailingRenderRecordsWhyAndRestoresThePreviousStatus() throws Exception {
        UUID project = project(server, ana, "Doomed");
        assertThat(upload(server, ana, project, wav(8_000, 1, 1.0)).status()).isEqualTo(201);
        String key = storedKey(database, project, "original_audio_path");
        server.app().features().storage().delete(key);
        Http.Response queued = server.http().post("/api/v1/projects/" + project + "/render", ana.token(), Map.of());
        JsonNode job = awaitJob(server, ana, queued.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).isEqualTo("failed");
        assertThat(job.path("error_code").asText()).isEqualTo("audio_missing");
        JsonNode row = projectRow(server, ana, project);
        assertThat(row.path("status").asText()).isEqualTo("draft");
        assertThat(row.path("has_processed_audio").asBoolean()).isFalse();
        assertThat(storedKey(database, project, "processed_audio_path")).isNull();
    }

    @Test
    void renderingNeedsAudioAnEditorAndAValidChain() {
        UUID empty = project(server, ana, "Empty");
        Http.Response noAudio = server.http().post("/api/v1/projects/" + empty + "/render", ana.token(), Map.of());
        assertThat(noAudio.status()).isEqualTo(409);
        assertThat(noAudio.json().path("code").asText()).isEqualTo("no_audio");
        UUID project = project(server, ana, "Guarded");
        assertThat(upload(server, ana, project, wav(8_000, 1, 0.5)).status()).isEqualTo(201);
        collaborate(server, ana, project, ben, "viewer");
        assertThat(server.http().post("/api/v1/projects/" + project + "/render", ben.token(), null).status())
                .isEqualTo(403);
        assertThat(server.http().post("/api/v1/projects/" + project + "/render", frank.token(), Map.of()).status())
                .isEqualTo(404);
        for (String body : List.of("{\"count_in_bars\": 5}", "{\"tail_seconds\": -1}", "{\"tail_seconds\": \"long\"}",
                "{\"speed\": 2}")) {
            Http.Response response = server.http().offContract().sendJson("POST", "/api/v1/projects/" + project + "/render",
                    ana.token(), body);
            assertThat(response.status()).as(body).isEqualTo(422);
        }
        Http.Response badChain = server.http().sendJson("PUT", "/api/v1/projects/" + project + "/effects", ana.token(),
                "{\"chain\": [{\"type\": \"gain\", \"settings\": {}}, {\"type\": \"reverb\", \"settings\": {\"room_size\": 1.7}}]}");
        assertThat(badChain.status()).isEqualTo(422);
        assertThat(badChain.json().path("code").asText()).isEqualTo("invalid_effect_chain");
        assertThat(badChain.json().path("detail").asText()).contains("effects[1] (reverb).room_size")
                .contains("1.7").contains("0.0–1.0");
        for (String body : List.of("{\"chain\": \"reverb\"}", "{\"chain\": [{\"type\": \"warp\"}]}", "{}", "[]",
                "{\"chain\": [{\"type\": \"delay\", \"settings\": {\"feedback\": \"lots\"}}]}")) {
            Http.Response response = server.http().offContract().sendJson("PUT", "/api/v1/projects/" + project + "/effects", ana.token(), body);
            assertThat(response.status()).as(body).isBetween(400, 422);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        // a chain stored unvalidated through PATCH is refused when rendering, not in the worker
        assertThat(server.http().patch("/api/v1/projects/" + project, ana.token(),
                Map.of("effects_settings", Map.of("chain", List.of(Map.of("type", "warp"))))).status()).isEqualTo(200);
        assertThat(server.http().post("/api/v1/projects/" + project + "/render", ana.token(), Map.of()).status())
                .isEqualTo(422);
    }

    @Test
    void playbackAnswersRangesEtagsAnd416() {
        UUID project = project(server, ana, "Playback");
        byte[] audio = wav(8_000, 1, 1.0);
        assertThat(upload(server, ana, project, audio).status()).isEqualTo(201);
        String path = "/api/v1/projects/" + project + "/audio/original";
        Http.Response whole = server.http().get(path, ana.token());
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.bytes()).isEqualTo(audio);
        assertThat(whole.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(whole.contentType()).isEqualTo("audio/wav");
        String etag = whole.header("ETag");
        assertThat(etag).isNotBlank();
        assertThat(server.http().send(server.http().request(path, ana.token()).header("If-None-Match", etag).GET()).status())
                .isEqualTo(304);
        Http.Response middle = server.http().send(server.http().request(path, ana.token()).header("Range", "bytes=10-19").GET());
        assertThat(middle.status()).isEqualTo(206);
        assertThat(middle.header("Content-Range")).isEqualTo("bytes 10-19/" + audio.length);
        assertThat(middle.bytes()).isEqualTo(Arrays.copyOfRange(audio, 10, 20));
        Http.Response suffix = server.http().send(server.http().request(path, ana.token()).header("Range", "bytes=-5").GET());
        assertThat(suffix.bytes()).isEqualTo(Arrays.copyOfRange(audio, audio.length - 5, audio.length));
        Http.Response beyond = server.http().send(server.http().request(path, ana.token())
                .header("Range", "bytes=" + audio.length + "-").GET());
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + audio.length);
        assertThat(server.http().get(path, frank.token()).status()).isEqualTo(404);
        assertThat(server.http().get(path, null).status()).isEqualTo(404);
        assertThat(server.http().get("/api/v1/projects/" + project + "/audio/processed", ana.token()).status()).isEqualTo(404);
    }

    @Test
    void exportsInEveryFormatDecodeAndCountDownloads() throws Exception {
        UUID project = project(server, ana, "Exports");
        assertThat(upload(server, ana, project, wav(44_100, 2, 1.0)).status()).isEqualTo(201);
        Map<String, String> expected = Map.of("wav16", "audio/wav", "wav24", "audio/wav", "wav32f", "audio/wav",
                "flac", "audio/flac", "mp3", "audio/mpeg");
        int downloads = 0;
        for (var entry : expected.entrySet()) {
            Http.Response queued = server.http().post("/api/v1/projects/" + project + "/exports", ana.token(),
                    Map.of("format", entry.getKey()));
            assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
            JsonNode job = awaitJob(server, ana, queued.json().path("id").asText(), Duration.ofSeconds(60));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
            String file = "/api/v1/projects/" + project + "/exports/" + job.path("id").asText() + "/file";
            Http.Response download = server.http().get(file, ana.token());
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.contentType()).isEqualTo(entry.getValue());
            downloads++;
            assertThat(frames(download.bytes())).as(entry.getKey()).isGreaterThanOrEqualTo(44_100L);
            Http.Response part = server.http().send(server.http().request(file, ana.token()).header("Range", "bytes=4-7").GET());
            assertThat(part.status()).isEqualTo(206); // a resumed range is not another download
        }
        assertThat(projectRow(server, ana, project).path("download_count").asInt()).isEqualTo(downloads);
    }

    /** Stereo 44.1 kHz clicks (2 ms bursts) on silence: where they land shows the timing. */
    private static float[][] clicks(int frames) {
        float[][] data = new float[2][frames];
        for (int start : new int[] {4_410, 30_001, 51_234}) {
            for (int i = 0; i < 88; i++) {
                float value = (float) (0.8 * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / 88)) * Math.sin(2 * Math.PI * i / 22));
                data[0][start + i] = value;
                data[1][start + i] = value;
            }
        }
        return data;
    }

    private static float[] firstChannel(byte[] audio) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("export", ".bin");
        try {
            java.nio.file.Files.write(file, audio);
            try (DecodedAudio decoded = Decoders.open(file)) {
                float[] out = new float[0];
                float[][] buffer = new float[decoded.channels()][4096];
                int n;
                while ((n = decoded.read(buffer, 4096)) >= 0) {
                    out = Arrays.copyOf(out, out.length + n);
                    System.arraycopy(buffer[0], 0, out, out.length - n, n);
                }
                return out;
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /** The shift (frames) that best lines {@code decoded} up with {@code source}. */
    private static int lag(float[] source, float[] decoded) {
        int best = 0;
        double bestSum = Double.NEGATIVE_INFINITY;
        for (int lag = -3000; lag <= 3000; lag++) {
            double sum = 0;
            for (int i = Math.max(0, -lag); i < source.length && i + lag < decoded.length; i++) {
                sum += source[i] * decoded[i + lag];
            }
            if (sum > bestSum) {
                bestSum = sum;
                best = lag;
            }
        }
        return best;
    }

    @Test
    void aWavExportedAsMp3AndUploadedAgainKeepsItsLengthAndTimingWithinAMillisecond() throws Exception {
        int frames = 66_151; // 1.5 s and an odd frame
        float[][] source = clicks(frames);
        byte[] take = TestAudio.encode(source, 44_100, studio.nexus.audio.encode.WavEncoder.SampleFormat.FLOAT_32);
        UUID project = project(server, ana, "Gapless");
        assertThat(upload(server, ana, project, take).status()).isEqualTo(201);
        Http.Response queued = server.http().post("/api/v1/projects/" + project + "/exports", ana.token(),
                Map.of("format", "mp3"));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode job = awaitJob(server, ana, queued.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        byte[] mp3 = server.http().get("/api/v1/projects/" + project + "/exports/" + job.path("id").asText() + "/file",
                ana.token()).bytes();

        float[] decoded = firstChannel(mp3);
        assertThat(decoded.length).as("decoded frames").isEqualTo(frames);
        assertThat(Math.abs(lag(source[0], decoded))).as("frames off").isLessThanOrEqualTo(44);

        UUID again = project(server, ana, "Gapless, uploaded again");
        Http.Response reupload = server.http().raw("PUT", "/api/v1/projects/" + again + "/audio", ana.token(),
                "audio/mpeg", mp3);
        assertThat(reupload.status()).as(reupload.toString()).isEqualTo(201);
        assertThat(projectRow(server, ana, again).path("duration_seconds").decimalValue())
                .isEqualByComparingTo(projectRow(server, ana, project).path("duration_seconds").decimalValue())
                .isEqualByComparingTo("1.500");

        java.nio.file.Path file = java.nio.file.Files.createTempFile("export", ".mp3");
        try {
            java.nio.file.Files.write(file, mp3);
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-i", file.toString(), "-f", "s16le", "-")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] pcm = ffmpeg.getInputStream().readAllBytes();
            org.junit.jupiter.api.Assumptions.assumeTrue(ffmpeg.waitFor() == 0, "ffmpeg not available");
            assertThat(pcm.length / 4).as("ffmpeg's decoded frames").isEqualTo(frames);
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "ffmpeg not installed");
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void theFreeExportsLimitIsConsumedWithTheJobOrNotAtAll() {
        UUID project = project(server, frank, "Free exports");
        assertThat(upload(server, frank, project, wav(8_000, 1, 0.5)).status()).isEqualTo(201);
        database.one(String.class, "SELECT public.consume_usage(:id, 'exports', 9, NULL, '{}'::jsonb)",
                TestDatabase.params("id", frank.id()));
        assertThat(server.http().post("/api/v1/projects/" + project + "/exports", frank.token(), Map.of("format", "wav16"))
                .status()).isEqualTo(202);
        Http.Response refused = server.http().post("/api/v1/projects/" + project + "/exports", frank.token(),
                Map.of("format", "wav16"));
        assertThat(refused.status()).isEqualTo(402);
        long jobs = database.one(Long.class,
                "SELECT count(*) FROM public.jobs WHERE project_id = :id AND kind = 'export'",
                TestDatabase.params("id", project));
        assertThat(jobs).isEqualTo(1);
        assertThat(usage(database, frank.id(), "exports")).isEqualByComparingTo("10");
        for (String body : List.of("{\"format\": \"ogg\"}", "{}", "{\"format\": \"wav16\", \"source\": \"x\"}")) {
            assertThat(server.http().offContract().sendJson("POST", "/api/v1/projects/" + project + "/exports", frank.token(), body)
                    .status()).as(body).isEqualTo(422);
        }
        Http.Response noProcessed = server.http().post("/api/v1/projects/" + project + "/exports", frank.token(),
                Map.of("format", "wav16", "source", "processed"));
        assertThat(noProcessed.status()).isEqualTo(409);
        assertThat(Json.MAPPER).isNotNull();
    }
}
