package studio.nexus.metronome;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

class MetronomeIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    private static float[] decode(byte[] wav) throws Exception {
        try (DecodedAudio audio = Decoders.open(new ByteArrayInputStream(wav))) {
            assertThat(audio.channels()).isEqualTo(1);
            float[] all = new float[(int) audio.info().lengthFrames()];
            float[][] buffer = new float[1][4096];
            int at = 0;
            int n;
            while ((n = audio.read(buffer, 4096)) > 0) {
                System.arraycopy(buffer[0], 0, all, at, n);
                at += n;
            }
            return all;
        }
    }

    /** Each click starts at phase 0 exactly at its onset: silence up to it, sound right after. */
    private static void assertOnsets(float[] samples, List<Integer> onsets) {
        for (int onset : onsets) {
            for (int i = Math.max(0, onset - 20); i <= onset; i++) {
                assertThat(samples[i]).as("sample %d before onset %d", i, onset).isEqualTo(0f);
            }
            assertThat(Math.abs(samples[onset + 1])).as("sample after onset %d", onset).isGreaterThan(0.01f);
        }
    }

    @Test
    void clicksStartAtExactSamplePositions() throws Exception {
        Http.Response response = server.http().get(
                "/api/v1/metronome?bpm=90&beats_per_bar=3&bars=2&subdivision=2&sample_rate=8000", null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("audio/wav");
        float[] samples = decode(response.bytes());
        // 12 ticks at 60/90/2 s: tick n at round(n × 8000 / 3)
        assertThat(samples.length).isEqualTo((int) Math.round(6 * 60.0 / 90 * 8000));
        List<Integer> onsets = new java.util.ArrayList<>();
        for (int n = 0; n < 12; n++) {
            onsets.add((int) Math.round(n * 8000.0 / 3));
        }
        assertOnsets(samples, onsets);
    }

    @Test
    void theProjectVariantDefaultsToTheProjectsTempo() throws Exception {
        var ana = Musicians.signedIn(server, "ana");
        Http.Response created = server.http().post("/api/v1/projects", ana.token(),
                Map.of("title", "Tempo", "metronome_bpm", 100));
        UUID project = UUID.fromString(created.json().path("id").asText());
        Http.Response response = server.http().get("/api/v1/projects/" + project
                + "/metronome?bars=1&sample_rate=8000", ana.token());
        assertThat(response.status()).isEqualTo(200);
        float[] samples = decode(response.bytes());
        assertThat(samples.length).isEqualTo(4 * 4800);
        assertOnsets(samples, List.of(0, 4800, 9600, 14400));
        assertThat(server.http().get("/api/v1/projects/" + project + "/metronome", null).status()).isEqualTo(404);
    }

    @Test
    void badParametersAndOverlongTracksAre400() {
        for (String query : List.of("bpm=10", "bpm=fast", "beats_per_bar=0", "subdivision=5", "sample_rate=1000",
                "bars=0", "bars=10000&bpm=30", "count_in_bars=-1", "bpm=1e3")) {
            Http.Response response = server.http().offContract().get("/api/v1/metronome?" + query, null);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
    }
}
