package studio.nexus.studio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/** Generated audio and the few HTTP steps every studio test repeats. */
final class StudioFixtures {
    private StudioFixtures() {}

    /** A 16-bit WAV of a 440 Hz sine (left) and 660 Hz (right, when stereo) at half scale. */
    static byte[] wav(int rate, int channels, double seconds) {
        int frames = (int) Math.round(seconds * rate);
        float[][] data = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                data[c][i] = (float) (0.5 * Math.sin(2 * Math.PI * (440 + 220 * c) * i / rate));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (WavEncoder encoder = WavEncoder.create(out, rate, channels, WavEncoder.SampleFormat.PCM_16, false,
                frames)) {
            encoder.write(data, frames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static UUID project(TestServer server, Musician owner, String title) {
        Http.Response response = server.http().post("/api/v1/projects", owner.token(), Map.of("title", title));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return UUID.fromString(response.json().path("id").asText());
    }

    static Http.Response upload(TestServer server, Musician who, UUID project, byte[] audio) {
        return server.http().raw("PUT", "/api/v1/projects/" + project + "/audio", who == null ? null : who.token(),
                "audio/wav", audio);
    }

    static JsonNode projectRow(TestServer server, Musician who, UUID project) {
        Http.Response response = server.http().get("/api/v1/projects/" + project, who.token());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /**
     * A project's storage key ({@code original_audio_path} or {@code processed_audio_path}), read from the database:
     * the API never shows keys.
     */
    static String storedKey(TestDatabase database, UUID project, String column) {
        if (!column.equals("original_audio_path") && !column.equals("processed_audio_path")) {
            throw new IllegalArgumentException(column);
        }
        return database.db().asSystem(handle -> handle.createQuery(
                "SELECT " + column + " FROM public.projects WHERE id = :id").bind("id", project)
                .mapTo(String.class).one());
    }

    /** Invites {@code who} with {@code role} and has them accept. */
    static void collaborate(TestServer server, Musician owner, UUID project, Musician who, String role) {
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

    static JsonNode awaitJob(TestServer server, Musician who, String jobId, Duration timeout) {
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
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Asks for an AI arrangement of a project's take (electronic, 120 bpm) and waits, up to {@code patience}, until
     * it is no longer pending or processing; returns the transformation as it then is (completed or not).
     */
    static JsonNode arrangeAndWait(TestServer server, Musician who, UUID project, Duration patience) {
        Http http = server.http();
        Http.Response requested = http.post("/api/v1/projects/" + project + "/transformations", who.token(),
                Map.of("transformation_type", "electronic", "parameters", Map.of("tempo", 120)));
        assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
        String id = requested.json().path("id").asText();
        Instant deadline = Instant.now().plus(patience);
        JsonNode transformation;
        do {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            transformation = http.get("/api/v1/transformations/" + id, who.token()).json();
        } while (transformation.path("status").asText().matches("pending|processing")
                && Instant.now().isBefore(deadline));
        return transformation;
    }

    static long storageUsedMb(TestDatabase database, UUID user) {
        return database.db().asSystem(handle -> handle.createQuery(
                "SELECT storage_used_mb FROM public.profiles WHERE id = :id").bind("id", user).mapTo(Long.class).one());
    }

    /** The bytes of the objects charged to a user (V83: storage_used_mb is their total in MiB, rounded up). */
    static long chargedBytes(TestDatabase database, UUID user) {
        return database.db().asSystem(handle -> handle.createQuery(
                        "SELECT coalesce(sum(size_bytes), 0) FROM public.stored_objects WHERE charged_to = :id")
                .bind("id", user).mapTo(Long.class).one());
    }

    /** Charges a user for an object of {@code bytes} kept by a version of a project of their own. */
    static void fillStorage(TestDatabase database, UUID user, long bytes) {
        database.db().asSystem(handle -> {
            UUID project = handle.createQuery("""
                            INSERT INTO public.projects (user_id, title) VALUES (:u, 'Storage filler') RETURNING id""")
                    .bind("u", user).mapTo(UUID.class).one();
            String key = "projects/" + project + "/original-filler.wav";
            studio.nexus.usage.Usage.chargeStorage(handle, key, bytes, user, project, false,
                    studio.nexus.usage.Usage.AudioFacts.NONE);
            handle.createUpdate("""
                            INSERT INTO public.project_versions (project_id, version_number, title, audio_file_path)
                            VALUES (:p, 1, 'filler', :key)""")
                    .bind("p", project).bind("key", key).execute();
            return null;
        });
    }

    static java.math.BigDecimal usage(TestDatabase database, UUID user, String resource) {
        return database.db().asSystem(handle -> handle.createQuery(
                        "SELECT coalesce(sum(quantity), 0) FROM public.usage_tracking WHERE user_id = :id "
                                + "AND resource_type = :resource")
                .bind("id", user).bind("resource", resource).mapTo(java.math.BigDecimal.class).one());
    }

    static void makePro(TestDatabase database, UUID user) {
        database.db().asSystem(handle -> handle.createUpdate(
                "UPDATE public.profiles SET subscription_tier = 'pro' WHERE id = :id").bind("id", user).execute());
    }
}
