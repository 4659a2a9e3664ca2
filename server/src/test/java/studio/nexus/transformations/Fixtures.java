package studio.nexus.transformations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.storage.StorageKeys;
import studio.nexus.usage.Usage;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/** Projects with audio for transformation tests (until the upload endpoint exists, audio is written as the system). */
final class Fixtures {
    private Fixtures() {}

    static void tier(TestDatabase database, Musician who, String tier) {
        database.db().asSystem(handle -> handle.createUpdate(
                "UPDATE public.profiles SET subscription_tier = :tier WHERE id = :id")
                .bind("tier", tier).bind("id", who.id()).execute());
    }

    static UUID project(TestServer server, Musician owner) {
        Http.Response created = server.http().post("/api/v1/projects", owner.token(),
                Map.of("title", "Song " + UUID.randomUUID().toString().substring(0, 6), "metronome_bpm", 120));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return UUID.fromString(created.json().path("id").asText());
    }

    /** A project whose original audio is a sung-like melody of {@code notes} notes (a quarter note each at 120). */
    static UUID projectWithAudio(TestServer server, TestDatabase database, Musician owner, int notes) throws Exception {
        UUID project = project(server, owner);
        String key = StorageKeys.projectAudio(project, "original", "wav");
        Path wav = Files.createTempFile("melody", ".wav");
        int rate = 22050;
        int[] scale = {60, 62, 64, 65, 67, 69, 71, 72};
        float[] x = melody(rate, notes, scale);
        try (var sink = WavEncoder.create(wav, rate, 1, WavEncoder.SampleFormat.PCM_16)) {
            sink.write(new float[][] {x}, x.length);
        }
        long size = Files.size(wav);
        server.app().features().storage().putFile(key, wav);
        database.db().asSystem(handle -> Usage.chargeStorage(handle, key, size, owner.id(), project, false,
                new Usage.AudioFacts(java.math.BigDecimal.valueOf(x.length / (double) rate)
                        .setScale(3, java.math.RoundingMode.HALF_UP), rate, 1, null)));
        database.db().asSystem(handle -> handle.createUpdate("""
                        UPDATE public.projects SET original_audio_path = :key, duration_seconds = :d, sample_rate = :r
                        WHERE id = :id""")
                .bind("key", key).bind("d", x.length / (double) rate).bind("r", rate).bind("id", project).execute());
        return project;
    }

    static float[] melody(int rate, int notes, int[] scale) {
        double beat = 0.5;
        float[] x = new float[(int) ((notes * beat + 0.5) * rate)];
        double phase = 0;
        for (int n = 0; n < notes; n++) {
            double f0 = 440 * Math.pow(2, (scale[(n * 3) % scale.length] - 69) / 12.0);
            int start = (int) ((0.25 + n * beat) * rate);
            int length = (int) (beat * rate);
            for (int i = 0; i < length && start + i < x.length; i++) {
                double t = i / (double) rate;
                double f = f0 * (1 + 0.01 * Math.sin(2 * Math.PI * 5.5 * t));
                phase += 2 * Math.PI * f / rate;
                double env = Math.min(1, t / 0.02) * Math.min(1, (beat - t) / 0.04);
                x[start + i] = (float) (0.3 * env * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase)));
            }
        }
        return x;
    }

    static JsonNode await(TestServer server, Musician who, UUID id, Predicate<JsonNode> done, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = server.http().get("/api/v1/transformations/" + id, who.token()).json();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("transformation did not reach the state in " + timeout + ": " + last);
    }
}
