package studio.nexus.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * Versions keep the whole arrangement: restoring one brings back the whole arrangement document exactly as it was
 * when it was saved — every track and clip (V88), the master fader, the tempo and the time signature (V92) — takes it
 * plays stay stored while the version exists (even after they left the pool), and the state a restore replaced is
 * itself a version that restores exactly. A version saved before faders were kept restores the fader to 0 dB and
 * leaves the tempo and time signature as they are.
 */
class VersionedArrangementIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database)
            .with("STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", "0");

    static Musician owner, viewer;

    @BeforeAll
    static void cast() {
        owner = Musicians.named("owner").enterprise().signedIn(server);
        viewer = Musicians.signedIn(server, "viewer");
    }

    private static Http http() {
        return server.http();
    }

    private static String base(UUID project) {
        return "/api/v1/projects/" + project;
    }

    /**
     * The arrangement as a song: without the edit versions (V94), which a restore moves on purpose so that no tag
     * read before it can match what it brought back.
     */
    private static JsonNode arrangement(UUID project) {
        Http.Response got = http().get(base(project) + "/arrangement", owner.token());
        assertThat(got.status()).isEqualTo(200);
        return withoutEditVersions(got.json());
    }

    private static JsonNode withoutEditVersions(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            object.remove(java.util.List.of("version", "chain_version"));
            object.forEach(VersionedArrangementIT::withoutEditVersions);
        } else if (node.isArray()) {
            node.forEach(VersionedArrangementIT::withoutEditVersions);
        }
        return node;
    }

    private static JsonNode ok(Http.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response.bytes().length == 0 ? null : response.json();
    }

    /** Two tracks: track 1 plays the project's take, "Bass" plays an added take twice, muted, panned, with a chain. */
    private static UUID twoTrackSong() {
        UUID project = TestProjects.projectWithAudio(server, owner, "Versions", TestAudio.wav(8000, 1, 1.0));
        TestProjects.collaborate(server, owner, project, viewer, "viewer");
        String take = ok(http().raw("POST", base(project) + "/takes?name=Bass", owner.token(), "audio/wav",
                TestAudio.wav(8000, 1, 0.5)), 201).path("take").path("take").asText();
        String bass = ok(http().post(base(project) + "/tracks", owner.token(), Map.of("name", "Bass", "pan", -0.5,
                "volume_db", -3.5, "muted", true, "colour", "#ff8800",
                "effects_chain", java.util.List.of(Map.of("type", "gain", "settings", Map.of("gain_db", -2.0))))), 201)
                .path("id").asText();
        ok(http().post(base(project) + "/tracks/" + bass + "/clips", owner.token(), Map.of("take", take,
                "start_frame", 2000, "length_frames", 3000, "gain_db", 1.5, "fade_in_frames", 100)), 201);
        ok(http().post(base(project) + "/tracks/" + bass + "/clips", owner.token(), Map.of("take", take,
                "start_frame", 9000, "offset_frames", 500, "length_frames", 1000)), 201);
        return project;
    }

    @Test
    void restoringAVersionBringsBackEveryTrackAndClipExactly() {
        UUID project = twoTrackSong();
        JsonNode saved = arrangement(project);
        int number = ok(http().post(base(project) + "/versions", owner.token(), Map.of("title", "Two tracks")), 201)
                .path("version_number").asInt();

        // change everything: move a clip, delete a track, add another, change track 1's strip
        JsonNode tracks = saved.path("tracks");
        String first = tracks.get(0).path("id").asText();
        String firstClip = tracks.get(0).path("clips").get(0).path("id").asText();
        ok(http().patch(base(project) + "/tracks/" + first + "/clips/" + firstClip, owner.token(),
                Map.of("start_frame", 4321)), 200);
        ok(http().patch(base(project) + "/tracks/" + first, owner.token(), Map.of("volume_db", -20, "soloed", true)),
                200);
        ok(http().delete(base(project) + "/tracks/" + tracks.get(1).path("id").asText(), owner.token()), 204);
        ok(http().post(base(project) + "/tracks", owner.token(), Map.of("name", "Keys")), 201);
        assertThat(arrangement(project)).isNotEqualTo(saved);

        ok(http().post(base(project) + "/versions/" + number + "/restore", owner.token(), null), 201);
        assertThat(arrangement(project)).isEqualTo(saved);
    }

    @Test
    void aVersionKeepsItsTakesStoredAfterTheyLeaveThePoolAndARestorePutsThemBack() {
        UUID project = twoTrackSong();
        JsonNode saved = arrangement(project);
        int number = ok(http().post(base(project) + "/versions", owner.token(), Map.of("title", "With bass")), 201)
                .path("version_number").asInt();
        JsonNode bass = saved.path("tracks").get(1);
        String take = bass.path("clips").get(0).path("take").asText();
        ok(http().delete(base(project) + "/tracks/" + bass.path("id").asText(), owner.token()), 204);
        ok(http().delete(base(project) + "/takes/" + take, owner.token()), 204);
        String key = "projects/" + project + "/" + take;
        assertThat(database.one(Long.class, "SELECT count(*) FROM public.stored_objects WHERE key = :k",
                Map.of("k", key))).as("the version keeps it stored").isEqualTo(1L);

        ok(http().post(base(project) + "/versions/" + number + "/restore", owner.token(), null), 201);
        assertThat(arrangement(project)).isEqualTo(saved);
        assertThat(http().get(base(project) + "/takes/" + take, owner.token()).status()).isEqualTo(200);

        // with the clips and the take gone again and every version holding it deleted, its storage is released
        ok(http().delete(base(project) + "/tracks/" + bass.path("id").asText(), owner.token()), 204);
        ok(http().delete(base(project) + "/takes/" + take, owner.token()), 204);
        for (JsonNode version : http().get(base(project) + "/versions", owner.token()).json().path("items")) {
            ok(http().delete(base(project) + "/versions/" + version.path("version_number").asInt(), owner.token()),
                    204);
        }
        assertThat(database.one(Long.class, "SELECT count(*) FROM public.stored_objects WHERE key = :k",
                Map.of("k", key))).isZero();
    }

    @Test
    void theStateARestoreReplacedIsAVersionThatRestoresExactly() {
        UUID project = twoTrackSong();
        int number = ok(http().post(base(project) + "/versions", owner.token(), Map.of("title", "Before")), 201)
                .path("version_number").asInt();
        String first = arrangement(project).path("tracks").get(0).path("id").asText();
        ok(http().patch(base(project) + "/tracks/" + first, owner.token(), Map.of("name", "Lead vocal")), 200);
        JsonNode edited = arrangement(project);
        int kept = ok(http().post(base(project) + "/versions/" + number + "/restore", owner.token(), null), 201)
                .path("version_number").asInt();
        assertThat(arrangement(project).path("tracks").get(0).path("name").asText()).isEqualTo("Track 1");
        ok(http().post(base(project) + "/versions/" + kept + "/restore", owner.token(), null), 201);
        assertThat(arrangement(project)).isEqualTo(edited);
    }

    /** PATCH /arrangement/master with {"volume_db": db} (null = −∞). */
    private static void master(UUID project, Double db) {
        Map<String, Object> body = new HashMap<>();
        body.put("volume_db", db);
        ok(http().patch(base(project) + "/arrangement/master", owner.token(), body), 200);
    }

    /** The tempo and time signature as the metronome saves them, with another setting a client keeps beside them. */
    private static void grid(UUID project, int bpm, int beatsPerBar, String other) {
        ok(http().patch(base(project), owner.token(), Map.of("metronome_bpm", bpm, "project_settings",
                Map.of("metronome", Map.of("beats_per_bar", beatsPerBar, "volume", 0.4), "other", other))), 200);
    }

    private static JsonNode settings(UUID project) {
        Http.Response got = http().get(base(project), owner.token());
        assertThat(got.status()).isEqualTo(200);
        return got.json().path("project_settings");
    }

    private static int save(UUID project, String title) {
        return ok(http().post(base(project) + "/versions", owner.token(), Map.of("title", title)), 201)
                .path("version_number").asInt();
    }

    private static int restore(UUID project, int number) {
        return ok(http().post(base(project) + "/versions/" + number + "/restore", owner.token(), null), 201)
                .path("version_number").asInt();
    }

    @Test
    void aVersionKeepsAndRestoresTheMasterFaderTempoAndTimeSignature() {
        UUID project = twoTrackSong();
        master(project, -7.25);
        grid(project, 96, 3, "kept");
        JsonNode saved = arrangement(project);
        assertThat(saved.path("master").path("volume_db").asDouble()).isEqualTo(-7.25);
        assertThat(saved.path("bpm").asInt()).isEqualTo(96);
        assertThat(saved.path("beats_per_bar").asInt()).isEqualTo(3);
        int number = save(project, "Waltz at -7.25 dB");

        master(project, null); // −∞
        grid(project, 140, 7, "changed since");
        JsonNode silent = arrangement(project);
        assertThat(silent.path("master").path("volume_db").isNull()).isTrue();
        int kept = restore(project, number);
        assertThat(arrangement(project)).isEqualTo(saved);
        // only the time signature of the project's settings is the arrangement's: what else a client keeps stays
        assertThat(settings(project).path("other").asText()).isEqualTo("changed since");
        assertThat(settings(project).path("metronome").path("volume").asDouble()).isEqualTo(0.4);

        // the state the restore replaced kept its fader at −∞, and gets it back exactly
        restore(project, kept);
        assertThat(arrangement(project)).isEqualTo(silent);
        assertThat(arrangement(project).path("master").path("volume_db").isNull()).isTrue();
    }

    @Test
    void aTimeSignatureNeverSetIsRestoredAsNeverSet() {
        UUID project = twoTrackSong();
        JsonNode saved = arrangement(project);
        assertThat(settings(project).path("metronome").has("beats_per_bar")).isFalse();
        int number = save(project, "Plain four");
        grid(project, 132, 5, "x");
        restore(project, number);
        assertThat(arrangement(project)).isEqualTo(saved);
        assertThat(settings(project).path("metronome").has("beats_per_bar")).as(settings(project).toString())
                .isFalse();
    }

    @Test
    void aVersionSavedBeforeFadersWereKeptRestoresTheFaderTo0dBAndLeavesTheGrid() {
        UUID project = twoTrackSong();
        JsonNode tracks = arrangement(project).path("tracks");
        int number = save(project, "Old");
        // as a version saved before V92 holds it: tracks and clips, nothing of the project's row
        database.update("""
                UPDATE public.project_versions
                   SET arrangement = arrangement - 'master_volume_db' - 'metronome_bpm' - 'beats_per_bar'
                 WHERE project_id = :p AND version_number = :n""", Map.of("p", project, "n", number));
        master(project, -12.0);
        grid(project, 100, 6, "x");
        ok(http().post(base(project) + "/tracks", owner.token(), Map.of("name", "Later")), 201);

        restore(project, number);
        JsonNode restored = arrangement(project);
        assertThat(restored.path("tracks")).isEqualTo(tracks);
        assertThat(restored.path("master").path("volume_db").asDouble()).isZero();
        assertThat(restored.path("bpm").asInt()).isEqualTo(100);
        assertThat(restored.path("beats_per_bar").asInt()).isEqualTo(6);

        // and one older than V88, without an arrangement at all: the fader to 0 dB as well
        int bare = save(project, "Older still");
        database.update("UPDATE public.project_versions SET arrangement = NULL WHERE project_id = :p"
                + " AND version_number = :n", Map.of("p", project, "n", bare));
        master(project, -3.0);
        restore(project, bare);
        assertThat(arrangement(project).path("master").path("volume_db").asDouble()).isZero();
        assertThat(arrangement(project).path("bpm").asInt()).isEqualTo(100);
    }

    @Test
    void aViewerCannotRestoreAndTheArrangementStaysAsItWas() {
        UUID project = twoTrackSong();
        int number = ok(http().post(base(project) + "/versions", owner.token(), Map.of("title", "V")), 201)
                .path("version_number").asInt();
        ok(http().post(base(project) + "/tracks", owner.token(), Map.of("name", "Later")), 201);
        master(project, -9.0);
        JsonNode now = arrangement(project);
        assertThat(http().post(base(project) + "/versions/" + number + "/restore", viewer.token(), null).status())
                .isEqualTo(403);
        assertThat(arrangement(project)).isEqualTo(now);
    }
}
