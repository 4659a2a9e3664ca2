package studio.nexus.takes;

import studio.nexus.storage.StorageSweeper;
import static org.assertj.core.api.Assertions.assertThat;
import static studio.nexus.testing.Musicians.chargedBytes;
import static studio.nexus.testing.Musicians.storageUsedMb;
import static studio.nexus.testing.Musicians.usage;
import static studio.nexus.testing.TestAudio.wav;
import static studio.nexus.testing.TestProjects.collaborate;
import static studio.nexus.testing.TestProjects.fillStorage;
import static studio.nexus.testing.TestProjects.project;
import static studio.nexus.testing.TestProjects.projectRow;
import static studio.nexus.testing.TestProjects.storedKey;
import static studio.nexus.testing.TestProjects.upload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.storage.Storage;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

class AudioUploadIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).with("STUDIO_MAX_UPLOAD_MB", "3");
    static final long MIB = 1024 * 1024;
    static Musician ana, ben, vic, eve;

    @BeforeAll
    static void musicians() {
        ana = Musicians.named("ana").pro().signedIn(server);
        ben = Musicians.signedIn(server, "ben");
        vic = Musicians.signedIn(server, "vic");
        eve = Musicians.signedIn(server, "eve");
    }

    private static Storage storage() {
        return server.app().features().storage();
    }

    private static List<String> storedUnder(UUID project) throws IOException {
        return storage().list("projects/" + project + "/");
    }

    @Test
    void anUploadedWavGivesTheProjectItsDurationRateChannelsAndWaveform() throws IOException {
        UUID project = project(server, ana, "Take one");
        Http.Response response = upload(server, ana, project, wav(44_100, 2, 2.0));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().path("format").asText()).isEqualTo("WAV");
        JsonNode row = projectRow(server, ana, project);
        assertThat(row.path("duration_seconds").decimalValue()).isEqualByComparingTo("2.000");
        assertThat(row.path("sample_rate").asInt()).isEqualTo(44_100);
        assertThat(row.path("channels").asInt()).isEqualTo(2);
        assertThat(row.path("has_original_audio").asBoolean()).isTrue();
        assertThat(row.path("original_audio_url").asText())
                .startsWith("/api/v1/projects/" + project + "/audio/original?rev=");
        assertThat(storedKey(database, project, "original_audio_path")).startsWith("projects/" + project + "/original-")
                .endsWith(".wav");
        JsonNode waveform = server.http().get("/api/v1/projects/" + project + "/waveform", ana.token()).json();
        assertThat(waveform.path("version").asInt()).isEqualTo(2);
        assertThat(waveform.path("channels").asInt()).isEqualTo(1);
        assertThat(waveform.path("samples_per_pixel").asInt()).isEqualTo(256);
        assertThat(waveform.path("bits").asInt()).isEqualTo(8);
        assertThat(waveform.path("length").asInt()).isEqualTo((88_200 + 255) / 256);
        assertThat(waveform.path("data").size()).isEqualTo(2 * waveform.path("length").asInt());
        // half-scale sine: peaks near ±64 of 8-bit
        assertThat(waveform.path("data").get(1).asInt()).isBetween(55, 70);

        JsonNode zoomed = server.http().get("/api/v1/projects/" + project + "/waveform?samples_per_pixel=1024", ana.token())
                .json();
        assertThat(zoomed.path("length").asInt()).isEqualTo((88_200 + 1023) / 1024);
        JsonNode split = server.http().get("/api/v1/projects/" + project
                + "/waveform?samples_per_pixel=300&bits=16&channels=split", ana.token()).json();
        assertThat(split.path("channels").asInt()).isEqualTo(2);
        assertThat(split.path("bits").asInt()).isEqualTo(16);
        assertThat(split.path("length").asInt()).isEqualTo((88_200 + 299) / 300);
        assertThat(split.path("data").get(1).asInt()).isBetween(16_000, 16_500);
    }

    @Test
    void aMultipartUploadWithOneFilePartIsStoredToo() {
        UUID project = project(server, ana, "Multipart");
        byte[] audio = wav(22_050, 1, 1.0);
        String boundary = "----studio" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"take.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + audio.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(audio, 0, body, head.length, audio.length);
        System.arraycopy(tail, 0, body, head.length + audio.length, tail.length);
        Http.Response response = server.http().raw("PUT", "/api/v1/projects/" + project + "/audio", ana.token(),
                "multipart/form-data; boundary=" + boundary, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(projectRow(server, ana, project).path("sample_rate").asInt()).isEqualTo(22_050);
    }

    @Test
    void randomBytesAre415AndLeaveNothingBehind() throws IOException {
        UUID project = project(server, ana, "Noise");
        byte[] junk = new byte[50_000];
        new Random(7).nextBytes(junk);
        Http.Response response = upload(server, ana, project, junk);
        assertThat(response.status()).as(response.toString()).isEqualTo(415);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("code").asText()).isEqualTo("unsupported_audio_format");
        assertThat(storedUnder(project)).isEmpty();
        assertThat(storedKey(database, project, "original_audio_path")).isNull();
    }

    @Test
    void aTruncatedWavIsAcceptedWithTheFramesItHoldsAndOneWithoutAFrameIs422() throws IOException {
        UUID project = project(server, ana, "Cut short");
        byte[] full = wav(8_000, 1, 2.0); // header + 32 000 bytes of samples
        int header = full.length - 32_000;
        Http.Response truncated = upload(server, ana, project, Arrays.copyOf(full, header + 8_000));
        assertThat(truncated.status()).as(truncated.toString()).isEqualTo(201);
        assertThat(truncated.json().path("truncated").asBoolean()).isTrue();
        assertThat(projectRow(server, ana, project).path("duration_seconds").decimalValue())
                .isEqualByComparingTo("0.500");

        UUID other = project(server, ana, "Lying header");
        Http.Response lying = upload(server, ana, other, Arrays.copyOf(full, header + 1));
        assertThat(lying.status()).as(lying.toString()).isEqualTo(422);
        assertThat(lying.json().path("code").asText()).isEqualTo("corrupt_audio");
        assertThat(storedUnder(other)).isEmpty();
    }

    @Test
    void aFlacCutShortIsAcceptedWithTheLengthThatDecodesAndFlaggedTruncated() throws IOException {
        int frames = 44_100;
        float[][] tone = new float[1][frames];
        for (int i = 0; i < frames; i++) {
            tone[0][i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 44_100.0));
        }
        java.nio.file.Path flac = java.nio.file.Files.createTempFile("whole", ".flac");
        byte[] whole;
        try {
            try (var encoder = studio.nexus.audio.encode.FlacEncoder.create(flac, 44_100, 1, 16)) {
                encoder.write(tone, frames);
            }
            whole = java.nio.file.Files.readAllBytes(flac); // its STREAMINFO counts all 44 100 samples
        } finally {
            java.nio.file.Files.deleteIfExists(flac);
        }
        UUID project = project(server, ana, "Half a FLAC");
        Http.Response response = upload(server, ana, project, Arrays.copyOf(whole, whole.length / 2));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().path("truncated").asBoolean()).isTrue();
        BigDecimal seconds = projectRow(server, ana, project).path("duration_seconds").decimalValue();
        assertThat(seconds).isGreaterThan(new BigDecimal("0.2")).isLessThan(new BigDecimal("0.8"));
    }

    @Test
    void aFileWithoutAudioIs422NoAudioWhateverItsHeaderClaimsAndLeavesNothingBehind() throws IOException {
        // "fLaC" + STREAMINFO claiming 2^36 - 1 samples of 8-channel 192 kHz (99 hours), and not one frame
        java.nio.ByteBuffer flac = java.nio.ByteBuffer.allocate(42);
        flac.put("fLaC".getBytes(StandardCharsets.US_ASCII)).put(new byte[] {(byte) 0x80, 0, 0, 34});
        flac.putShort((short) 4096).putShort((short) 4096).put(new byte[6]);
        flac.putLong((192_000L << 44) | (7L << 41) | (15L << 36) | ((1L << 36) - 1)).put(new byte[16]);
        for (byte[] empty : List.of(flac.array(), wav(44_100, 2, 0.0))) {
            UUID project = project(server, ana, "Silence of the header");
            Http.Response response = upload(server, ana, project, empty);
            assertThat(response.status()).as(response.toString()).isEqualTo(422);
            assertThat(response.json().path("code").asText()).isEqualTo("empty_audio");
            assertThat(response.json().path("detail").asText()).contains("no audio");
            assertThat(storedUnder(project)).isEmpty();
            assertThat(storedKey(database, project, "original_audio_path")).isNull();
            assertThat(projectRow(server, ana, project).path("has_original_audio").asBoolean()).isFalse();
        }
    }

    @Test
    void anOversizeUploadIs413AndChangesNothing() throws IOException {
        UUID project = project(server, ben, "Too long");
        Http.Response response = upload(server, ben, project, wav(44_100, 2, 20.0)); // 3.5 MB > 3 MB
        assertThat(response.status()).as(response.toString()).isEqualTo(413);
        assertThat(response.json().path("code").asText()).isEqualTo("payload_too_large");
        assertThat(storedUnder(project)).isEmpty();
        assertThat(storedKey(database, project, "original_audio_path")).isNull();
        assertThat(usage(database, ben.id(), "storage_mb")).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(storageUsedMb(database, ben.id())).isZero();
    }

    @Test
    void theStorageLimitIsRefusedAtomicallyAndStorageUsedStaysExactThroughUploadReplaceAndDelete()
            throws IOException {
        UUID project = project(server, eve, "Quota");
        Http.Response first = upload(server, eve, project, wav(44_100, 2, 10.0)); // 1.76 MB -> 2 MB
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.json().path("storage_mb").asLong()).isEqualTo(2);
        assertThat(storageUsedMb(database, eve.id())).isEqualTo(2);

        Http.Response replaced = upload(server, eve, project, wav(44_100, 1, 3.0)); // 0.26 MB -> 1 MB
        assertThat(replaced.status()).isEqualTo(201);
        assertThat(storageUsedMb(database, eve.id())).isEqualTo(1);

        // fill the free plan's 100 MB up to 99: the next 2 MB upload is refused and nothing changes
        long taken = 1024L * 1024 - 1 - chargedBytes(database, eve.id()); // what the replaced take leaves of 1 MB
        fillStorage(database, eve.id(), 98L * 1024 * 1024 + taken);
        assertThat(storageUsedMb(database, eve.id())).isEqualTo(99);
        String before = storedKey(database, project, "original_audio_path");
        Http.Response refused = upload(server, eve, project, wav(44_100, 2, 10.0));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(402);
        assertThat(refused.json().path("code").asText()).isEqualTo("limit_exceeded");
        assertThat(storageUsedMb(database, eve.id())).isEqualTo(99);
        assertThat(storedKey(database, project, "original_audio_path")).isEqualTo(before);
        // the replaced take and its peak file wait for the sweeper; the refused upload left neither
        assertThat(storedUnder(project)).contains(before, before + ".peaks").hasSize(4);

        assertThat(server.http().delete("/api/v1/projects/" + project, eve.token()).status()).isEqualTo(204);
        assertThat(storageUsedMb(database, eve.id())).isEqualTo(99);
        assertThat(chargedBytes(database, eve.id())).isEqualTo(98L * 1024 * 1024 + taken);
    }

    @Test
    void removingTheAudioReleasesItsStorage() {
        UUID project = project(server, vic, "Remove");
        long before = storageUsedMb(database, vic.id());
        long beforeBytes = chargedBytes(database, vic.id());
        Http.Response uploaded = upload(server, vic, project, wav(44_100, 2, 10.0));
        assertThat(uploaded.status()).isEqualTo(201);
        long total = beforeBytes + uploaded.json().path("size_bytes").asLong();
        assertThat(storageUsedMb(database, vic.id())).isEqualTo((total + MIB - 1) / MIB);
        assertThat(server.http().delete("/api/v1/projects/" + project + "/audio", vic.token()).status()).isEqualTo(204);
        assertThat(storageUsedMb(database, vic.id())).isEqualTo(before);
        assertThat(chargedBytes(database, vic.id())).isEqualTo(beforeBytes);
        assertThat(storedKey(database, project, "original_audio_path")).isNull();
    }

    @Test
    void aStrangerGets404AViewerGets403AndAnEditorUploadsOnTheirOwnQuota() {
        UUID project = project(server, ana, "Shared");
        collaborate(server, ana, project, ben, "viewer");
        collaborate(server, ana, project, vic, "editor");
        byte[] audio = wav(8_000, 1, 1.0);
        assertThat(upload(server, eve, project, audio).status()).isEqualTo(404);
        assertThat(upload(server, ben, project, audio).status()).isEqualTo(403);
        assertThat(upload(server, null, project, audio).status()).isEqualTo(401);
        long vicBefore = storageUsedMb(database, vic.id());
        Http.Response editor = upload(server, vic, project, audio);
        assertThat(editor.status()).as(editor.toString()).isEqualTo(201);
        assertThat(storageUsedMb(database, vic.id())).isEqualTo(vicBefore + 1);
        assertThat(server.http().put("/api/v1/projects/" + project + "/effects", ben.token(), Map.of("chain", List.of()))
                .status()).isEqualTo(403);
    }

    @Test
    void hostileIdsAndBadQueryParametersAreProblemsNot500s() {
        UUID project = project(server, ana, "Hostile");
        for (String path : List.of("/api/v1/projects/not-a-uuid/waveform", "/api/v1/projects/%27%3B--/audio/original",
                "/api/v1/projects/" + UUID.randomUUID() + "/waveform")) {
            Http.Response response = server.http().offContract().get(path, ana.token());
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        assertThat(upload(server, ana, project, wav(8_000, 1, 1.0)).status()).isEqualTo(201);
        for (String query : List.of("samples_per_pixel=0", "samples_per_pixel=abc", "bits=12", "channels=left",
                "samples_per_pixel=99999999999")) {
            Http.Response response = server.http().offContract().get("/api/v1/projects/" + project + "/waveform?" + query, ana.token());
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.json().path("code").asText()).isEqualTo("invalid_parameter");
        }
        assertThat(server.http().offContract().raw("PUT", "/api/v1/projects/" + project + "/audio", ana.token(), "application/json",
                "{}".getBytes()).status()).isEqualTo(415);
    }

    @Test
    void theSweeperDeletesOnlyWhatNoProjectVersionOrJobUses() throws IOException {
        UUID project = project(server, ana, "Sweep");
        assertThat(upload(server, ana, project, wav(8_000, 1, 1.0)).status()).isEqualTo(201);
        String first = storedKey(database, project, "original_audio_path");
        assertThat(server.http().post("/api/v1/projects/" + project + "/versions", ana.token(), Map.of("title", "v1"))
                .status()).isEqualTo(201);
        assertThat(upload(server, ana, project, wav(8_000, 1, 1.5)).status()).isEqualTo(201);
        String second = storedKey(database, project, "original_audio_path");
        assertThat(upload(server, ana, project, wav(8_000, 1, 2.0)).status()).isEqualTo(201);
        String third = storedKey(database, project, "original_audio_path");

        StorageSweeper sweeper = new StorageSweeper(database.db(), storage(), Duration.ZERO, Clock.systemUTC());
        List<String> deleted = sweeper.runOnce();
        assertThat(deleted).contains(second).doesNotContain(first, third);
        assertThat(deleted).as("a take's peak file goes with it").contains(second + ".peaks");
        assertThat(storedUnder(project)).containsExactlyInAnyOrder(first, first + ".peaks", third, third + ".peaks");

        assertThat(server.http().delete("/api/v1/projects/" + project + "/versions/1", ana.token()).status()).isEqualTo(204);
        assertThat(sweeper.runOnce()).contains(first);
        assertThat(storedUnder(project)).containsExactlyInAnyOrder(third, third + ".peaks");

        // with the grace period the server uses, a fresh unreferenced object stays
        String fresh = studio.nexus.storage.StorageKeys.projectAudio(project, "original", "wav");
        storage().put(fresh, new java.io.ByteArrayInputStream(new byte[10]), 100);
        assertThat(new StorageSweeper(database.db(), storage(), Duration.ofHours(1), Clock.systemUTC()).runOnce())
                .doesNotContain(fresh);
    }
}
