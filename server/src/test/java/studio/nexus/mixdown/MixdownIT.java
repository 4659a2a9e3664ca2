package studio.nexus.mixdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.ProjectCast;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * A project's arrangement mixed through the API: a mixdown becomes the processed audio, sample-exact to what the
 * arrangement says (clip placement, trims, gains, fades, faders, pan, mute), with its figures in the job's result;
 * stems come as a zip of one WAV per track plus the mix, of one length, adding up to the mix; who may ask for either
 * (RLS decides); an empty arrangement is refused before anything is queued; a take at another rate is converted and
 * plays where its clip says.
 */
class MixdownIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers()
            .with("STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", "0");

    static final int RATE = 44_100;
    static final Duration PATIENCE = Duration.ofSeconds(90);
    /**
     * The take every clip plays: one second, mono, of a 997 Hz cosine swelling from 0.2 to 0.5 of full scale, so that
     * no two frames of it are alike (a clip a frame early, late or trimmed elsewhere shows) and its first is not 0.
     */
    static final byte[] TAKE = tone(RATE, 1.0);

    static ProjectCast cast;
    static Musician owner, stranger;

    @BeforeAll
    static void cast() {
        cast = ProjectCast.signedIn(server, Musicians.named("owner").pro());
        owner = cast.owner;
        stranger = cast.stranger;
    }

    private static Http http() {
        return server.http();
    }

    // The song every mixing test uses

    /** A clip as the test places it, and what the mix must make of it. */
    record PlacedClip(long start, long offset, long length, double gainDb, long fadeIn, long fadeOut) {}

    /** A track as the test makes it: mixer strip and clips. */
    record PlacedTrack(String name, double volumeDb, double pan, boolean muted, List<PlacedClip> clips) {}

    /** The arrangement of {@link #song}: track 1 from the upload, then three tracks made through the tracks API. */
    static final List<PlacedTrack> SONG = List.of(
            new PlacedTrack("Track 1", 0, 0, false, List.of(new PlacedClip(0, 0, RATE, 0, 0, 0))),
            // a clip at 1.0 s: its first sample is at frame 44100 exactly
            new PlacedTrack("Bass", -6, -1, false, List.of(new PlacedClip(RATE, 0, RATE / 2, 0, 0, 0))),
            new PlacedTrack("Lead vocal / take #2", 0, 0.5, false,
                    List.of(new PlacedClip(66_150, 11_025, 22_050, -6, 1_000, 2_205))),
            new PlacedTrack("Muted keys", 0, 0, true, List.of(new PlacedClip(0, 0, RATE, 0, 0, 0))));
    static final long SONG_FRAMES = 88_200;

    /** A project of the owner with {@link #SONG} as its arrangement, and an editor, an admin and a viewer. */
    private static UUID song(boolean isPublic) {
        UUID project = TestProjects.project(server, owner, Map.of("title", "Mixdown", "is_public", isPublic));
        Http.Response uploaded = TestProjects.upload(server, owner, project, TAKE);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        String take = take(project);
        for (PlacedTrack track : SONG.subList(1, SONG.size())) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", track.name());
            fields.put("volume_db", track.volumeDb());
            fields.put("pan", track.pan());
            fields.put("muted", track.muted());
            Http.Response made = http().post(tracks(project), owner.token(), fields);
            assertThat(made.status()).as(made.toString()).isEqualTo(201);
            for (PlacedClip clip : track.clips()) {
                Http.Response placed = http().post(tracks(project) + "/" + made.json().path("id").asText() + "/clips",
                        owner.token(), Map.of("take", take, "start_frame", clip.start(),
                                "offset_frames", clip.offset(), "length_frames", clip.length(),
                                "gain_db", clip.gainDb(), "fade_in_frames", clip.fadeIn(),
                                "fade_out_frames", clip.fadeOut()));
                assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
            }
        }
        cast.join(server, project);
        return project;
    }

    private static String tracks(UUID project) {
        return "/api/v1/projects/" + project + "/tracks";
    }

    /** The handle of the project's current take, as track 1's clip names it. */
    private static String take(UUID project) {
        JsonNode arrangement = http().get("/api/v1/projects/" + project + "/arrangement", owner.token()).json();
        return arrangement.path("tracks").path(0).path("clips").path(0).path("take").asText();
    }

    // What the arrangement says the files must hold

    /** One track alone after fader and pan, as the package documentation of audio/mix defines them. */
    static float[][] expectedStem(PlacedTrack track, float[] take) {
        float[][] out = new float[2][(int) SONG_FRAMES];
        if (track.muted()) {
            return out;
        }
        double fader = Math.pow(10, track.volumeDb() / 20);
        double x = (track.pan() + 1) / 2 * Math.PI / 2;
        double left = fader * Math.cos(x);
        double right = fader * Math.sin(x);
        for (PlacedClip clip : track.clips()) {
            double gain = Math.pow(10, clip.gainDb() / 20);
            for (long i = 0; i < clip.length(); i++) {
                double fade = 1;
                if (i < clip.fadeIn()) {
                    fade = (double) i / clip.fadeIn();
                }
                long fromEnd = clip.length() - 1 - i;
                if (fromEnd < clip.fadeOut()) {
                    fade *= (double) fromEnd / clip.fadeOut();
                }
                double sample = take[(int) (clip.offset() + i)] * gain * fade;
                out[0][(int) (clip.start() + i)] += (float) (sample * left);
                out[1][(int) (clip.start() + i)] += (float) (sample * right);
            }
        }
        return out;
    }

    static float[][] expectedMix(float[] take) {
        float[][] mix = new float[2][(int) SONG_FRAMES];
        for (PlacedTrack track : SONG) {
            float[][] stem = expectedStem(track, take);
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < SONG_FRAMES; i++) {
                    mix[c][i] += stem[c][i];
                }
            }
        }
        return mix;
    }

    // The tests

    @Test
    void aMixdownIsTheArrangementSampleBySampleAndBecomesTheProcessedAudio() {
        UUID project = song(false);
        long chargedBefore = Musicians.chargedBytes(database, owner.id());
        JsonNode job = finished(http().post("/api/v1/projects/" + project + "/mixdown", owner.token(), null), owner);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("kind").asText()).isEqualTo("mixdown");

        Http.Response played = http().get("/api/v1/projects/" + project + "/audio/processed", owner.token());
        assertThat(played.status()).as(played.toString()).isEqualTo(200);
        assertThat(played.contentType()).isEqualTo("audio/wav");
        float[][] mix = decode(played.bytes());
        float[] take = decode(TAKE)[0];
        float[][] expected = expectedMix(take);
        assertThat(mix).hasNumberOfRows(2);
        assertThat(mix[0].length).as("to the end of the last clip, muted tracks included").isEqualTo(SONG_FRAMES);
        assertThat(maxDifference(mix, expected)).isLessThan(2e-4);
        // at frame 44100 track 1 has ended and the clip at 1.0 s plays the take's first sample (at −6 dB, hard left)
        assertThat((double) mix[0][RATE]).isCloseTo(take[0] * Math.pow(10, -6 / 20.0), within(2e-4));
        assertThat((double) mix[1][RATE]).isCloseTo(0, within(2e-4));
        assertThat((double) mix[0][RATE - 1]).as("track 1's last sample, centred")
                .isCloseTo(take[RATE - 1] * Math.cos(Math.PI / 4), within(2e-4));
        JsonNode result = job.path("result");
        assertThat(result.path("frames").asLong()).isEqualTo(SONG_FRAMES);
        assertThat(result.path("sample_rate").asInt()).isEqualTo(RATE);
        assertThat(result.path("channels").asInt()).isEqualTo(2);
        assertThat(result.path("duration_seconds").asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(result.path("tracks").asInt()).isEqualTo(4);
        assertThat(result.path("clips").asInt()).isEqualTo(4);
        assertThat(result.has("key")).as("storage keys never leave the server").isFalse();
        assertThat(result.path("sample_peak_dbfs").asDouble())
                .isCloseTo(20 * Math.log10(peak(expected)), within(0.05));
        assertThat(result.path("true_peak_dbtp").isNumber()).isTrue();
        assertThat(result.path("true_peak_dbtp").asDouble())
                .isGreaterThanOrEqualTo(result.path("sample_peak_dbfs").asDouble() - 0.01);
        assertThat(result.path("integrated_lufs").isNumber()).as(result.toString()).isTrue();
        assertThat(result.path("integrated_lufs").asDouble()).isBetween(-40.0, 0.0);
        assertThat(result.path("clipped_samples").asLong()).isZero();
        assertThat(result.path("safety_limiter").asBoolean()).isFalse();
        assertThat(result.path("limiter_ceiling_dbtp").isNull()).isTrue();

        JsonNode row = TestProjects.projectRow(server, owner, project);
        assertThat(row.path("status").asText()).isEqualTo("completed");
        String key = TestProjects.storedKey(database, project, "processed_audio_path");
        assertThat(database.one(UUID.class, "SELECT charged_to FROM public.stored_objects WHERE key = :key",
                Map.of("key", key))).as("charged to whoever asked, as a render is").isEqualTo(owner.id());
        assertThat(Musicians.chargedBytes(database, owner.id())).isGreaterThan(chargedBefore);
    }

    @Test
    void stemsAreOneWavPerTrackOfOneLengthThatAddUpToTheMix() throws IOException {
        UUID project = song(false);
        java.math.BigDecimal exportsBefore = Musicians.usage(database, owner.id(), "exports");
        JsonNode job = finished(http().post("/api/v1/projects/" + project + "/stems", owner.token(),
                Map.of("tail_seconds", 0)), owner);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(Musicians.usage(database, owner.id(), "exports")).as("stems spend an export, as an export does")
                .isEqualByComparingTo(exportsBefore.add(java.math.BigDecimal.ONE));
        List<String> names = List.of("01-Track_1.wav", "02-Bass.wav", "03-Lead_vocal_take_2.wav",
                "04-Muted_keys.wav", "mix.wav");
        List<String> listed = new ArrayList<>();
        job.path("result").path("files").forEach(f -> listed.add(f.asText()));
        assertThat(listed).isEqualTo(names);
        assertThat(job.path("result").path("content_type").asText()).isEqualTo("application/zip");

        Http.Response download = http().get("/api/v1/projects/" + project + "/stems/" + job.path("id").asText()
                + "/file", owner.token());
        assertThat(download.status()).as(download.toString()).isEqualTo(200);
        assertThat(download.contentType()).isEqualTo("application/zip");
        assertThat(download.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"stems-" + job.path("id").asText() + ".zip\"");
        Map<String, float[][]> files = unzip(download.bytes());
        assertThat(files.keySet()).containsExactlyElementsOf(names);
        for (Map.Entry<String, float[][]> file : files.entrySet()) {
            assertThat(file.getValue()).as(file.getKey()).hasNumberOfRows(2);
            assertThat(file.getValue()[0].length).as(file.getKey() + ": from frame 0 to the song's end")
                    .isEqualTo(SONG_FRAMES);
        }
        float[] take = decode(TAKE)[0];
        for (int t = 0; t < SONG.size(); t++) {
            assertThat(maxDifference(files.get(names.get(t)), expectedStem(SONG.get(t), take)))
                    .as(names.get(t) + " is its track alone, after fader and pan").isLessThan(2e-4);
        }
        assertThat(peak(files.get("04-Muted_keys.wav"))).as("a muted track's stem is there, silent").isZero();
        assertThat(files.get("02-Bass.wav")[0][RATE - 1]).isZero();
        assertThat(files.get("02-Bass.wav")[0][RATE]).isNotZero();

        float[][] sum = new float[2][(int) SONG_FRAMES];
        for (String stem : names.subList(0, SONG.size())) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < SONG_FRAMES; i++) {
                    sum[c][i] += files.get(stem)[c][i];
                }
            }
        }
        assertThat(maxDifference(sum, files.get("mix.wav"))).as("the stems add up to the mix").isLessThan(1e-3);
        assertThat(maxDifference(files.get("mix.wav"), expectedMix(take))).isLessThan(2e-4);
        JsonNode result = job.path("result");
        assertThat(result.path("frames").asLong()).isEqualTo(SONG_FRAMES);
        assertThat(result.path("sample_peak_dbfs").isNumber()).isTrue();
        assertThat(result.path("integrated_lufs").isNumber()).isTrue();
        assertThat(result.path("clipped_samples").asLong()).isZero();

        // the zip stays registered and charged while its job exists (V87), like an export's file
        String key = database.one(String.class, "SELECT result->>'key' FROM public.jobs WHERE id = :id",
                Map.of("id", UUID.fromString(job.path("id").asText())));
        assertThat(database.one(Boolean.class, "SELECT public.stored_object_referenced(:key)", Map.of("key", key)))
                .isTrue();
        assertThat(database.one(UUID.class, "SELECT charged_to FROM public.stored_objects WHERE key = :key",
                Map.of("key", key))).isEqualTo(owner.id());
    }

    @Test
    void editorsAndUpMixAndExportStemsViewersMayNotStrangersSeeNothingAnonymousMustSignIn() {
        UUID project = song(false);
        Map<String, Integer> mixdowns = new LinkedHashMap<>();
        Map<String, Integer> stems = new LinkedHashMap<>();
        String stemsJob = null;
        for (String caller : ProjectCast.CALLERS) {
            Musician who = cast.musician(caller);
            Http.Response mixdown = http().post("/api/v1/projects/" + project + "/mixdown", cast.token(caller), null);
            mixdowns.put(caller, mixdown.status());
            if (mixdown.status() == 202) {
                assertThat(finished(mixdown, who).path("status").asText()).isEqualTo("succeeded");
            }
            Http.Response stem = http().post("/api/v1/projects/" + project + "/stems", cast.token(caller), null);
            stems.put(caller, stem.status());
            if (stem.status() == 202) {
                JsonNode job = finished(stem, who);
                assertThat(job.path("status").asText()).isEqualTo("succeeded");
                stemsJob = job.path("id").asText();
            }
        }
        Map<String, Integer> expected = Map.of("owner", 202, "editor", 202, "admin", 202, "viewer", 403,
                "stranger", 404, "anonymous", 401);
        assertThat(mixdowns).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(stems).containsExactlyInAnyOrderEntriesOf(expected);

        // a public song: a stranger sees it and is refused in words
        UUID open = song(true);
        Http.Response refused = http().post("/api/v1/projects/" + open + "/mixdown", stranger.token(), null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("code").asText()).isEqualTo("forbidden");
        assertThat(http().post("/api/v1/projects/" + open + "/stems", stranger.token(), null).status())
                .isEqualTo(403);

        // whoever sees the project and its jobs downloads the stems; nobody else learns they exist
        String file = "/api/v1/projects/" + project + "/stems/" + stemsJob + "/file";
        Map<String, Integer> downloads = new LinkedHashMap<>();
        for (String caller : List.of("owner", "viewer", "stranger", "anonymous")) {
            downloads.put(caller, http().get(file, cast.token(caller)).status());
        }
        assertThat(downloads).containsExactlyInAnyOrderEntriesOf(
                Map.of("owner", 200, "viewer", 200, "stranger", 404, "anonymous", 404));
        assertThat(http().get("/api/v1/projects/" + open + "/stems/" + stemsJob + "/file", owner.token()).status())
                .as("a job of another project").isEqualTo(404);
        assertThat(jobs(open)).as("nothing was queued for the refused requests").isZero();
    }

    @Test
    void anEmptyArrangementIsRefusedBeforeAnythingIsQueued() {
        UUID silent = TestProjects.project(server, owner, "Nothing yet");
        for (String operation : List.of("mixdown", "stems")) {
            Http.Response refused = http().post("/api/v1/projects/" + silent + "/" + operation, owner.token(), null);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
            assertThat(refused.json().path("code").asText()).isEqualTo("empty_arrangement");
            assertThat(refused.json().path("detail").asText()).contains("no clips");
        }
        // a song whose only clip was removed is empty again, tracks or not
        UUID cleared = TestProjects.projectWithAudio(server, owner, "Cleared", TAKE);
        JsonNode track = http().get("/api/v1/projects/" + cleared + "/arrangement", owner.token()).json()
                .path("tracks").path(0);
        Http.Response removed = http().delete(tracks(cleared) + "/" + track.path("id").asText() + "/clips/"
                + track.path("clips").path(0).path("id").asText(), owner.token());
        assertThat(removed.status()).isEqualTo(204);
        assertThat(http().post("/api/v1/projects/" + cleared + "/mixdown", owner.token(), null).status())
                .isEqualTo(409);
        assertThat(http().post("/api/v1/projects/" + cleared + "/stems", owner.token(), null).status())
                .isEqualTo(409);
        assertThat(jobs(silent) + jobs(cleared)).isZero();
        // what the request carries is checked too
        UUID project = TestProjects.projectWithAudio(server, owner, "Checked", TAKE);
        Http.Response invalid = http().offContract().post("/api/v1/projects/" + project + "/mixdown", owner.token(),
                Map.of("tail_seconds", 31, "count_in_bars", 1));
        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(422);
        assertThat(invalid.json().path("errors").findValuesAsText("field"))
                .contains("tail_seconds", "count_in_bars");
        assertThat(jobs(project)).isZero();
    }

    @Test
    void aTakeAtAnotherRateThanTheSongIsConvertedAndPlaysWhereItsClipSays() {
        UUID project = TestProjects.projectWithAudio(server, owner, "Two rates", TAKE);
        String first = take(project);
        Http.Response track = http().post(tracks(project), owner.token(), Map.of("name", "Old take"));
        Http.Response clip = http().post(tracks(project) + "/" + track.json().path("id").asText() + "/clips",
                owner.token(), Map.of("take", first, "start_frame", 12_000, "length_frames", 24_000));
        assertThat(clip.status()).as(clip.toString()).isEqualTo(201);
        // a new take at 48 kHz: the song now runs at 48 kHz, and the old take on track 2 (44.1 kHz) is converted
        Http.Response uploaded = TestProjects.upload(server, owner, project, tone(48_000, 0.5));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        assertThat(http().get("/api/v1/projects/" + project + "/arrangement", owner.token()).json()
                .path("sample_rate").asInt()).isEqualTo(48_000);

        JsonNode job = finished(http().post("/api/v1/projects/" + project + "/mixdown", owner.token(), null), owner);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("result").path("sample_rate").asInt()).isEqualTo(48_000);
        assertThat(job.path("result").path("frames").asLong()).isEqualTo(36_000);

        JsonNode stems = finished(http().post("/api/v1/projects/" + project + "/stems", owner.token(), null), owner);
        assertThat(stems.path("status").asText()).as(stems.toString()).isEqualTo("succeeded");
    }

    // Helpers

    /** The job a 202 queued, once it is done. */
    private static JsonNode finished(Http.Response queued, Musician who) {
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        return TestProjects.awaitJob(server, who, queued.json().path("id").asText(), PATIENCE);
    }

    private static long jobs(UUID project) {
        return database.one(Long.class, "SELECT count(*) FROM public.jobs WHERE project_id = :p", Map.of("p", project));
    }

    static byte[] tone(int rate, double seconds) {
        float[] x = new float[(int) Math.round(rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((0.2 + 0.3 * i / x.length) * Math.cos(2 * Math.PI * 997 * i / rate));
        }
        return TestAudio.encode(new float[][] {x}, rate, WavEncoder.SampleFormat.PCM_16);
    }

    static float[][] decode(byte[] audio) {
        try (DecodedAudio decoded = Decoders.open(new ByteArrayInputStream(audio))) {
            List<float[]> blocks = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            int channels = decoded.channels();
            int frames = 0;
            while (true) {
                float[][] buffer = new float[channels][4096];
                int n = decoded.read(buffer, 4096);
                if (n < 0) {
                    break;
                }
                for (int c = 0; c < channels; c++) {
                    blocks.add(buffer[c]);
                }
                sizes.add(n);
                frames += n;
            }
            float[][] out = new float[channels][frames];
            int at = 0;
            for (int b = 0; b < sizes.size(); b++) {
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(blocks.get(b * channels + c), 0, out[c], at, sizes.get(b));
                }
                at += sizes.get(b);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, float[][]> unzip(byte[] zip) throws IOException {
        Map<String, float[][]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                files.put(entry.getName(), decode(bytes.toByteArray()));
            }
        }
        return files;
    }

    static double maxDifference(float[][] a, float[][] b) {
        assertThat(a.length).isEqualTo(b.length);
        double worst = 0;
        for (int c = 0; c < a.length; c++) {
            assertThat(a[c].length).isEqualTo(b[c].length);
            for (int i = 0; i < a[c].length; i++) {
                worst = Math.max(worst, Math.abs(a[c][i] - b[c][i]));
            }
        }
        return worst;
    }

    static double peak(float[][] audio) {
        double peak = 0;
        for (float[] channel : audio) {
            for (float sample : channel) {
                peak = Math.max(peak, Math.abs(sample));
            }
        }
        return peak;
    }
}
