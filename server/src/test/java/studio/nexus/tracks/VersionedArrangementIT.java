package studio.nexus.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Versions keep the whole arrangement: restoring one brings back every track and clip exactly as the arrangement
 * document showed them when it was saved, takes it plays stay stored while the version exists (even after they left
 * the pool), and the state a restore replaced is itself a version that restores exactly.
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

    @Test
    void aViewerCannotRestoreAndTheArrangementStaysAsItWas() {
        UUID project = twoTrackSong();
        int number = ok(http().post(base(project) + "/versions", owner.token(), Map.of("title", "V")), 201)
                .path("version_number").asInt();
        ok(http().post(base(project) + "/tracks", owner.token(), Map.of("name", "Later")), 201);
        JsonNode now = arrangement(project);
        assertThat(http().post(base(project) + "/versions/" + number + "/restore", viewer.token(), null).status())
                .isEqualTo(403);
        assertThat(arrangement(project)).isEqualTo(now);
    }
}
