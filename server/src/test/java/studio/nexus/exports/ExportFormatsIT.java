package studio.nexus.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.nexus.testing.TestAudio.wav;
import static studio.nexus.testing.TestProjects.awaitJob;
import static studio.nexus.testing.TestProjects.project;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;
import studio.nexus.core.Json;

/** Export bit depths, MP3 bitrates and VBR qualities, checked on the downloaded files with ffprobe and by sample. */
class ExportFormatsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    static Musician ana;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        ana = Musicians.named("ana").pro().signedIn(server);
    }

    /** Pink noise made by sox at {@code bits}, so every sample uses the whole depth. */
    private static byte[] sox(String name, int bits, int rate) throws Exception {
        Path file = dir.resolve(name);
        run("sox", "-R", "-n", "-b", String.valueOf(bits), "-r", String.valueOf(rate), "-c", "2", file.toString(),
                "synth", "2", "pinknoise", "vol", "0.5");
        return Files.readAllBytes(file);
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }

    private static JsonNode ffprobe(byte[] audio, String entries) throws Exception {
        Path file = Files.createTempFile(dir, "export", ".bin");
        Files.write(file, audio);
        return Json.MAPPER.readTree(run("ffprobe", "-v", "error", "-of", "json", "-show_entries", entries,
                file.toString()));
    }

    private static float[][] samples(byte[] audio) throws Exception {
        try (DecodedAudio decoded = Decoders.open(new ByteArrayInputStream(audio))) {
            List<float[][]> blocks = new ArrayList<>();
            int total = 0;
            int n;
            float[][] buffer = new float[decoded.channels()][4096];
            while ((n = decoded.read(buffer, 4096)) > 0) {
                float[][] block = new float[buffer.length][];
                for (int c = 0; c < buffer.length; c++) {
                    block[c] = java.util.Arrays.copyOf(buffer[c], n);
                }
                blocks.add(block);
                total += n;
            }
            float[][] all = new float[decoded.channels()][total];
            int at = 0;
            for (float[][] block : blocks) {
                for (int c = 0; c < all.length; c++) {
                    System.arraycopy(block[c], 0, all[c], at, block[c].length);
                }
                at += block[0].length;
            }
            return all;
        }
    }

    private static UUID projectWith(String title, String contentType, byte[] original) {
        UUID project = project(server, ana, title);
        Http.Response uploaded = server.http().raw("PUT", "/api/v1/projects/" + project + "/audio", ana.token(), contentType,
                original);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        return project;
    }

    /** Exports, waits for the job, checks its result and returns the downloaded file. */
    private static byte[] export(UUID project, Map<String, Object> body, Map<String, Object> expectedResult) {
        Http.Response queued = server.http().post("/api/v1/projects/" + project + "/exports", ana.token(), body);
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode job = awaitJob(server, ana, queued.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(Json.MAPPER.convertValue(job.path("result"), Map.class)).as(body.toString())
                .containsAllEntriesOf(expectedResult);
        Http.Response download = server.http().get("/api/v1/projects/" + project + "/exports/" + job.path("id").asText()
                + "/file", ana.token());
        assertThat(download.status()).isEqualTo(200);
        return download.bytes();
    }

    private static JsonNode stream(JsonNode probe) {
        return probe.path("streams").path(0);
    }

    @Test
    void aSixteenBitWavExportedAsWav16OrFlacKeepsEverySampleValue() throws Exception {
        byte[] original = sox("original16.wav", 16, 44_100);
        UUID project = projectWith("Sixteen", "audio/wav", original);
        float[][] source = samples(original);

        byte[] wav16 = export(project, Map.of("format", "wav16"), Map.of("bit_depth", 16));
        assertThat(stream(ffprobe(wav16, "stream=codec_name")).path("codec_name").asText()).isEqualTo("pcm_s16le");
        assertThat(samples(wav16)).as("wav16 is bit-exact").isDeepEqualTo(source);
        assertThat(wav16).as("the PCM bytes themselves").endsWith(java.util.Arrays.copyOfRange(original,
                original.length - 4 * 88_200, original.length));

        byte[] flac16 = export(project, Map.of("format", "flac", "bit_depth", 16), Map.of("bit_depth", 16));
        assertThat(stream(ffprobe(flac16, "stream=bits_per_raw_sample")).path("bits_per_raw_sample").asText())
                .isEqualTo("16");
        assertThat(samples(flac16)).as("flac 16 is bit-exact").isDeepEqualTo(source);

        byte[] flac = export(project, Map.of("format", "flac"), Map.of("bit_depth", 24));
        assertThat(stream(ffprobe(flac, "stream=bits_per_raw_sample")).path("bits_per_raw_sample").asText())
                .as("flac stays 24-bit unless asked").isEqualTo("24");
        assertThat(samples(flac)).as("16 bits fit in 24 exactly").isDeepEqualTo(source);
    }

    @Test
    void aTwentyFourBitFlacExportedAsFlac24KeepsItsSamplesAndAsSixteenBitsIsDithered() throws Exception {
        byte[] original = sox("original24.flac", 24, 48_000);
        UUID project = projectWith("Twenty-four", "audio/flac", original);
        float[][] source = samples(original);

        byte[] flac24 = export(project, Map.of("format", "flac", "bit_depth", 24), Map.of("bit_depth", 24));
        assertThat(samples(flac24)).as("flac 24 is bit-exact").isDeepEqualTo(source);
        byte[] wav24 = export(project, Map.of("format", "wav24"), Map.of("bit_depth", 24));
        assertThat(stream(ffprobe(wav24, "stream=codec_name")).path("codec_name").asText()).isEqualTo("pcm_s24le");
        assertThat(samples(wav24)).as("wav24 is bit-exact").isDeepEqualTo(source);

        byte[] flac16 = export(project, Map.of("format", "flac", "bit_depth", 16), Map.of("bit_depth", 16));
        assertThat(stream(ffprobe(flac16, "stream=bits_per_raw_sample")).path("bits_per_raw_sample").asText())
                .isEqualTo("16");
        float[][] reduced = samples(flac16);
        int offRounding = 0;
        for (int i = 0; i < source[0].length; i++) {
            double exact = source[0][i] * 32768.0;
            double got = reduced[0][i] * 32768.0;
            assertThat(Math.abs(got - exact)).as("sample " + i).isLessThanOrEqualTo(1.5);
            if (got != Math.rint(exact)) {
                offRounding++;
            }
        }
        assertThat(offRounding).as("TPDF dither where 24 bits do not fit in 16").isGreaterThan(source[0].length / 10);
    }

    @Test
    void mp3ExportsHaveTheAskedConstantBitrateOrAVariableOne() throws Exception {
        UUID project = projectWith("Bitrates", "audio/wav", sox("mp3source.wav", 16, 44_100));
        for (int kbps : List.of(128, 160, 192, 256, 320)) {
            byte[] mp3 = export(project, Map.of("format", "mp3", "mp3", Map.of("bitrate_kbps", kbps)),
                    Map.of("mp3", Map.of("bitrate_kbps", kbps)));
            assertThat(stream(ffprobe(mp3, "stream=bit_rate")).path("bit_rate").asText()).as(kbps + " kb/s")
                    .isEqualTo(kbps * 1000 + "");
        }
        byte[] standard = export(project, Map.of("format", "mp3"), Map.of("mp3", Map.of("bitrate_kbps", 192)));
        assertThat(stream(ffprobe(standard, "stream=bit_rate")).path("bit_rate").asText()).isEqualTo("192000");

        byte[] v0 = export(project, Map.of("format", "mp3", "mp3", Map.of("vbr_quality", 0)),
                Map.of("mp3", Map.of("vbr_quality", 0)));
        byte[] v9 = export(project, Map.of("format", "mp3", "mp3", Map.of("vbr_quality", 9)),
                Map.of("mp3", Map.of("vbr_quality", 9)));
        assertThat(v0.length).as("V0 spends more bits than V9").isGreaterThan(v9.length * 3 / 2);
        Set<Integer> packetSizes = new HashSet<>();
        for (JsonNode packet : ffprobe(v0, "packet=size").path("packets")) {
            packetSizes.add(packet.path("size").asInt());
        }
        assertThat(packetSizes.size()).as("frames of varying bitrates: " + packetSizes).isGreaterThan(3);
        assertThat(samples(v9)[0].length).isGreaterThanOrEqualTo(88_200);
    }

    @Test
    void formatOptionsThatDoNotFitTheFormatAreRefusedWith422NamingTheField() {
        UUID project = projectWith("Refusals", "audio/wav", wav(44_100, 2, 0.5));
        Map<String, String> refused = Map.of(
                "{\"format\":\"flac\",\"bit_depth\":32}", "bit_depth",
                "{\"format\":\"flac\",\"bit_depth\":20}", "bit_depth",
                "{\"format\":\"wav16\",\"bit_depth\":24}", "bit_depth",
                "{\"format\":\"flac\",\"mp3\":{\"bitrate_kbps\":320}}", "mp3",
                "{\"format\":\"mp3\",\"mp3\":{}}", "mp3",
                "{\"format\":\"mp3\",\"mp3\":{\"bitrate_kbps\":320,\"vbr_quality\":2}}", "mp3",
                "{\"format\":\"mp3\",\"mp3\":{\"bitrate_kbps\":224}}", "mp3.bitrate_kbps",
                "{\"format\":\"mp3\",\"mp3\":{\"vbr_quality\":10}}", "mp3.vbr_quality",
                "{\"format\":\"mp3\",\"mp3\":{\"vbr_quality\":\"2\"}}", "mp3.vbr_quality",
                "{\"format\":\"mp3\",\"mp3\":{\"quality\":2}}", "mp3");
        for (var entry : refused.entrySet()) {
            Http.Response response = server.http().offContract().sendJson("POST", "/api/v1/projects/" + project + "/exports",
                    ana.token(), entry.getKey());
            assertThat(response.status()).as(entry.getKey() + " " + response).isEqualTo(422);
            assertThat(response.body()).as(entry.getKey()).contains("\"" + entry.getValue() + "\"");
        }
        long jobs = database.one(Long.class, "SELECT count(*) FROM public.jobs WHERE project_id = :id",
                TestDatabase.params("id", project));
        assertThat(jobs).as("nothing queued").isZero();
    }
}
