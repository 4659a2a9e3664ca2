package studio.nexus.takes;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.nexus.testing.TestAudio.wav;
import static studio.nexus.testing.TestProjects.arrangeAndWait;
import static studio.nexus.testing.TestProjects.awaitJob;
import static studio.nexus.testing.TestProjects.project;
import static studio.nexus.testing.TestProjects.projectRow;
import static studio.nexus.testing.TestProjects.storedKey;
import static studio.nexus.testing.TestProjects.upload;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.audio.decode.AudioFormatInfo;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * Whatever replaces a project's take (a restore, a kept AI result) replaces what the project shows of it too: length,
 * rate, channels and waveform, in the studio and in explore; and a restore first keeps the current take and render.
 */
class ReplacedTakeIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    static Musician ana;

    @BeforeAll
    static void musicians() {
        ana = Musicians.named("ana").pro().signedIn(server);
    }

    static UUID publicProject(String title) {
        UUID project = project(server, ana, title);
        assertThat(server.http().patch("/api/v1/projects/" + project, ana.token(), Map.of("is_public", true)).status())
                .isEqualTo(200);
        return project;
    }

    static void assertShows(UUID project, String seconds, int rate, int channels) {
        JsonNode row = projectRow(server, ana, project);
        assertThat(row.path("duration_seconds").decimalValue()).as(row.toString()).isEqualByComparingTo(seconds);
        assertThat(row.path("sample_rate").asInt()).isEqualTo(rate);
        assertThat(row.path("channels").asInt()).isEqualTo(channels);
        JsonNode explored = null;
        for (JsonNode item : server.http().get("/api/v1/explore?limit=100", null).json().path("items")) {
            if (item.path("id").asText().equals(project.toString())) {
                explored = item;
            }
        }
        assertThat(explored).as("the project in explore").isNotNull();
        assertThat(explored.path("duration_seconds").decimalValue()).isEqualByComparingTo(seconds);
        assertThat(explored.path("sample_rate").asInt()).isEqualTo(rate);
        assertThat(explored.path("channels").asInt()).isEqualTo(channels);
        JsonNode waveform = server.http().get("/api/v1/projects/" + project + "/waveform", ana.token()).json();
        assertThat(waveform.path("sample_rate").asInt()).as("the waveform is the take's").isEqualTo(rate);
        assertThat(waveform.path("channels").asInt()).isEqualTo(1); // merged peaks
        long frames = Math.round(Double.parseDouble(seconds) * rate);
        assertThat(waveform.path("length").asLong()).isEqualTo((frames + 255) / 256);
    }

    @Test
    void restoringAVersionShowsTheRestoredTakesLengthRateAndChannelsInTheStudioAndExplore() {
        UUID project = publicProject("Two takes");
        assertThat(upload(server, ana, project, wav(22_050, 1, 8.0)).status()).isEqualTo(201);
        assertThat(server.http().post("/api/v1/projects/" + project + "/versions", ana.token(), Map.of("title", "short"))
                .status()).isEqualTo(201);
        assertThat(upload(server, ana, project, wav(44_100, 2, 11.6)).status()).isEqualTo(201);
        assertShows(project, "11.600", 44_100, 2);

        Http.Response restored = server.http().post("/api/v1/projects/" + project + "/versions/1/restore", ana.token(),
                null);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(201);
        assertShows(project, "8.000", 22_050, 1);

        assertThat(server.http().post("/api/v1/projects/" + project + "/versions/2/restore", ana.token(), null).status())
                .isEqualTo(201);
        assertShows(project, "11.600", 44_100, 2);
    }

    @Test
    void aRestoreFirstKeepsTheCurrentTakeAndItsRenderAsAVersionThatBringsBothBack() {
        UUID project = publicProject("Keep my render");
        assertThat(upload(server, ana, project, wav(22_050, 1, 1.0)).status()).isEqualTo(201);
        assertThat(server.http().post("/api/v1/projects/" + project + "/versions", ana.token(), Map.of("title", "first"))
                .status()).isEqualTo(201);
        assertThat(upload(server, ana, project, wav(44_100, 2, 2.0)).status()).isEqualTo(201);
        Http.Response queued = server.http().post("/api/v1/projects/" + project + "/render", ana.token(), Map.of());
        assertThat(awaitJob(server, ana, queued.json().path("id").asText(), Duration.ofSeconds(60))
                .path("status").asText()).isEqualTo("succeeded");
        String takeBefore = storedKey(database, project, "original_audio_path");
        String renderBefore = storedKey(database, project, "processed_audio_path");
        byte[] render = server.http().get("/api/v1/projects/" + project + "/audio/processed", ana.token()).bytes();

        Http.Response restored = server.http().post("/api/v1/projects/" + project + "/versions/1/restore", ana.token(),
                null);
        assertThat(restored.status()).isEqualTo(201);
        assertThat(restored.json().path("version_number").asInt()).isEqualTo(2);
        assertThat(restored.json().path("title").asText()).isEqualTo("Before restoring version 1");
        assertThat(restored.json().path("has_audio").asBoolean()).isTrue();
        String savedTake = database.one(String.class, """
                        SELECT audio_file_path FROM public.project_versions WHERE project_id = :p AND version_number = 2""",
                TestDatabase.params("p", project));
        assertThat(savedTake).isEqualTo(takeBefore);
        assertThat(projectRow(server, ana, project).path("has_processed_audio").asBoolean()).isFalse();

        assertThat(server.http().post("/api/v1/projects/" + project + "/versions/2/restore", ana.token(), null).status())
                .isEqualTo(201);
        assertThat(storedKey(database, project, "original_audio_path")).isEqualTo(takeBefore);
        assertThat(storedKey(database, project, "processed_audio_path")).isEqualTo(renderBefore);
        Http.Response played = server.http().get("/api/v1/projects/" + project + "/audio/processed", ana.token());
        assertThat(played.status()).isEqualTo(200);
        assertThat(played.bytes()).isEqualTo(render);
        assertShows(project, "2.000", 44_100, 2);
    }

    @Test
    void keepingAnAiResultShowsTheResultsLengthRateAndChannels() throws Exception {
        UUID project = publicProject("Arranged");
        assertThat(upload(server, ana, project, wav(22_050, 1, 4.0)).status()).isEqualTo(201);
        JsonNode t = arrangeAndWait(server, ana, project, Duration.ofSeconds(90));
        assertThat(t.path("status").asText()).as(t.toString()).isEqualTo("completed");
        String id = t.path("id").asText();
        Path output = Files.createTempFile("kept", ".wav");
        Files.write(output, server.http().get("/api/v1/transformations/" + id + "/audio", ana.token()).bytes());
        AudioFormatInfo info;
        try (DecodedAudio audio = Decoders.open(output)) {
            info = audio.info();
        } finally {
            Files.deleteIfExists(output);
        }
        assertThat(server.http().post("/api/v1/transformations/" + id + "/keep", ana.token(), null).status())
                .isEqualTo(201);
        String seconds = java.math.BigDecimal.valueOf(info.lengthFrames())
                .divide(java.math.BigDecimal.valueOf(info.sampleRate()), 3, java.math.RoundingMode.HALF_UP)
                .toPlainString();
        assertShows(project, seconds, info.sampleRate(), info.channels());
        String kept = storedKey(database, project, "original_audio_path");
        assertThat(server.app().features().storage().stat(kept + ".peaks"))
                .as("the kept take's peak file, stored with it").isPresent();
    }
}
