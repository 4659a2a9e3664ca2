package studio.nexus.takes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.ProjectCast;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * A project's take pool through the API: a take added to a project leaves its tracks as they are, a clip can then
 * place it, a take in use cannot be deleted, a take is charged once while the pool or a clip holds it and released
 * when neither does, and RLS decides who lists, adds, renames and deletes.
 */
class TakePoolIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database)
            .with("STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", "0");

    static final byte[] ONE_SECOND = TestAudio.wav(8000, 1, 1.0);
    static final byte[] HALF_SECOND = TestAudio.wav(8000, 2, 0.5);
    static ProjectCast cast;
    static Musician owner, editor, viewer;

    @BeforeAll
    static void cast() {
        cast = ProjectCast.signedIn(server, Musicians.named("owner").enterprise());
        owner = cast.owner;
        editor = cast.editor;
        viewer = cast.viewer;
    }

    private static Http http() {
        return server.http();
    }

    private static String token(String caller) {
        return cast.token(caller);
    }

    private static UUID song(boolean isPublic) {
        return cast.song(server, "Pool", isPublic, ONE_SECOND);
    }

    private static String takes(UUID project) {
        return "/api/v1/projects/" + project + "/takes";
    }

    private static Http.Response addTake(UUID project, String token, String query, byte[] audio) {
        return http().raw("POST", takes(project) + query, token, "audio/wav", audio);
    }

    private static JsonNode added(UUID project, String name, byte[] audio) {
        Http.Response made = addTake(project, owner.token(), "?name=" + name, audio);
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        return made.json().path("take");
    }

    private static JsonNode arrangement(UUID project) {
        return http().get("/api/v1/projects/" + project + "/arrangement", owner.token()).json();
    }

    @Test
    void anAddedTakeJoinsThePoolWithItsFactsAndLeavesTheTracksAsTheyWere() {
        UUID project = song(false);
        JsonNode before = arrangement(project);
        Http.Response made = addTake(project, editor.token(), "?name=Bass%20DI", HALF_SECOND);
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        JsonNode take = made.json().path("take");
        assertThat(take.path("name").asText()).isEqualTo("Bass DI");
        assertThat(take.path("duration_seconds").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(take.path("sample_rate").asInt()).isEqualTo(8000);
        assertThat(take.path("channels").asInt()).isEqualTo(2);
        assertThat(take.path("uploaded_by").asText()).isEqualTo(editor.id().toString());
        assertThat(take.path("clips").asInt()).isZero();
        assertThat(made.header("Location")).isEqualTo(takes(project) + "/" + take.path("take").asText());
        assertThat(arrangement(project)).isEqualTo(before);

        JsonNode pool = http().get(takes(project), viewer.token()).json().path("items");
        assertThat(pool.findValuesAsText("name")).containsExactly("Take 1", "Bass DI");
        assertThat(pool.get(0).path("clips").asInt()).isEqualTo(1); // track 1 plays the project's take
    }

    @Test
    void aTakeWithoutANameIsNamedAfterItsFileOrCountedInThePool() {
        UUID project = song(false);
        Http.Response unnamed = addTake(project, owner.token(), "", ONE_SECOND);
        assertThat(unnamed.json().path("take").path("name").asText()).isEqualTo("Take 2");
        Http.Response fromFile = http().send(http().request(takes(project), owner.token())
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(multipart("verse 2.wav", ONE_SECOND))));
        assertThat(fromFile.status()).as(fromFile.toString()).isEqualTo(201);
        assertThat(fromFile.json().path("take").path("name").asText()).isEqualTo("verse 2");
    }

    private static byte[] multipart(String fileName, byte[] audio) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] head = ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeBytes(head);
        out.writeBytes(audio);
        out.writeBytes("\r\n--b--\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void aClipPlacesAnAddedTakeAndATakeInUseCannotBeDeleted() {
        UUID project = song(false);
        String take = added(project, "Keys", HALF_SECOND).path("take").asText();
        Http.Response track = http().post("/api/v1/projects/" + project + "/tracks", owner.token(),
                Map.of("name", "Keys"));
        String trackId = track.json().path("id").asText();
        Http.Response clip = http().post("/api/v1/projects/" + project + "/tracks/" + trackId + "/clips",
                owner.token(), Map.of("take", take, "start_frame", 8000));
        assertThat(clip.status()).as(clip.toString()).isEqualTo(201);
        assertThat(clip.json().path("length_frames").asLong()).as("the whole take by default").isEqualTo(4000);

        Http.Response refused = http().delete(takes(project) + "/" + take, owner.token());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().path("code").asText()).isEqualTo("take_in_use");
        String own = http().get(takes(project), owner.token()).json().path("items").get(0).path("take").asText();
        assertThat(http().delete(takes(project) + "/" + own, owner.token()).status()).isEqualTo(409);

        assertThat(http().delete("/api/v1/projects/" + project + "/tracks/" + trackId + "/clips/"
                + clip.json().path("id").asText(), owner.token()).status()).isEqualTo(204);
        assertThat(http().delete(takes(project) + "/" + take, owner.token()).status()).isEqualTo(204);
        assertThat(http().get(takes(project) + "/" + take, owner.token()).status()).isEqualTo(404);
    }

    @Test
    void aClipCannotPlayATakeOutsideThePool() {
        UUID project = song(false);
        UUID other = song(false);
        String foreign = added(other, "Elsewhere", HALF_SECOND).path("take").asText();
        String track = http().post("/api/v1/projects/" + project + "/tracks", owner.token(), Map.of()).json()
                .path("id").asText();
        Http.Response clip = http().post("/api/v1/projects/" + project + "/tracks/" + track + "/clips",
                owner.token(), Map.of("take", foreign, "start_frame", 0));
        assertThat(clip.status()).as(clip.toString()).isEqualTo(422);
    }

    @Test
    void aTakeIsChargedOnceWhileThePoolHoldsItAndReleasedWhenDeleted() {
        UUID project = song(false);
        long before = Musicians.chargedBytes(database, owner.id());
        String take = added(project, "Pad", ONE_SECOND).path("take").asText();
        long withTake = Musicians.chargedBytes(database, owner.id());
        assertThat(withTake - before).isGreaterThanOrEqualTo(ONE_SECOND.length);
        assertThat(http().delete(takes(project) + "/" + take, owner.token()).status()).isEqualTo(204);
        assertThat(Musicians.chargedBytes(database, owner.id())).isEqualTo(before);
    }

    @Test
    void replacingTheProjectsTakeReleasesTheOldOneAsBeforeTakesHadAPool() {
        UUID project = song(false);
        String first = TestProjects.storedKey(database, project, "original_audio_path");
        assertThat(TestProjects.upload(server, owner, project, HALF_SECOND).status()).isEqualTo(201);
        JsonNode pool = http().get(takes(project), owner.token()).json().path("items");
        assertThat(pool).hasSize(1);
        assertThat(pool.get(0).path("duration_seconds").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(database.one(Long.class, "SELECT count(*) FROM public.stored_objects WHERE key = :k",
                Map.of("k", first))).isZero();
        assertThat(http().delete("/api/v1/projects/" + project + "/audio", owner.token()).status()).isEqualTo(204);
        assertThat(http().get(takes(project), owner.token()).json().path("items")).isEmpty();
    }

    @Test
    void aTakesWaveformAndAudioAreServedToWhoeverSeesTheProject() {
        UUID project = song(true);
        String take = added(project, "Vox", HALF_SECOND).path("take").asText();
        Http.Response waveform = http().get(takes(project) + "/" + take + "/waveform?samples_per_pixel=400", null);
        assertThat(waveform.status()).as(waveform.toString()).isEqualTo(200);
        assertThat(waveform.json().path("length").asInt()).isEqualTo(10);
        Http.Response audio = http().send(http().request(takes(project) + "/" + take + "/audio", null)
                .header("Range", "bytes=0-3").GET());
        assertThat(audio.status()).isEqualTo(206);
        assertThat(new String(audio.bytes(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(http().get(takes(project) + "/no-such-take/audio", null).status()).isEqualTo(404);
        assertThat(http().offContract().get(takes(project) + "/..%2Fsecret/audio", null).status()).isEqualTo(404);
    }

    @Test
    void badTakeInputIsRefusedAndLeavesNothingBehind() {
        UUID project = song(false);
        long before = Musicians.chargedBytes(database, owner.id());
        Http.Response notAudio = addTake(project, owner.token(), "", "not audio at all".getBytes());
        assertThat(notAudio.status()).isEqualTo(415);
        Http.Response blank = http().offContract().raw("POST", takes(project) + "?name=%20", owner.token(),
                "audio/wav", ONE_SECOND);
        assertThat(blank.status()).isEqualTo(422);
        Http.Response rename = http().offContract().patch(takes(project) + "/"
                + http().get(takes(project), owner.token()).json().path("items").get(0).path("take").asText(),
                owner.token(), Map.of("name", ""));
        assertThat(rename.status()).isEqualTo(422);
        assertThat(http().get(takes(project), owner.token()).json().path("items")).hasSize(1);
        assertThat(Musicians.chargedBytes(database, owner.id())).isEqualTo(before);
    }

    /** A route called by one caller on a project: fixtures are made fresh by the owner for every call. */
    record Row(String name, BiFunction<UUID, String, Http.Response> call, boolean write, int success) {}

    @Test
    void everyTakeRouteAnswersEachCallerAsTheProjectsRulesSay() {
        List<Row> rows = List.of(
                new Row("GET takes", (p, t) -> http().get(takes(p), t), false, 200),
                new Row("GET take", (p, t) -> http().get(takes(p) + "/" + added(p, "A", HALF_SECOND)
                        .path("take").asText(), t), false, 200),
                new Row("GET waveform", (p, t) -> http().get(takes(p) + "/" + added(p, "A", HALF_SECOND)
                        .path("take").asText() + "/waveform", t), false, 200),
                new Row("POST take", (p, t) -> addTake(p, t, "?name=New", HALF_SECOND), true, 201),
                new Row("PATCH take", (p, t) -> http().patch(takes(p) + "/" + added(p, "A", HALF_SECOND)
                        .path("take").asText(), t, Map.of("name", "Renamed")), true, 200),
                new Row("DELETE take", (p, t) -> http().delete(takes(p) + "/" + added(p, "A", HALF_SECOND)
                        .path("take").asText(), t), true, 204));
        UUID privateSong = song(false);
        UUID publicSong = song(true);
        Map<String, List<Integer>> expected = new LinkedHashMap<>();
        Map<String, List<Integer>> actual = new LinkedHashMap<>();
        for (Row row : rows) {
            for (boolean isPublic : new boolean[] {false, true}) {
                UUID project = isPublic ? publicSong : privateSong;
                String key = row.name() + (isPublic ? " (public)" : " (private)");
                List<Integer> want = new ArrayList<>();
                List<Integer> got = new ArrayList<>();
                for (String caller : ProjectCast.CALLERS) {
                    want.add(expectedStatus(row, caller, isPublic));
                    got.add(row.call().apply(project, token(caller)).status());
                }
                expected.put(key, want);
                actual.put(key, got);
            }
        }
        assertThat(actual).as("callers: " + String.join(", ", ProjectCast.CALLERS)).isEqualTo(expected);
    }

    private static int expectedStatus(Row row, String caller, boolean isPublic) {
        return ProjectCast.expected(caller, row.write(), isPublic, row.success());
    }
}
