package studio.nexus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import studio.nexus.storage.StorageKeys;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.usage.Usage;

/**
 * The one way tests make projects: through the API as their owner ({@link #project}), with a take uploaded when the
 * test needs audio ({@link #upload}), or, for tests that must not depend on the upload path, with a take stored as a
 * worker would ({@link #projectWithStoredMelody}). Also the few steps around a project that many tests repeat.
 */
public final class TestProjects {
    private TestProjects() {}

    /** A new project of {@code owner} with this title. */
    public static UUID project(TestServer server, Musician owner, String title) {
        return project(server, owner, Map.of("title", title));
    }

    /** A new project of {@code owner} made from these fields of the create request. */
    public static UUID project(TestServer server, Musician owner, Map<String, ?> fields) {
        Http.Response response = server.http().post("/api/v1/projects", owner.token(), fields);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return UUID.fromString(response.json().path("id").asText());
    }

    /** Uploads a take as {@code who} (anonymous when null); the answer is the test's to check. */
    public static Http.Response upload(TestServer server, Musician who, UUID project, byte[] audio) {
        return server.http().raw("PUT", "/api/v1/projects/" + project + "/audio", who == null ? null : who.token(),
                "audio/wav", audio);
    }

    /** A new project of {@code owner} holding {@code audio} as its take, uploaded through the API. */
    public static UUID projectWithAudio(TestServer server, Musician owner, String title, byte[] audio) {
        UUID project = project(server, owner, title);
        Http.Response uploaded = upload(server, owner, project, audio);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        return project;
    }

    /**
     * A project (120 bpm) whose original take is a {@link TestAudio#melody} of {@code notes} notes, stored and charged
     * as the system, the way a worker stores audio, so the test does not go through the upload's own rules.
     */
    public static UUID projectWithStoredMelody(TestServer server, Musician owner, int notes) {
        UUID project = project(server, owner,
                Map.of("title", "Song " + UUID.randomUUID().toString().substring(0, 6), "metronome_bpm", 120));
        int rate = 22050;
        float[] x = TestAudio.melody(rate, notes);
        String key = StorageKeys.projectAudio(project, "original", "wav");
        double seconds = x.length / (double) rate;
        try {
            Path wav = Files.createTempFile("melody", ".wav");
            Files.write(wav, TestAudio.encode(new float[][] {x}, rate,
                    studio.nexus.audio.encode.WavEncoder.SampleFormat.PCM_16));
            long size = Files.size(wav);
            server.app().features().storage().putFile(key, wav);
            server.database().db().asSystem(handle -> Usage.chargeStorage(handle, key, size, owner.id(), project,
                    false, new Usage.AudioFacts(BigDecimal.valueOf(seconds).setScale(3, RoundingMode.HALF_UP), rate,
                            1, null)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> columns = new HashMap<>();
        columns.put("key", key);
        columns.put("d", seconds);
        columns.put("r", rate);
        columns.put("id", project);
        server.database().update("""
                UPDATE public.projects SET original_audio_path = :key, duration_seconds = :d, sample_rate = :r
                WHERE id = :id""", columns);
        return project;
    }

    /** The project as {@code who} sees it through the API. */
    public static JsonNode projectRow(TestServer server, Musician who, UUID project) {
        Http.Response response = server.http().get("/api/v1/projects/" + project, who.token());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /**
     * A project's storage key ({@code original_audio_path} or {@code processed_audio_path}), read from the database:
     * the API never shows keys.
     */
    public static String storedKey(TestDatabase database, UUID project, String column) {
        if (!column.equals("original_audio_path") && !column.equals("processed_audio_path")) {
            throw new IllegalArgumentException(column);
        }
        return database.one(String.class, "SELECT " + column + " FROM public.projects WHERE id = :id",
                Map.of("id", project));
    }

    /** Invites {@code who} with {@code role} and has them accept. */
    public static void collaborate(TestServer server, Musician owner, UUID project, Musician who, String role) {
        Http http = server.http();
        Http.Response invited = http.post("/api/v1/projects/" + project + "/collaborators", owner.token(),
                Map.of("username", who.username(), "role", role));
        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
        for (JsonNode invitation : http.get("/api/v1/invitations", who.token()).json().path("items")) {
            if (invitation.path("project_id").asText().equals(project.toString())) {
                assertThat(http.post("/api/v1/invitations/" + invitation.path("id").asText() + "/accept",
                        who.token(), null).status()).isEqualTo(204);
            }
        }
    }

    /** Charges a musician for an object of {@code bytes} kept by a version of a project of their own. */
    public static void fillStorage(TestDatabase database, UUID musician, long bytes) {
        database.db().asSystem(handle -> {
            UUID project = handle.createQuery("""
                            INSERT INTO public.projects (user_id, title) VALUES (:u, 'Storage filler') RETURNING id""")
                    .bind("u", musician).mapTo(UUID.class).one();
            String key = "projects/" + project + "/original-filler.wav";
            Usage.chargeStorage(handle, key, bytes, musician, project, false, Usage.AudioFacts.NONE);
            handle.createUpdate("""
                            INSERT INTO public.project_versions (project_id, version_number, title, audio_file_path)
                            VALUES (:p, 1, 'filler', :key)""")
                    .bind("p", project).bind("key", key).execute();
            return null;
        });
    }

    // Work on a project: jobs (render, export) and AI arrangements

    /** Waits until a job is done (succeeded, failed or cancelled) and returns it as it then is. */
    public static JsonNode awaitJob(TestServer server, Musician who, String jobId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode job = server.http().get("/api/v1/jobs/" + jobId, who.token()).json();
            String status = job.path("status").asText();
            if (status.equals("succeeded") || status.equals("failed") || status.equals("cancelled")) {
                return job;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("job did not finish: " + job);
            }
            pause();
        }
    }

    /** Waits until a transformation satisfies {@code done}; fails after {@code timeout}. */
    public static JsonNode awaitTransformation(TestServer server, Musician who, UUID id, Predicate<JsonNode> done,
            Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = server.http().get("/api/v1/transformations/" + id, who.token()).json();
            if (done.test(last)) {
                return last;
            }
            pause();
        }
        throw new AssertionError("transformation did not reach the state in " + timeout + ": " + last);
    }

    /**
     * Asks for an AI arrangement of a project's take (electronic, 120 bpm) and waits, up to {@code patience}, until
     * it is no longer pending or processing; returns the transformation as it then is (completed or not).
     */
    public static JsonNode arrangeAndWait(TestServer server, Musician who, UUID project, Duration patience) {
        Http http = server.http();
        Http.Response requested = http.post("/api/v1/projects/" + project + "/transformations", who.token(),
                Map.of("transformation_type", "electronic", "parameters", Map.of("tempo", 120)));
        assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
        String id = requested.json().path("id").asText();
        Instant deadline = Instant.now().plus(patience);
        JsonNode transformation;
        do {
            pause();
            transformation = http.get("/api/v1/transformations/" + id, who.token()).json();
        } while (transformation.path("status").asText().matches("pending|processing")
                && Instant.now().isBefore(deadline));
        return transformation;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
