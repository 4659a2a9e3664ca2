package studio.nexus.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.ProjectCast;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * No lost edits (V94): every editable object carries a version, a write sent with If-Match and an older tag of what
 * it changes gets 412 with the object as it is now, and writes to different objects never refuse each other.
 */
class EditVersionsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database)
            .with("STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", "0");

    static final byte[] TAKE = TestAudio.sineWav(44100, 1.0, 440);
    static ProjectCast cast;

    @BeforeAll
    static void cast() {
        cast = ProjectCast.signedIn(server, Musicians.named("owner").pro());
    }

    private static Http http() {
        return server.http();
    }

    private static String base(UUID project) {
        return "/api/v1/projects/" + project;
    }

    private static JsonNode arrangement(UUID project) {
        Http.Response got = http().get(base(project) + "/arrangement", cast.owner.token());
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        return got.json();
    }

    private static JsonNode firstTrack(UUID project) {
        return arrangement(project).path("tracks").get(0);
    }

    private static String trackTag(JsonNode track) {
        return "\"" + track.path("version").asLong() + "." + track.path("chain_version").asLong() + "\"";
    }

    private static String tag(JsonNode versioned) {
        return "\"" + versioned.path("version").asLong() + "\"";
    }

    private static Http.Response write(String method, String path, String who, Object body, String ifMatch) {
        return http().sendJson(method, path, cast.token(who), body, ifMatch);
    }

    private static JsonNode addClip(UUID project, String trackId, long start) {
        Http.Response made = write("POST", base(project) + "/tracks/" + trackId + "/clips", "owner",
                Map.of("start_frame", start, "length_frames", 4410), null);
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        assertThat(made.header("ETag")).isEqualTo(tag(made.json()));
        return made.json();
    }

    @Test
    void aStaleWriteToATrackIsRefusedWithTheTrackAsItIsNowAndAFreshOneGoesThrough() {
        UUID project = cast.song(server, "Stale track", false, TAKE);
        JsonNode track = firstTrack(project);
        String path = base(project) + "/tracks/" + track.path("id").asText();
        String read = trackTag(track);

        Http.Response editor = write("PATCH", path, "editor", Map.of("volume_db", -3.0), read);
        assertThat(editor.status()).as(editor.toString()).isEqualTo(200);
        String now = editor.header("ETag");
        assertThat(now).isNotEqualTo(read).isEqualTo(trackTag(editor.json()));

        Http.Response owner = write("PATCH", path, "owner", Map.of("volume_db", -12.0), read);
        assertThat(owner.status()).as(owner.toString()).isEqualTo(412);
        assertThat(owner.contentType()).startsWith("application/problem+json");
        assertThat(owner.json().path("code").asText()).isEqualTo("stale_version");
        assertThat(owner.json().path("current").path("volume_db").asDouble()).as("the editor's change is shown")
                .isEqualTo(-3.0);
        assertThat(owner.json().path("etag").asText()).isEqualTo(now);
        assertThat(owner.header("ETag")).isEqualTo(now);
        assertThat(firstTrack(project).path("volume_db").asDouble()).as("nothing was overwritten").isEqualTo(-3.0);

        Http.Response again = write("PATCH", path, "owner", Map.of("volume_db", -12.0), now);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(firstTrack(project).path("volume_db").asDouble()).isEqualTo(-12.0);
    }

    @Test
    void aFaderMoveAndAChainEditOfOneTrackByTwoPeopleBothStay() {
        UUID project = cast.song(server, "Fader and chain", false, TAKE);
        JsonNode track = firstTrack(project);
        String path = base(project) + "/tracks/" + track.path("id").asText();
        String read = trackTag(track);

        Http.Response fader = write("PATCH", path, "editor", Map.of("pan", -0.5), read);
        assertThat(fader.status()).as(fader.toString()).isEqualTo(200);
        Http.Response chain = write("PATCH", path, "admin", Map.of("effects_chain",
                List.of(Map.of("type", "gain", "settings", Map.of("gain_db", -2)))), read);
        assertThat(chain.status()).as("the chain's version did not move: " + chain).isEqualTo(200);

        JsonNode both = firstTrack(project);
        assertThat(both.path("pan").asDouble()).isEqualTo(-0.5);
        assertThat(both.path("effects_chain").size()).isEqualTo(1);

        Http.Response staleFader = write("PATCH", path, "owner", Map.of("muted", true), read);
        assertThat(staleFader.status()).as("the strip moved since it was read").isEqualTo(412);
        Http.Response staleDelete = write("DELETE", path, "owner", null, read);
        assertThat(staleDelete.status()).as(staleDelete.toString()).isEqualTo(412);
        assertThat(arrangement(project).path("tracks").size()).as("a stale delete removes nothing").isEqualTo(1);
    }

    @Test
    void twoPeopleMovingTwoDifferentClipsAtOnceBothStay() throws Exception {
        UUID project = cast.song(server, "Two clips", false, TAKE);
        String trackId = firstTrack(project).path("id").asText();
        JsonNode first = addClip(project, trackId, 100_000);
        JsonNode second = addClip(project, trackId, 200_000);
        String clips = base(project) + "/tracks/" + trackId + "/clips/";

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Http.Response>> moves = new ArrayList<>();
            moves.add(() -> write("PATCH", clips + first.path("id").asText(), "editor",
                    Map.of("start_frame", 150_000), tag(first)));
            moves.add(() -> write("PATCH", clips + second.path("id").asText(), "admin",
                    Map.of("start_frame", 250_000), tag(second)));
            for (Future<Http.Response> done : pool.invokeAll(moves)) {
                assertThat(done.get().status()).as(done.get().toString()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> starts = new ArrayList<>();
        firstTrack(project).path("clips").forEach(c -> starts.add(c.path("start_frame").asLong()));
        assertThat(starts).contains(150_000L, 250_000L);

        Http.Response stale = write("PATCH", clips + first.path("id").asText(), "owner",
                Map.of("gain_db", -6), tag(first));
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        assertThat(stale.json().path("current").path("start_frame").asLong()).isEqualTo(150_000L);
        Http.Response staleSplit = write("POST", clips + first.path("id").asText() + "/split", "owner",
                Map.of("at_frame", 151_000), tag(first));
        assertThat(staleSplit.status()).as(staleSplit.toString()).isEqualTo(412);
        Http.Response staleDelete = write("DELETE", clips + second.path("id").asText(), "owner", null, tag(second));
        assertThat(staleDelete.status()).as(staleDelete.toString()).isEqualTo(412);
        assertThat(firstTrack(project).path("clips").size()).as("nothing split or deleted").isEqualTo(3);
    }

    @Test
    void theProjectsSettingsItsMasterChainAndItsMasterFaderEachRefuseAStaleWrite() {
        UUID project = cast.song(server, "Project settings", false, TAKE);
        Http.Response read = http().get(base(project), cast.owner.token());
        String projectTag = "\"" + read.json().path("settings_version").asLong() + "."
                + read.json().path("chain_version").asLong() + "\"";

        Http.Response renamed = write("PATCH", base(project), "admin", Map.of("title", "Renamed by the admin"),
                projectTag);
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        Http.Response stale = write("PATCH", base(project), "owner", Map.of("genre", "jazz"), projectTag);
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        assertThat(stale.json().path("current").path("title").asText()).isEqualTo("Renamed by the admin");
        assertThat(http().get(base(project), cast.owner.token()).json().path("genre").isNull()).isTrue();

        JsonNode master = arrangement(project).path("master");
        String chainTag = "\"" + master.path("chain_version").asLong() + "\"";
        String faderTag = tag(master);
        Http.Response chain = write("PUT", base(project) + "/effects", "editor",
                Map.of("chain", List.of(Map.of("type", "gain", "settings", Map.of("gain_db", -1)))), chainTag);
        assertThat(chain.status()).as("the chain's version did not move with the title: " + chain).isEqualTo(200);
        Http.Response staleChain = write("PUT", base(project) + "/effects", "owner",
                Map.of("chain", List.of()), chainTag);
        assertThat(staleChain.status()).as(staleChain.toString()).isEqualTo(412);
        assertThat(staleChain.json().path("current").path("effects_settings").path("chain").size()).isEqualTo(1);

        Http.Response fader = write("PATCH", base(project) + "/arrangement/master", "editor",
                Map.of("volume_db", -2.0), faderTag);
        assertThat(fader.status()).as("the fader's version did not move with the chain: " + fader).isEqualTo(200);
        assertThat(fader.header("ETag")).isEqualTo(tag(fader.json()));
        Http.Response staleFader = write("PATCH", base(project) + "/arrangement/master", "owner",
                Map.of("volume_db", 3.0), faderTag);
        assertThat(staleFader.status()).as(staleFader.toString()).isEqualTo(412);
        assertThat(staleFader.json().path("current").path("volume_db").asDouble()).isEqualTo(-2.0);
    }

    @Test
    void aWeakMalformedOrUnknownTagNeverMatchesAndAStarOrNoTagWritesAsBefore() {
        UUID project = cast.song(server, "Tags", false, TAKE);
        JsonNode track = firstTrack(project);
        String path = base(project) + "/tracks/" + track.path("id").asText();
        String current = trackTag(track);
        for (String tag : List.of("W/" + current, current.replace("\"", ""), "\"1.1\"", "\"nonsense\"", "\"\"")) {
            Http.Response refused = write("PATCH", path, "owner", Map.of("name", "Lead"), tag);
            assertThat(refused.status()).as(tag + " → " + refused).isEqualTo(412);
        }
        Http.Response listed = write("PATCH", path, "owner", Map.of("name", "Lead"), "\"1.1\", " + current);
        assertThat(listed.status()).as("one of the listed tags matches: " + listed).isEqualTo(200);
        Http.Response any = write("PATCH", path, "owner", Map.of("name", "Lead vocal"), "*");
        assertThat(any.status()).as(any.toString()).isEqualTo(200);
        Http.Response none = write("PATCH", path, "owner", Map.of("name", "Vocal"), null);
        assertThat(none.status()).as(none.toString()).isEqualTo(200);
        Http.Response same = write("PATCH", path, "owner", Map.of("name", "Vocal"), none.header("ETag"));
        assertThat(same.header("ETag")).as("a write that changes nothing keeps the version")
                .isEqualTo(none.header("ETag"));
    }

    @Test
    void aTrackMadeAgainByRestoringAVersionNeverMatchesATagReadBefore() {
        UUID project = cast.song(server, "Restored", false, TAKE);
        JsonNode track = firstTrack(project);
        String path = base(project) + "/tracks/" + track.path("id").asText();
        Http.Response saved = write("POST", base(project) + "/versions", "owner", Map.of("title", "Before"), null);
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        int number = saved.json().path("version_number").asInt();
        Http.Response muted = write("PATCH", path, "owner", Map.of("muted", true), trackTag(track));
        assertThat(muted.status()).isEqualTo(200);
        String afterMute = muted.header("ETag");

        Http.Response restored = write("POST", base(project) + "/versions/" + number + "/restore", "owner", null,
                null);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(201);
        JsonNode back = firstTrack(project);
        assertThat(back.path("id").asText()).as("restoring keeps the track's id").isEqualTo(track.path("id").asText());
        assertThat(back.path("muted").asBoolean()).isFalse();
        for (String old : List.of(trackTag(track), afterMute)) {
            Http.Response stale = write("PATCH", path, "owner", Map.of("soloed", true), old);
            assertThat(stale.status()).as(old + " was read before the restore: " + stale).isEqualTo(412);
        }
    }

    @Test
    void callersWhoMayNotChangeTheObjectLearnNothingFromATag() {
        UUID project = cast.song(server, "Private", false, TAKE);
        JsonNode track = firstTrack(project);
        String path = base(project) + "/tracks/" + track.path("id").asText();
        for (String caller : List.of("viewer", "stranger", "anonymous")) {
            Http.Response refused = write("PATCH", path, caller, Map.of("name", "Mine"), "\"1.1\"");
            assertThat(refused.status()).as(caller + " → " + refused)
                    .isEqualTo(ProjectCast.expected(caller, true, false, 200));
            assertThat(refused.json().has("current")).as("no state is shown to " + caller).isFalse();
            Http.Response project412 = write("PATCH", base(project), caller, Map.of("title", "Mine"), "\"1.1\"");
            assertThat(project412.status()).as(caller + " → " + project412)
                    .isEqualTo(ProjectCast.expected(caller, true, false, 200));
        }
    }
}
