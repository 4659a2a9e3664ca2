package studio.nexus.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
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
 * A project's arrangement through the API: who may read and change tracks and clips (RLS decides), what a track and
 * a clip accept, that a split is sample-exact, that a one-take project is track 1 with one clip over its take (also
 * after its take is replaced), and that a take stays stored and charged while a clip plays it.
 */
class TracksIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database)
            .with("STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", "0");

    /** One second at 8 kHz: the project's timeline runs at 8000 frames a second. */
    static final byte[] ONE_SECOND = TestAudio.wav(8000, 1, 1.0);
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

    /** A project of the owner with a one-second take and an editor, an admin and a viewer collaborator. */
    private static UUID song(boolean isPublic) {
        return cast.song(server, "Tracks", isPublic, ONE_SECOND);
    }

    private static String tracks(UUID project) {
        return "/api/v1/projects/" + project + "/tracks";
    }

    private static JsonNode newTrack(UUID project, Map<String, ?> fields) {
        Http.Response made = http().post(tracks(project), owner.token(), fields);
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        return made.json();
    }

    private static JsonNode newClip(UUID project, String track, Map<String, ?> fields) {
        Http.Response made = http().post(tracks(project) + "/" + track + "/clips", owner.token(), fields);
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        return made.json();
    }

    private static List<String> trackIds(UUID project) {
        List<String> ids = new ArrayList<>();
        http().get(tracks(project), owner.token()).json().path("items").forEach(t -> ids.add(t.path("id").asText()));
        return ids;
    }

    private static List<String> reversed(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        java.util.Collections.reverse(copy);
        return copy;
    }

    /** A route called by one caller on a project: fixtures are made fresh by the owner for every call. */
    record Row(String name, BiFunction<UUID, String, Http.Response> call, boolean write, int success) {}

    @Test
    void everyRouteAnswersEachCallerAsTheProjectsRulesSay() {
        List<Row> rows = List.of(
                new Row("GET arrangement", (p, t) -> http().get("/api/v1/projects/" + p + "/arrangement", t), false, 200),
                new Row("GET tracks", (p, t) -> http().get(tracks(p), t), false, 200),
                new Row("POST track", (p, t) -> http().post(tracks(p), t, Map.of("name", "Bass")), true, 201),
                new Row("PATCH track", (p, t) -> http().patch(tracks(p) + "/" + newTrack(p, Map.of()).path("id").asText(),
                        t, Map.of("name", "Renamed", "muted", true)), true, 200),
                new Row("DELETE track", (p, t) -> http().delete(tracks(p) + "/" + newTrack(p, Map.of()).path("id").asText(),
                        t), true, 204),
                new Row("PUT order", (p, t) -> http().put(tracks(p) + "/order", t,
                        Map.of("track_ids", reversed(trackIds(p)))), true, 200),
                new Row("POST clip", (p, t) -> http().post(tracks(p) + "/" + newTrack(p, Map.of()).path("id").asText()
                        + "/clips", t, Map.of("start_frame", 0, "length_frames", 4000)), true, 201),
                new Row("PATCH clip", (p, t) -> {
                    String track = newTrack(p, Map.of()).path("id").asText();
                    String clip = newClip(p, track, Map.of("start_frame", 0)).path("id").asText();
                    return http().patch(tracks(p) + "/" + track + "/clips/" + clip, t, Map.of("start_frame", 8000));
                }, true, 200),
                new Row("DELETE clip", (p, t) -> {
                    String track = newTrack(p, Map.of()).path("id").asText();
                    String clip = newClip(p, track, Map.of("start_frame", 0)).path("id").asText();
                    return http().delete(tracks(p) + "/" + track + "/clips/" + clip, t);
                }, true, 204),
                new Row("POST split", (p, t) -> {
                    String track = newTrack(p, Map.of()).path("id").asText();
                    String clip = newClip(p, track, Map.of("start_frame", 0)).path("id").asText();
                    return http().post(tracks(p) + "/" + track + "/clips/" + clip + "/split", t,
                            Map.of("at_frame", 100));
                }, true, 201));
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

    @Test
    void aRefusedChangeLeavesTheTrackAsItWas() {
        UUID project = song(true);
        String track = newTrack(project, Map.of("name", "Keys")).path("id").asText();
        for (String caller : List.of("viewer", "stranger", "anonymous")) {
            assertThat(http().patch(tracks(project) + "/" + track, token(caller), Map.of("name", "Hijacked")).status())
                    .isIn(401, 403);
            assertThat(http().delete(tracks(project) + "/" + track, token(caller)).status()).isIn(401, 403);
        }
        JsonNode arrangement = http().get("/api/v1/projects/" + project + "/arrangement", null).json();
        assertThat(arrangement.path("tracks").findValuesAsText("name")).containsExactly("Track 1", "Keys");
    }

    @Test
    void aTrackOfAnotherProjectOrAnUnknownClipIsNotFound() {
        UUID project = song(false);
        UUID other = song(false);
        String foreign = newTrack(other, Map.of()).path("id").asText();
        assertThat(http().patch(tracks(project) + "/" + foreign, owner.token(), Map.of("name", "X")).status())
                .isEqualTo(404);
        assertThat(http().delete(tracks(project) + "/" + UUID.randomUUID() + "/clips/" + UUID.randomUUID(),
                owner.token()).status()).isEqualTo(404);
        assertThat(http().get("/api/v1/projects/" + UUID.randomUUID() + "/arrangement", owner.token()).status())
                .isEqualTo(404);
        assertThat(http().offContract().patch(tracks(project) + "/not-a-uuid", owner.token(), Map.of("name", "X")).status())
                .isEqualTo(404);
    }

    @Test
    void invalidTrackSettingsAreRefusedFieldByField() {
        UUID project = song(false);
        Map<String, Object> bad = new HashMap<>();
        bad.put("name", "");
        bad.put("colour", "red");
        bad.put("volume_db", 7);
        bad.put("pan", 1.5);
        bad.put("muted", "yes");
        bad.put("tempo", 3);
        Http.Response refused = http().offContract().post(tracks(project), owner.token(), bad);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.json().path("errors").findValuesAsText("field"))
                .contains("name", "colour", "volume_db", "pan", "muted", "tempo");
        Http.Response chain = http().post(tracks(project), owner.token(),
                Map.of("effects_chain", List.of(Map.of("type", "no_such_effect"))));
        assertThat(chain.status()).as(chain.toString()).isEqualTo(422);
        assertThat(chain.json().path("code").asText()).isEqualTo("invalid_effect_chain");
        Http.Response order = http().put(tracks(project) + "/order", owner.token(), Map.of("track_ids", List.of()));
        assertThat(order.status()).as(order.toString()).isEqualTo(422);
    }

    @Test
    void aTrackKeepsItsMixerStripAndChainAndAFaderAtMinusInfinityIsNull() {
        UUID project = song(false);
        JsonNode made = newTrack(project, Map.of("name", "Drums", "colour", "#FF8800", "pan", -0.5, "soloed", true,
                "effects_chain", List.of(Map.of("type", "gain", "settings", Map.of("gain_db", -3)))));
        assertThat(made.path("position").asInt()).isEqualTo(1);
        assertThat(made.path("colour").asText()).isEqualTo("#ff8800");
        assertThat(made.path("volume_db").asDouble()).isEqualTo(0.0);
        Map<String, Object> silent = new HashMap<>();
        silent.put("volume_db", null);
        Http.Response changed = http().patch(tracks(project) + "/" + made.path("id").asText(), editor.token(), silent);
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().path("volume_db").isNull()).isTrue();
        assertThat(changed.json().path("pan").asDouble()).isEqualTo(-0.5);
        assertThat(changed.json().path("soloed").asBoolean()).isTrue();
        assertThat(changed.json().path("effects_chain").size()).isEqualTo(1);
    }

    @Test
    void reorderingAndRemovingKeepPositionsWithoutGaps() {
        UUID project = song(false);
        String first = trackIds(project).get(0);
        String b = newTrack(project, Map.of("name", "B")).path("id").asText();
        String c = newTrack(project, Map.of("name", "C")).path("id").asText();
        Http.Response reordered = http().put(tracks(project) + "/order", editor.token(),
                Map.of("track_ids", List.of(c, first, b)));
        assertThat(reordered.status()).as(reordered.toString()).isEqualTo(200);
        assertThat(trackIds(project)).containsExactly(c, first, b);
        assertThat(http().delete(tracks(project) + "/" + first, owner.token()).status()).isEqualTo(204);
        JsonNode items = http().get(tracks(project), owner.token()).json().path("items");
        assertThat(items.findValuesAsText("id")).containsExactly(c, b);
        assertThat(items.findValues("position").stream().map(JsonNode::asInt).toList()).containsExactly(0, 1);
        Http.Response partial = http().put(tracks(project) + "/order", owner.token(), Map.of("track_ids", List.of(b)));
        assertThat(partial.status()).isEqualTo(422);
    }

    @Test
    void invalidClipsAreRefusedFieldByField() {
        UUID project = song(false);
        String track = newTrack(project, Map.of()).path("id").asText();
        String clips = tracks(project) + "/" + track + "/clips";
        Http.Response bad = http().offContract().post(clips, owner.token(), Map.of("start_frame", -1, "offset_frames", 1.5,
                "gain_db", 40, "take", "../escape.wav"));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(422);
        assertThat(bad.json().path("errors").findValuesAsText("field"))
                .contains("start_frame", "offset_frames", "gain_db", "take");
        Http.Response fades = http().post(clips, owner.token(), Map.of("start_frame", 0, "length_frames", 100,
                "fade_in_frames", 60, "fade_out_frames", 60));
        assertThat(fades.status()).as(fades.toString()).isEqualTo(422);
        Http.Response pastTheEnd = http().post(clips, owner.token(), Map.of("start_frame", 0, "offset_frames", 4000,
                "length_frames", 4001));
        assertThat(pastTheEnd.status()).as(pastTheEnd.toString()).isEqualTo(422);
        assertThat(pastTheEnd.json().path("errors").findValuesAsText("field")).containsExactly("length_frames");
        Http.Response unknownTake = http().post(clips, owner.token(), Map.of("take", "original-nothing.wav",
                "start_frame", 0, "length_frames", 10));
        assertThat(unknownTake.status()).as(unknownTake.toString()).isEqualTo(422);
        assertThat(unknownTake.json().path("errors").findValuesAsText("field")).containsExactly("take");
        String clip = newClip(project, track, Map.of("start_frame", 10, "length_frames", 1000)).path("id").asText();
        Http.Response shrink = http().patch(clips + "/" + clip, owner.token(), Map.of("fade_in_frames", 800,
                "fade_out_frames", 300));
        assertThat(shrink.status()).as(shrink.toString()).isEqualTo(422);
        Http.Response elsewhere = http().patch(clips + "/" + clip, owner.token(), Map.of("track_id",
                UUID.randomUUID().toString()));
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(422);
        for (long at : new long[] {10, 1010, 5000}) {
            Http.Response split = http().post(clips + "/" + clip + "/split", owner.token(), Map.of("at_frame", at));
            assertThat(split.status()).as("split at " + at + ": " + split).isEqualTo(422);
        }
        UUID silent = TestProjects.project(server, owner, "No take yet");
        String empty = newTrack(silent, Map.of()).path("id").asText();
        assertThat(http().post(tracks(silent) + "/" + empty + "/clips", owner.token(), Map.of("start_frame", 0))
                .status()).isEqualTo(409);
    }

    @Test
    void aSplitPlaysExactlyTheFramesTheClipPlayed() {
        UUID project = song(false);
        String track = newTrack(project, Map.of()).path("id").asText();
        String clips = tracks(project) + "/" + track + "/clips";
        JsonNode clip = newClip(project, track, Map.of("start_frame", 1000, "offset_frames", 500,
                "length_frames", 6000, "gain_db", -2.5, "fade_in_frames", 300, "fade_out_frames", 200));
        Http.Response split = http().post(clips + "/" + clip.path("id").asText() + "/split", editor.token(),
                Map.of("at_frame", 3333));
        assertThat(split.status()).as(split.toString()).isEqualTo(201);
        JsonNode left = split.json().path("left");
        JsonNode right = split.json().path("right");
        assertThat(left.path("id").asText()).isEqualTo(clip.path("id").asText());
        assertThat(left.path("start_frame").asLong()).isEqualTo(1000);
        assertThat(left.path("offset_frames").asLong()).isEqualTo(500);
        assertThat(left.path("length_frames").asLong()).isEqualTo(2333);
        assertThat(left.path("fade_in_frames").asLong()).isEqualTo(300);
        assertThat(left.path("fade_out_frames").asLong()).isZero();
        assertThat(right.path("start_frame").asLong()).isEqualTo(3333);
        assertThat(right.path("offset_frames").asLong()).isEqualTo(2833);
        assertThat(right.path("length_frames").asLong()).isEqualTo(3667);
        assertThat(right.path("fade_in_frames").asLong()).isZero();
        assertThat(right.path("fade_out_frames").asLong()).isEqualTo(200);
        assertThat(right.path("take").asText()).isEqualTo(clip.path("take").asText());
        assertThat(right.path("gain_db").asDouble()).isEqualTo(-2.5);
        // the two end to end: no frame of the take lost or doubled
        assertThat(left.path("offset_frames").asLong() + left.path("length_frames").asLong())
                .isEqualTo(right.path("offset_frames").asLong());
        assertThat(left.path("start_frame").asLong() + left.path("length_frames").asLong())
                .isEqualTo(right.path("start_frame").asLong());
        // a move to another track of the project keeps the take and the trim
        String other = newTrack(project, Map.of()).path("id").asText();
        Http.Response moved = http().patch(clips + "/" + right.path("id").asText(), owner.token(),
                Map.of("track_id", other, "start_frame", 16000));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().path("track_id").asText()).isEqualTo(other);
        assertThat(moved.json().path("offset_frames").asLong()).isEqualTo(2833);
    }

    @Test
    void theArrangementCarriesTheGridAndTheMasterChainOfTheProject() {
        UUID project = TestProjects.project(server, owner, Map.of("title", "Waltz", "metronome_bpm", 90,
                "project_settings", Map.of("metronome", Map.of("beats_per_bar", 3))));
        assertThat(http().put("/api/v1/projects/" + project + "/effects", owner.token(), Map.of("chain",
                List.of(Map.of("type", "gain", "settings", Map.of("gain_db", -1))))).status()).isEqualTo(200);
        JsonNode arrangement = http().get("/api/v1/projects/" + project + "/arrangement", owner.token()).json();
        assertThat(arrangement.path("bpm").asInt()).isEqualTo(90);
        assertThat(arrangement.path("beats_per_bar").asInt()).isEqualTo(3);
        assertThat(arrangement.path("master").path("effects_chain").get(0).path("type").asText()).isEqualTo("gain");
        assertThat(arrangement.path("tracks")).isEmpty();
        // whatever a client stored as the bar, the grid stays readable
        assertThat(http().patch("/api/v1/projects/" + project, owner.token(), Map.of("project_settings",
                Map.of("metronome", Map.of("beats_per_bar", 1e15)))).status()).isEqualTo(200);
        JsonNode odd = http().get("/api/v1/projects/" + project + "/arrangement", owner.token()).json();
        assertThat(odd.path("beats_per_bar").asInt()).isEqualTo(4);
    }

    @Test
    void aOneTakeProjectIsTrackOneWithOneClipOverItsTakeAndAReplacedTakeMovesThatClip() {
        UUID project = TestProjects.projectWithStoredMelody(server, owner, 4);
        JsonNode arrangement = http().get("/api/v1/projects/" + project + "/arrangement", owner.token()).json();
        assertThat(arrangement.path("sample_rate").asInt()).isEqualTo(22050);
        assertThat(arrangement.path("bpm").asInt()).isEqualTo(120);
        assertThat(arrangement.path("tracks")).hasSize(1);
        JsonNode track = arrangement.path("tracks").get(0);
        assertThat(track.path("name").asText()).isEqualTo("Track 1");
        assertThat(track.path("clips")).hasSize(1);
        JsonNode clip = track.path("clips").get(0);
        long frames = database.one(Long.class, """
                SELECT ceil(duration_seconds * sample_rate)::bigint FROM public.projects WHERE id = :id""",
                Map.of("id", project));
        assertThat(clip.path("start_frame").asLong()).isZero();
        assertThat(clip.path("offset_frames").asLong()).isZero();
        assertThat(clip.path("length_frames").asLong()).isEqualTo(frames);
        assertThat("projects/" + project + "/" + clip.path("take").asText())
                .isEqualTo(TestProjects.storedKey(database, project, "original_audio_path"));

        // an upload through PUT /audio replaces track 1's take; no second track appears
        Http.Response uploaded = TestProjects.upload(server, owner, project, TestAudio.wav(8000, 1, 2.0));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        JsonNode after = http().get("/api/v1/projects/" + project + "/arrangement", owner.token()).json();
        assertThat(after.path("tracks")).hasSize(1);
        JsonNode replaced = after.path("tracks").get(0).path("clips").get(0);
        assertThat(replaced.path("id").asText()).isEqualTo(clip.path("id").asText());
        // an 8 kHz take in a 22,050 Hz song: the timeline keeps its rate (nothing else moves), two seconds of it
        assertThat(after.path("sample_rate").asInt()).isEqualTo(22050);
        assertThat(replaced.path("length_frames").asLong()).isEqualTo(44100);
        assertThat("projects/" + project + "/" + replaced.path("take").asText())
                .isEqualTo(TestProjects.storedKey(database, project, "original_audio_path"));

        // removing the take removes the clip that played it
        assertThat(http().delete("/api/v1/projects/" + project + "/audio", owner.token()).status()).isEqualTo(204);
        assertThat(http().get("/api/v1/projects/" + project + "/arrangement", owner.token()).json()
                .path("tracks").get(0).path("clips")).isEmpty();
    }

    @Test
    void aTakeStaysStoredAndChargedWhileAClipPlaysIt() {
        Musician musician = Musicians.signedIn(server, "charged");
        UUID project = TestProjects.projectWithAudio(server, musician, "Charged", ONE_SECOND);
        String first = TestProjects.storedKey(database, project, "original_audio_path");
        long firstBytes = Musicians.chargedBytes(database, musician.id());
        assertThat(firstBytes).isPositive();
        String takeOne = first.substring(("projects/" + project + "/").length());
        // a second track plays the first take too
        Http.Response track = http().post(tracks(project), musician.token(), Map.of("name", "Double"));
        String second = track.json().path("id").asText();
        Http.Response placed = http().post(tracks(project) + "/" + second + "/clips", musician.token(),
                Map.of("take", takeOne, "start_frame", 4000, "length_frames", 8000));
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);

        // a new take replaces track 1's; the first stays stored and charged, since the second track plays it
        assertThat(TestProjects.upload(server, musician, project, TestAudio.wav(8000, 1, 3.0)).status())
                .isEqualTo(201);
        assertThat(database.one(Long.class, "SELECT count(*) FROM public.stored_objects WHERE key = :k",
                Map.of("k", first))).isEqualTo(1L);
        long bothBytes = Musicians.chargedBytes(database, musician.id());
        assertThat(bothBytes).isGreaterThan(firstBytes);

        // the last clip playing it goes, the take stays in the project's pool; deleted from the pool, its charge goes
        assertThat(http().delete(tracks(project) + "/" + second + "/clips/" + placed.json().path("id").asText(),
                musician.token()).status()).isEqualTo(204);
        assertThat(Musicians.chargedBytes(database, musician.id())).isEqualTo(bothBytes);
        assertThat(http().delete("/api/v1/projects/" + project + "/takes/" + takeOne, musician.token()).status())
                .isEqualTo(204);
        assertThat(database.one(Long.class, "SELECT count(*) FROM public.stored_objects WHERE key = :k",
                Map.of("k", first))).isZero();
        assertThat(Musicians.chargedBytes(database, musician.id())).isEqualTo(bothBytes - firstBytes);
        assertThat(Musicians.storageUsedMb(database, musician.id()))
                .isEqualTo((bothBytes - firstBytes + 1048575) / 1048576);
    }
}
