package studio.nexus.effects;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.nexus.testing.TestAudio.wav;
import static studio.nexus.testing.TestProjects.awaitJob;
import static studio.nexus.testing.TestProjects.project;
import static studio.nexus.testing.TestProjects.projectRow;
import static studio.nexus.testing.TestProjects.upload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.time.Duration;
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
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * {@code "bypass": true} on an effect of a chain: stored and shown as written (project effects, presets and their
 * application), refused when it is not a boolean, and left out of the sound of a render.
 */
class EffectBypassIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    static Musician ana;

    static final Map<String, Object> REVERB_BYPASSED = Map.of("type", "reverb",
            "settings", Map.of("room_size", 0.9, "wet_level", 1.0), "bypass", true);
    static final Map<String, Object> REVERB_ON = Map.of("type", "reverb",
            "settings", Map.of("room_size", 0.9, "wet_level", 1.0), "bypass", false);

    @BeforeAll
    static void start() {
        ana = Musicians.signedIn(server, "ana");
    }

    private static Http.Response setChain(UUID project, Object chain) {
        return server.http().put("/api/v1/projects/" + project + "/effects", ana.token(), Map.of("chain", chain));
    }

    private static byte[] render(UUID project) {
        Http.Response queued = server.http().post("/api/v1/projects/" + project + "/render", ana.token(), Map.of());
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode job = awaitJob(server, ana, queued.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        Http.Response processed = server.http().get("/api/v1/projects/" + project + "/audio/processed", ana.token());
        assertThat(processed.status()).isEqualTo(200);
        return processed.bytes();
    }

    /** All samples of a WAV file, per channel. */
    private static float[][] decode(byte[] audio) throws Exception {
        try (DecodedAudio decoded = Decoders.open(new ByteArrayInputStream(audio))) {
            int frames = (int) decoded.info().lengthFrames();
            float[][] out = new float[decoded.channels()][frames];
            float[][] buffer = new float[decoded.channels()][4096];
            int at = 0;
            int n;
            while ((n = decoded.read(buffer, 4096)) > 0) {
                for (int c = 0; c < buffer.length; c++) {
                    System.arraycopy(buffer[c], 0, out[c], at, n);
                }
                at += n;
            }
            assertThat(at).isEqualTo(frames);
            return out;
        }
    }

    @Test
    void bypassIsStoredAndReadBackAsWrittenAndANonBooleanIsRefusedNamingThePlace() {
        UUID project = project(server, ana, "Bypassed");
        Http.Response stored = setChain(project, List.of(Map.of("type", "gain", "settings", Map.of("gain_db", -2)),
                REVERB_BYPASSED));
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        assertThat(stored.json().path("effects_settings").path("chain").get(1).path("bypass").asBoolean()).isTrue();

        JsonNode chain = projectRow(server, ana, project).path("effects_settings").path("chain");
        assertThat(chain).hasSize(2);
        assertThat(chain.get(0).has("bypass")).isFalse();
        assertThat(chain.get(1).path("bypass").isBoolean()).isTrue();
        assertThat(chain.get(1).path("bypass").asBoolean()).isTrue();
        assertThat(chain.get(1).path("settings").path("room_size").asDouble()).isEqualTo(0.9);

        Http.Response refused = server.http().offContract().put("/api/v1/projects/" + project + "/effects", ana.token(),
                Map.of("chain", List.of(Map.of("type", "gain"), Map.of("type", "reverb", "bypass", "yes"))));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("code").asText()).isEqualTo("invalid_effect_chain");
        assertThat(refused.json().path("detail").asText())
                .isEqualTo("chain: effects[1] (reverb).bypass: expected true or false, got string \"yes\"");
        assertThat(refused.json().path("path").asText()).isEqualTo("effects[1] (reverb).bypass");
        // a bypassed effect is still validated
        Http.Response outOfRange = setChain(project, List.of(Map.of("type", "reverb", "bypass", true,
                "settings", Map.of("room_size", 1.7))));
        assertThat(outOfRange.status()).isEqualTo(422);
        assertThat(outOfRange.json().path("path").asText()).isEqualTo("effects[0] (reverb).room_size");
        // the refusals changed nothing
        assertThat(projectRow(server, ana, project).path("effects_settings").path("chain")).isEqualTo(chain);
    }

    @Test
    void presetsKeepBypassAndApplyingOneCopiesIt() {
        Http.Response created = server.http().post("/api/v1/effects-presets", ana.token(), Map.of("name", "Half on",
                "effects_chain", List.of(REVERB_BYPASSED, Map.of("type", "delay", "settings",
                        Map.of("delay_seconds", 0.25)))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String preset = created.json().path("id").asText();
        JsonNode read = server.http().get("/api/v1/effects-presets/" + preset, ana.token()).json();
        assertThat(read.path("effects_chain").get(0).path("bypass").asBoolean()).isTrue();

        UUID project = project(server, ana, "From a preset");
        Http.Response applied = server.http().post("/api/v1/effects-presets/" + preset + "/apply", ana.token(),
                Map.of("project_id", project));
        assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
        JsonNode chain = projectRow(server, ana, project).path("effects_settings").path("chain");
        assertThat(chain.get(0).path("bypass").asBoolean()).isTrue();
        assertThat(chain.get(1).path("type").asText()).isEqualTo("delay");

        Http.Response refused = server.http().offContract().post("/api/v1/effects-presets", ana.token(), Map.of("name", "Bad",
                "effects_chain", List.of(Map.of("type", "delay", "bypass", 1))));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("detail").asText()).contains("effects[0] (delay).bypass: expected true or false");
    }

    @Test
    void aRenderWithOnlyABypassedEffectIsTheOriginalSound() throws Exception {
        UUID project = project(server, ana, "Render bypass");
        byte[] original = wav(22_050, 2, 1.0);
        assertThat(upload(server, ana, project, original).status()).isEqualTo(201);

        assertThat(setChain(project, List.of()).status()).isEqualTo(200);
        byte[] dry = render(project);
        assertThat(setChain(project, List.of(REVERB_BYPASSED)).status()).isEqualTo(200);
        byte[] bypassed = render(project);
        assertThat(setChain(project, List.of(REVERB_ON)).status()).isEqualTo(200);
        byte[] wet = render(project);

        // the same file as a render with no effects at all (same encoder, same deterministic dither) ...
        assertThat(bypassed).isEqualTo(dry);
        assertThat(wet).isNotEqualTo(dry);
        // ... and the original's samples, up to the 24-bit encoder's dither (±1 LSB at 24 bits)
        float[][] in = decode(original);
        float[][] out = decode(bypassed);
        assertThat(out.length).isEqualTo(in.length);
        for (int c = 0; c < in.length; c++) {
            assertThat(out[c].length).isEqualTo(in[c].length);
            for (int i = 0; i < in[c].length; i++) {
                assertThat(Math.abs(out[c][i] - in[c][i])).as("channel %d frame %d", c, i)
                        .isLessThanOrEqualTo(2.5f / (1 << 23));
            }
        }
    }
}
