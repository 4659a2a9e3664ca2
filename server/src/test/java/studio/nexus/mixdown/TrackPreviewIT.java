package studio.nexus.mixdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * A track's preview ({@code GET …/tracks/{trackId}/preview}): who may hear it (as who may read the arrangement), that
 * it is the mixdown engine's sound of the track alone before fader and pan (the stems job's file of that track, less
 * the pan law's centre), that the chain is heard in it and the fader, pan, mute and solo are not, the ETag and 304,
 * the 503 when this server renders as many as it may (one, here), and refusals of what is not there.
 */
class TrackPreviewIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers()
            .with("STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", "0")
            .with("STUDIO_RATE_LIMIT_ANON_PER_MINUTE", "0")
            .with("STUDIO_PREVIEW_RENDERS", "1");

    static final int RATE = MixdownIT.RATE;
    static final Duration PATIENCE = Duration.ofSeconds(90);
    /** One second of a mono tone no two frames of which are alike. */
    static final byte[] TAKE = MixdownIT.tone(RATE, 1.0);
    /** EQ, reverb and delay, as a musician would set them. */
    static final List<Map<String, Object>> CHAIN = List.of(
            Map.of("type", "equalizer", "settings", Map.of("low", 1.2, "mid", 0.9, "high", 1.1)),
            Map.of("type", "reverb", "settings", Map.of("room_size", 0.5, "damping", 0.5, "wet_level", 0.2)),
            Map.of("type", "delay", "settings", Map.of("time", 0.125, "feedback", 0.3, "mix", 0.2)));
    /** One 16-bit step, twice over (dither and rounding, against a 24-bit file). */
    static final double LSB = 2.0 / 32768;

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

    private static String base(UUID project) {
        return "/api/v1/projects/" + project;
    }

    private static String preview(UUID project, String track) {
        return base(project) + "/tracks/" + track + "/preview";
    }

    private static JsonNode arrangement(UUID project) {
        Http.Response got = http().get(base(project) + "/arrangement", owner.token());
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        return got.json();
    }

    private static String firstTrack(UUID project) {
        return arrangement(project).path("tracks").path(0).path("id").asText();
    }

    private static String take(UUID project) {
        return arrangement(project).path("tracks").path(0).path("clips").path(0).path("take").asText();
    }

    private static void setTrack(UUID project, String track, Map<String, Object> changes) {
        Http.Response changed = http().patch(base(project) + "/tracks/" + track, owner.token(), changes);
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    }

    private static Http.Response get(UUID project, String track, String token) {
        return http().get(preview(project, track), token);
    }

    private static float[][] heard(UUID project, String track) {
        Http.Response got = get(project, track, owner.token());
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        assertThat(got.contentType()).isEqualTo("audio/wav");
        assertThat(Long.parseLong(got.header("Content-Length"))).isEqualTo(got.bytes().length);
        return MixdownIT.decode(got.bytes());
    }

    @Test
    void whoeverMayReadTheArrangementHearsItsTracksStrangersAndAnonymousCallersOnlyOnAPublicProject() {
        for (boolean isPublic : List.of(false, true)) {
            UUID project = cast.song(server, "Preview access", isPublic, TAKE);
            String track = firstTrack(project);
            Map<String, Integer> answers = new LinkedHashMap<>();
            Map<String, Integer> expected = new LinkedHashMap<>();
            for (String caller : ProjectCast.CALLERS) {
                Http.Response got = get(project, track, cast.token(caller));
                answers.put(caller, got.status());
                expected.put(caller, ProjectCast.expected(caller, false, isPublic, 200));
                if (got.status() == 200) {
                    assertThat(got.contentType()).isEqualTo("audio/wav");
                } else {
                    assertThat(got.json().path("code").asText()).as(got.toString()).isEqualTo("not_found");
                }
            }
            assertThat(answers).as(isPublic ? "a public song" : "a private song").isEqualTo(expected);
        }
    }

    @Test
    void thePreviewIsTheMixdownEnginesTrackAloneBeforeItsFaderAndPanWithItsChainHeard() throws IOException {
        UUID project = cast.song(server, "Preview sound", false, TAKE);
        String mono = firstTrack(project);
        float[] take = MixdownIT.decode(TAKE)[0];

        // no effects: the clip's samples as they are, mono (the take is), from frame 0 to the clip's end
        float[][] dry = heard(project, mono);
        assertThat(dry).hasNumberOfRows(1);
        assertThat(dry[0]).hasSize(RATE);
        assertThat(MixdownIT.maxDifference(dry, new float[][] {take})).isLessThanOrEqualTo(LSB);

        // a stereo take on a second track, starting later, with a clip gain and a fade in
        String stereoTake = http().raw("POST", base(project) + "/takes?name=Pad", owner.token(), "audio/wav",
                TestAudio.wav(RATE, 2, 0.75)).json().path("take").path("take").asText();
        String stereo = http().post(base(project) + "/tracks", owner.token(), Map.of("name", "Pad"))
                .json().path("id").asText();
        assertThat(http().post(base(project) + "/tracks/" + stereo + "/clips", owner.token(), Map.of("take",
                stereoTake, "start_frame", RATE / 4, "gain_db", -3.0, "fade_in_frames", 2000)).status())
                .isEqualTo(201);

        // the chains, and mixer settings the preview must not play: fader, pan, mute, solo
        setTrack(project, mono, Map.of("effects_chain", CHAIN, "volume_db", -12.0, "pan", 0.7, "muted", true));
        setTrack(project, stereo, Map.of("effects_chain", CHAIN, "volume_db", -6.0, "pan", -0.4, "soloed", true));
        float[][] wet = heard(project, mono);
        float[][] pad = heard(project, stereo);
        assertThat(wet).hasNumberOfRows(1);
        assertThat(wet[0]).as("to the end of its clip").hasSize(RATE);
        assertThat(pad).hasNumberOfRows(2);
        assertThat(pad[0]).hasSize(RATE / 4 + (int) Math.round(0.75 * RATE));
        assertThat(MixdownIT.maxDifference(wet, dry)).as("the chain is heard").isGreaterThan(0.05);

        // the stems job renders every track alone after its fader and pan: at 0 dB in the centre and heard by
        // all, a stem is the preview through the pan law's centre (a mono track at cos π/4 on both sides)
        setTrack(project, mono, Map.of("volume_db", 0.0, "pan", 0.0, "muted", false));
        setTrack(project, stereo, Map.of("volume_db", 0.0, "pan", 0.0, "soloed", false));
        assertThat(heard(project, mono)).as("fader, pan and mute are not in the preview").isEqualTo(wet);
        Http.Response queued = http().post(base(project) + "/stems", owner.token(), Map.of("tail_seconds", 0));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode job = TestProjects.awaitJob(server, owner, queued.json().path("id").asText(), PATIENCE);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        Map<String, float[][]> stems = MixdownIT.unzip(http().get(base(project) + "/stems/" + job.path("id").asText()
                + "/file", owner.token()).bytes());
        float[][] monoStem = stems.get("01-Track_1.wav");
        float[][] padStem = stems.get("02-Pad.wav");
        double centre = Math.cos(Math.PI / 4);
        float[][] expectedMono = new float[2][RATE];
        for (int i = 0; i < RATE; i++) {
            expectedMono[0][i] = (float) (wet[0][i] * centre);
            expectedMono[1][i] = (float) (wet[0][i] * centre);
        }
        assertThat(MixdownIT.maxDifference(head(monoStem, RATE), expectedMono)).isLessThanOrEqualTo(LSB);
        assertThat(MixdownIT.maxDifference(head(padStem, pad[0].length), pad)).isLessThanOrEqualTo(LSB);
    }

    private static float[][] head(float[][] audio, int frames) {
        float[][] out = new float[audio.length][];
        for (int c = 0; c < audio.length; c++) {
            assertThat(audio[c].length).isGreaterThanOrEqualTo(frames);
            out[c] = java.util.Arrays.copyOf(audio[c], frames);
        }
        return out;
    }

    @Test
    void theETagNamesTheSoundAnUnchangedTrackAnswers304AndAChangeOfChainOrClipsAnswersAnew() {
        UUID project = cast.song(server, "Preview cache", false, TAKE);
        String track = firstTrack(project);
        Http.Response first = get(project, track, cast.viewer.token());
        assertThat(first.status()).isEqualTo(200);
        String etag = first.header("ETag");
        assertThat(etag).as("a strong ETag").startsWith("\"").endsWith("\"");
        assertThat(first.header("Cache-Control")).contains("private");

        Http.Response again = http().send(http().request(preview(project, track), cast.viewer.token())
                .header("If-None-Match", etag).GET());
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.bytes()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(etag);
        assertThat(get(project, track, owner.token()).bytes()).as("the same sound, the same bytes")
                .isEqualTo(first.bytes());

        // the mixer strip is not in the sound: the same ETag
        setTrack(project, track, Map.of("volume_db", -20.0, "pan", -1.0, "muted", true, "soloed", true,
                "name", "Renamed"));
        assertThat(get(project, track, owner.token()).header("ETag")).isEqualTo(etag);

        // a chain, then a clip moved: each a new sound and a new ETag
        setTrack(project, track, Map.of("effects_chain", List.of(Map.of("type", "gain",
                "settings", Map.of("gain_db", -6)))));
        Http.Response quieter = http().send(http().request(preview(project, track), owner.token())
                .header("If-None-Match", etag).GET());
        assertThat(quieter.status()).isEqualTo(200);
        String chained = quieter.header("ETag");
        assertThat(chained).isNotEqualTo(etag);
        float[][] half = MixdownIT.decode(quieter.bytes());
        float[][] whole = MixdownIT.decode(first.bytes());
        for (int i = 0; i < whole[0].length; i++) {
            whole[0][i] *= (float) Math.pow(10, -6 / 20.0);
        }
        assertThat(MixdownIT.maxDifference(half, whole)).as("a gain of −6 dB is heard").isLessThanOrEqualTo(LSB);

        JsonNode clip = arrangement(project).path("tracks").path(0).path("clips").path(0);
        Http.Response moved = http().patch(base(project) + "/tracks/" + track + "/clips/" + clip.path("id").asText(),
                owner.token(), Map.of("start_frame", 1000));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        Http.Response later = get(project, track, owner.token());
        assertThat(later.header("ETag")).isNotEqualTo(chained).isNotEqualTo(etag);
        assertThat(MixdownIT.decode(later.bytes())[0]).hasSize(RATE + 1000);
    }

    @Test
    void aTrackWithoutClipsAnUnknownTrackAnotherProjectsTrackAndMalformedIdsAreNotFound() {
        UUID project = cast.song(server, "Preview refusals", false, TAKE);
        UUID other = cast.song(server, "Another song", false, TAKE);
        String empty = http().post(base(project) + "/tracks", owner.token(), Map.of("name", "Empty"))
                .json().path("id").asText();
        Http.Response nothing = get(project, empty, owner.token());
        assertThat(nothing.status()).isEqualTo(404);
        assertThat(nothing.json().path("code").asText()).isEqualTo("empty_track");

        for (String path : List.of(preview(project, UUID.randomUUID().toString()),
                preview(project, firstTrack(other)), preview(UUID.randomUUID(), firstTrack(project)))) {
            Http.Response refused = http().get(path, owner.token());
            assertThat(refused.status()).as(path + " → " + refused.status()).isEqualTo(404);
            assertThat(refused.json().path("code").asText()).isEqualTo("not_found");
        }
        for (String path : List.of(base(project) + "/tracks/not-a-track/preview",
                "/api/v1/projects/not-a-project/tracks/" + firstTrack(project) + "/preview",
                preview(project, firstTrack(project) + "0"))) {
            Http.Response refused = http().offContract().get(path, owner.token());
            assertThat(refused.status()).as(path + " → " + refused.status()).isEqualTo(404);
        }
    }

    @Test
    void whileThisServerRendersAsManyPreviewsAsItMayAnotherIsToldToRetryAndTheTurnComesBackWhenTheFirstEnds()
            throws Exception {
        // a track of five minutes (one 10 s stereo take placed thirty times): 53 MB of preview, far more than the
        // network's buffers, so a client that does not read holds the render (and the one turn this server has)
        UUID project = cast.song(server, "Preview turns", false, TAKE);
        String take = http().raw("POST", base(project) + "/takes?name=Long", owner.token(), "audio/wav",
                TestAudio.wav(RATE, 2, 10)).json().path("take").path("take").asText();
        String track = http().post(base(project) + "/tracks", owner.token(), Map.of("name", "Long"))
                .json().path("id").asText();
        for (int i = 0; i < 30; i++) {
            assertThat(http().post(base(project) + "/tracks/" + track + "/clips", owner.token(), Map.of("take", take,
                    "start_frame", i * 10L * RATE)).status()).isEqualTo(201);
        }
        String small = firstTrack(project);
        URI uri = URI.create(http().base() + preview(project, track));
        try (Socket slow = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream request = slow.getOutputStream();
            request.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAuthorization: Bearer " + owner.token() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            InputStream answer = slow.getInputStream();
            byte[] status = answer.readNBytes(12);
            assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");

            Http.Response busy = get(project, small, owner.token());
            assertThat(busy.status()).as(busy.toString()).isEqualTo(503);
            assertThat(busy.json().path("code").asText()).isEqualTo("busy");
            assertThat(busy.header("Retry-After")).isEqualTo("1");
            assertThat(busy.contentType()).startsWith("application/problem+json");
        }
        // the slow client went away: its render ends, and the turn is free again
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status;
        do {
            status = get(project, small, owner.token()).status();
            if (status != 200) {
                Thread.sleep(100);
            }
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
    }
}
