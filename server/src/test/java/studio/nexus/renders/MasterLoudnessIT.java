package studio.nexus.renders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static studio.nexus.testing.TestProjects.awaitJob;
import static studio.nexus.testing.TestProjects.project;
import static studio.nexus.testing.TestProjects.upload;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * A render or export reports what it wrote: peaks, loudness and clipped samples, the same figures ffmpeg's
 * ebur128 (loudness, true peak) and sox's stats (sample peak) read from the file; the safety limiter keeps the
 * true peak under its ceiling.
 */
class MasterLoudnessIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    static Musician ana;

    @BeforeAll
    static void start() {
        ana = Musicians.named("ana").pro().signedIn(server);
    }

    /**
     * 6 s of stereo at 44.1 kHz, peaking near full scale: a bass line, a quarter-rate tone whose crests fall between
     * samples (inter-sample overs) in bursts, and some noise.
     */
    private static byte[] loudTake() throws Exception {
        int rate = 44_100;
        int frames = 6 * rate;
        float[][] x = new float[2][frames];
        java.util.Random random = new java.util.Random(14);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < frames; i++) {
                double bass = 0.45 * Math.sin(2 * Math.PI * (110 + 55 * c) * i / rate);
                double burst = (i % 11_025 < 5_000 ? 0.45 : 0.1) * Math.sin(Math.PI / 2 * i + Math.PI / 4);
                x[c][i] = (float) (bass + burst + 0.02 * random.nextGaussian());
            }
        }
        return TestAudio.encode(x, rate, WavEncoder.SampleFormat.PCM_24);
    }

    /** 6 s of drum-like hits: a 10 ms decay of noise four times a second at −6 dBFS over a quiet tone. */
    private static byte[] hitsTake() throws Exception {
        int rate = 48_000;
        int frames = 6 * rate;
        float[][] x = new float[2][frames];
        java.util.Random random = new java.util.Random(9);
        for (int i = 0; i < frames; i++) {
            double hit = 0.5 * Math.exp(-(i % 12_000) / (0.01 * rate)) * (2 * random.nextDouble() - 1);
            double tone = 0.05 * Math.sin(2 * Math.PI * 220 * i / rate);
            x[0][i] = (float) (hit + tone);
            x[1][i] = (float) (0.9 * hit + tone);
        }
        return TestAudio.encode(x, rate, WavEncoder.SampleFormat.PCM_24);
    }

    /** A project holding the loud take with +6 dB of gain in its chain: its render goes well past full scale. */
    private static UUID hotProject(String title) throws Exception {
        return projectWithGain(title, 6);
    }

    private static UUID projectWithGain(String title, double gainDb) throws Exception {
        UUID project = project(server, ana, title);
        assertThat(upload(server, ana, project, loudTake()).status()).isEqualTo(201);
        Http.Response effects = server.http().put("/api/v1/projects/" + project + "/effects", ana.token(),
                Map.of("chain", List.of(Map.of("type", "gain", "settings", Map.of("gain_db", gainDb)))));
        assertThat(effects.status()).as(effects.toString()).isEqualTo(200);
        return project;
    }

    private static JsonNode run(String path, Map<String, Object> body) {
        Http.Response queued = server.http().post(path, ana.token(), body);
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode job = awaitJob(server, ana, queued.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        return job.path("result");
    }

    private static Path download(String path) throws Exception {
        Http.Response file = server.http().get(path, ana.token());
        assertThat(file.status()).isEqualTo(200);
        Path local = Files.createTempFile("master-", ".wav");
        Files.write(local, file.bytes());
        return local;
    }

    private static String tool(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static double figure(String output, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(output);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        assertThat(last).as("no %s in %s", pattern, output).isNotNull();
        return Double.parseDouble(last);
    }

    /** {integrated LUFS, true peak dBTP} by ffmpeg, sample peak dBFS by sox. */
    private static double[] measured(Path file) throws Exception {
        String ebur = tool("ffmpeg", "-hide_banner", "-nostats", "-i", file.toString(), "-af", "ebur128=peak=true",
                "-f", "null", "-");
        String stats = tool("sox", file.toString(), "-n", "stats");
        return new double[] {
            figure(ebur, "I:\\s+(-?[0-9.]+) LUFS"),
            figure(ebur, "Peak:\\s+(-?[0-9.]+) dBFS"),
            figure(stats, "Pk lev dB\\s+(-?[0-9.]+)")};
    }

    @Test
    void aHotRenderReportsItsClippedSamplesAndItsLoudnessAsFfmpegReadsIt() throws Exception {
        UUID project = hotProject("Too hot");
        JsonNode result = run("/api/v1/projects/" + project + "/render", Map.of());
        assertThat(result.path("safety_limiter").asBoolean()).isFalse();
        assertThat(result.path("limiter_ceiling_dbtp").isNull()).isTrue();
        assertThat(result.path("clipped_samples").asLong()).isGreaterThan(1000);
        assertThat(result.path("sample_peak_dbfs").asDouble()).isGreaterThan(3.0);
        assertThat(result.path("true_peak_dbtp").asDouble())
                .isGreaterThanOrEqualTo(result.path("sample_peak_dbfs").asDouble());
        Path file = download("/api/v1/projects/" + project + "/audio/processed");
        try {
            double[] tools = measured(file);
            // the figures are of the signal before it was clipped into the file: the file is flattened at full
            // scale and quieter than what was reported
            assertThat(tools[2]).isCloseTo(0.0, within(0.01));
            assertThat(result.path("integrated_lufs").asDouble()).isGreaterThan(tools[0]);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aCleanRendersFiguresAreWhatFfmpegAndSoxReadFromItsFile() throws Exception {
        UUID project = projectWithGain("Clean", -3);
        JsonNode result = run("/api/v1/projects/" + project + "/render", Map.of("safety_limiter", false));
        assertThat(result.path("clipped_samples").asLong()).isZero();
        Path file = download("/api/v1/projects/" + project + "/audio/processed");
        try {
            double[] tools = measured(file);
            assertThat(result.path("integrated_lufs").asDouble()).isCloseTo(tools[0], within(0.1));
            assertThat(result.path("true_peak_dbtp").asDouble()).isCloseTo(tools[1], within(0.3));
            assertThat(result.path("sample_peak_dbfs").asDouble()).isCloseTo(tools[2], within(0.05));
            // the take's crests fall between samples: the true peak reads above the sample peak
            assertThat(result.path("true_peak_dbtp").asDouble())
                    .isGreaterThan(result.path("sample_peak_dbfs").asDouble() + 0.3);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void withTheSafetyLimiterTheTruePeakStaysUnderTheCeilingNothingClipsAndTheFiguresMatchTheTools() throws Exception {
        UUID project = hotProject("Limited");
        JsonNode result = run("/api/v1/projects/" + project + "/render",
                Map.of("safety_limiter", true, "limiter_ceiling_dbtp", -1.0));
        assertThat(result.path("safety_limiter").asBoolean()).isTrue();
        assertThat(result.path("limiter_ceiling_dbtp").asDouble()).isEqualTo(-1.0);
        assertThat(result.path("clipped_samples").asLong()).isZero();
        assertThat(result.path("true_peak_dbtp").asDouble()).isLessThanOrEqualTo(-1.0);
        Path file = download("/api/v1/projects/" + project + "/audio/processed");
        try {
            double[] tools = measured(file);
            assertThat(result.path("integrated_lufs").asDouble()).isCloseTo(tools[0], within(0.1));
            assertThat(result.path("true_peak_dbtp").asDouble()).isCloseTo(tools[1], within(0.3));
            assertThat(result.path("sample_peak_dbfs").asDouble()).isCloseTo(tools[2], within(0.05));
            assertThat(tools[1]).as("ffmpeg's true peak").isLessThanOrEqualTo(-0.9);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void anExportRunsTheSafetyLimiterUnlessTurnedOffAndReportsItsFigures() throws Exception {
        UUID project = hotProject("Export");
        run("/api/v1/projects/" + project + "/render", Map.of());
        // the processed audio sits at full scale (it clipped): the default limiter holds its export at −1 dBTP
        JsonNode limited = run("/api/v1/projects/" + project + "/exports",
                Map.of("format", "wav24", "source", "processed"));
        assertThat(limited.path("safety_limiter").asBoolean()).isTrue();
        assertThat(limited.path("limiter_ceiling_dbtp").asDouble()).isEqualTo(-1.0);
        assertThat(limited.path("clipped_samples").asLong()).isZero();
        assertThat(limited.path("true_peak_dbtp").asDouble()).isLessThanOrEqualTo(-1.0);

        JsonNode plain = run("/api/v1/projects/" + project + "/exports",
                Map.of("format", "wav24", "source", "processed", "safety_limiter", false));
        assertThat(plain.path("safety_limiter").asBoolean()).isFalse();
        assertThat(plain.path("true_peak_dbtp").asDouble()).isGreaterThan(-0.9);
        assertThat(plain.path("integrated_lufs").asDouble()).isGreaterThan(limited.path("integrated_lufs").asDouble());
    }

    @Test
    void aLoudNormalizeReportsTheSamplesItClipsAndTheSafetyLimiterCatchesThem() throws Exception {
        UUID project = project(server, ana, "Minus nine");
        assertThat(upload(server, ana, project, hitsTake()).status()).isEqualTo(201);
        Http.Response effects = server.http().put("/api/v1/projects/" + project + "/effects", ana.token(),
                Map.of("chain", List.of(Map.of("type", "normalize",
                        "settings", Map.of("mode", "loudness", "target_db", -9)))));
        assertThat(effects.status()).as(effects.toString()).isEqualTo(200);

        JsonNode loud = run("/api/v1/projects/" + project + "/render", Map.of());
        assertThat(loud.path("passes").asInt()).isEqualTo(2);
        assertThat(loud.path("integrated_lufs").asDouble()).isCloseTo(-9.0, within(0.2));
        assertThat(loud.path("clipped_samples").asLong()).isGreaterThan(100);

        JsonNode limited = run("/api/v1/projects/" + project + "/render", Map.of("safety_limiter", true));
        assertThat(limited.path("clipped_samples").asLong()).isZero();
        assertThat(limited.path("true_peak_dbtp").asDouble()).isLessThanOrEqualTo(-1.0);
        assertThat(limited.path("integrated_lufs").asDouble()).isLessThan(-9.0);
    }

    @Test
    void aCeilingOutOfRangeIsRefusedWithTheFieldNamed() throws Exception {
        UUID project = hotProject("Bad ceiling");
        Http.Response refused = server.http().offContract().post("/api/v1/projects/" + project + "/render", ana.token(),
                Map.of("safety_limiter", true, "limiter_ceiling_dbtp", 3));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.toString()).contains("limiter_ceiling_dbtp");
    }
}
