package studio.nexus.mixdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.ProjectCast;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * The master fader is part of the song (V91): PATCH /arrangement/master sets it for owners and editors, the
 * arrangement shows it as master.volume_db (null = −∞), and the mixdown and the stems' mix play it after the master
 * chain, while each stem stays its track alone.
 */
class MasterFaderIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers()
            .with("STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", "0");

    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final byte[] TAKE = MixdownIT.tone(MixdownIT.RATE, 0.5);
    static final double MINUS_SIX = Math.pow(10, -6 / 20.0);

    static ProjectCast cast;
    static Musician owner;

    @BeforeAll
    static void cast() {
        cast = ProjectCast.signedIn(server, Musicians.named("owner").pro());
        owner = cast.owner;
    }

    private static Http http() {
        return server.http();
    }

    /** A project of the owner whose take plays on track 1, with an editor, an admin and a viewer. */
    private static UUID song(boolean isPublic) {
        return cast.song(server, "Master fader", isPublic, TAKE);
    }

    private static String master(UUID project) {
        return "/api/v1/projects/" + project + "/arrangement/master";
    }

    private static JsonNode arrangement(UUID project) {
        Http.Response got = http().get("/api/v1/projects/" + project + "/arrangement", owner.token());
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        return got.json();
    }

    private static Map<String, Object> volume(Double db) {
        Map<String, Object> body = new HashMap<>();
        body.put("volume_db", db);
        return body;
    }

    private static float[][] mixdown(UUID project) {
        Http.Response queued = http().post("/api/v1/projects/" + project + "/mixdown", owner.token(), null);
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode job = TestProjects.awaitJob(server, owner, queued.json().path("id").asText(), PATIENCE);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        Http.Response played = http().get("/api/v1/projects/" + project + "/audio/processed", owner.token());
        assertThat(played.status()).as(played.toString()).isEqualTo(200);
        return MixdownIT.decode(played.bytes());
    }

    @Test
    void theMasterFaderIsStoredWithTheSongAndTheArrangementShowsIt() {
        UUID project = song(false);
        assertThat(arrangement(project).path("master").path("volume_db").asDouble(-1)).as("0 dB by default")
                .isEqualTo(0.0);

        Http.Response set = http().patch(master(project), cast.editor.token(), volume(-6.5));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().path("volume_db").asDouble()).isEqualTo(-6.5);
        assertThat(set.json().path("effects_chain").isArray()).isTrue();
        assertThat(arrangement(project).path("master").path("volume_db").asDouble()).isEqualTo(-6.5);

        Http.Response silenced = http().patch(master(project), owner.token(), volume(null));
        assertThat(silenced.status()).as(silenced.toString()).isEqualTo(200);
        JsonNode shown = arrangement(project).path("master");
        assertThat(shown.has("volume_db")).isTrue();
        assertThat(shown.path("volume_db").isNull()).as("null is −∞").isTrue();
    }

    @Test
    void aMasterFaderOutOfRangeMissingOrNotANumberIsRefusedAndNothingChanges() {
        UUID project = song(false);
        for (Object body : List.of(volume(7.0), volume(-145.0), Map.of("volume_db", "loud"), Map.of(),
                Map.of("volume_db", 0, "pan", 0))) {
            Http.Response refused = http().offContract().patch(master(project), owner.token(), body);
            assertThat(refused.status()).as(body + " → " + refused).isEqualTo(422);
        }
        assertThat(http().offContract().raw("PATCH", master(project), owner.token(), "application/json", "[1]".getBytes())
                .status()).isBetween(400, 422);
        assertThat(arrangement(project).path("master").path("volume_db").asDouble()).isEqualTo(0.0);
    }

    @Test
    void ownersEditorsAndAdminsSetTheMasterFaderViewersMayNotStrangersSeeNothingAnonymousMustSignIn() {
        for (boolean isPublic : List.of(false, true)) {
            UUID project = song(isPublic);
            Map<String, Integer> answers = new LinkedHashMap<>();
            Map<String, Integer> expected = new LinkedHashMap<>();
            for (String caller : ProjectCast.CALLERS) {
                answers.put(caller, http().patch(master(project), cast.token(caller), volume(-3.0)).status());
                expected.put(caller, ProjectCast.expected(caller, true, isPublic, 200));
            }
            assertThat(answers).as(isPublic ? "a public song" : "a private song").isEqualTo(expected);
            for (String caller : List.of("viewer", "stranger", "anonymous")) {
                http().patch(master(project), cast.token(caller), volume(-60.0));
            }
            assertThat(arrangement(project).path("master").path("volume_db").asDouble())
                    .as("the refused callers changed nothing").isEqualTo(-3.0);
        }
    }

    @Test
    void aMixdownAtMinusSixDecibelsOnTheMasterIsHalfTheAmplitudeOfOneAtZero() {
        UUID project = song(false);
        float[][] atZero = mixdown(project);
        assertThat(MixdownIT.peak(atZero)).isGreaterThan(0.1);

        assertThat(http().patch(master(project), owner.token(), volume(-6.0)).status()).isEqualTo(200);
        float[][] atMinusSix = mixdown(project);
        assertThat(atMinusSix[0].length).isEqualTo(atZero[0].length);
        float[][] halved = new float[2][atZero[0].length];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < atZero[c].length; i++) {
                halved[c][i] = (float) (atZero[c][i] * MINUS_SIX);
            }
        }
        assertThat(MixdownIT.maxDifference(atMinusSix, halved)).isLessThan(2e-4);
        assertThat(MixdownIT.peak(atMinusSix) / MixdownIT.peak(atZero)).isCloseTo(0.5, within(0.01));
    }

    @Test
    void theStemsMixPlaysTheMasterFaderWhileEachStemStaysItsTrackAlone() throws IOException {
        UUID project = song(false);
        float[][] atZero = mixdown(project);
        assertThat(http().patch(master(project), owner.token(), volume(-6.0)).status()).isEqualTo(200);

        Http.Response queued = http().post("/api/v1/projects/" + project + "/stems", owner.token(),
                Map.of("tail_seconds", 0));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode job = TestProjects.awaitJob(server, owner, queued.json().path("id").asText(), PATIENCE);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        Map<String, float[][]> files = MixdownIT.unzip(http().get("/api/v1/projects/" + project + "/stems/"
                + job.path("id").asText() + "/file", owner.token()).bytes());
        float[][] halved = new float[2][atZero[0].length];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < atZero[c].length; i++) {
                halved[c][i] = (float) (atZero[c][i] * MINUS_SIX);
            }
        }
        assertThat(MixdownIT.maxDifference(files.get("mix.wav"), halved)).as("the mix after the master fader")
                .isLessThan(2e-4);
        assertThat(MixdownIT.maxDifference(files.get("01-Track_1.wav"), atZero)).as("a stem is before the master")
                .isLessThan(2e-4);
    }
}
