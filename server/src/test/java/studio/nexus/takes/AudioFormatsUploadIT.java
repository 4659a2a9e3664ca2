package studio.nexus.takes;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.nexus.testing.TestAudio.wav;
import static studio.nexus.testing.TestProjects.awaitJob;
import static studio.nexus.testing.TestProjects.project;
import static studio.nexus.testing.TestProjects.projectRow;
import static studio.nexus.testing.TestProjects.storedKey;
import static studio.nexus.testing.TestProjects.upload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * The formats phones and other studios hand musicians, uploaded over HTTP: each is accepted with its real
 * rate, channels and length, and a damaged copy of each is a 4xx that stores nothing. Files are made by
 * the installed tools from a generated WAV ({@code %i} the source, {@code %O} the result's name without
 * extension). Each accepted upload also renders: its stored original decodes again.
 */
class AudioFormatsUploadIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    @TempDir static Path dir;
    static Musician ana;

    @BeforeAll
    static void musicians() {
        ana = Musicians.named("ana").pro().signedIn(server);
    }

    static byte[] make(String name, int rate, int channels, double seconds, String command) throws Exception {
        return TestAudio.encodedBy(dir, name, wav(rate, channels, seconds), command);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "µ-law WAV | 8000 | 1 | 2.0 | ffmpeg -v error -y -i %i -c:a pcm_mulaw %O.wav | WAV | 8000 | 1 | 2.000",
        "A-law WAV | 8000 | 2 | 1.5 | ffmpeg -v error -y -i %i -c:a pcm_alaw %O.wav | WAV | 8000 | 2 | 1.500",
        "IMA ADPCM WAV | 22050 | 2 | 1.0 | sox %i -e ima-adpcm %O.wav | WAV | 22050 | 2 | 1.000",
        "MS ADPCM WAV | 44100 | 1 | 1.0 | sox %i -e ms-adpcm %O.wav | WAV | 44100 | 1 | 1.000",
        "big-endian RIFX | 44100 | 2 | 1.0 | sox %i -B %O.wav | WAV | 44100 | 2 | 1.000",
        "5.1 Ogg Vorbis | 48000 | 6 | 1.0 | oggenc -Q -o %O.ogg %i | Ogg Vorbis | 48000 | 6 | 1.000",
        "Ogg Opus voice note | 16000 | 1 | 2.5 | ffmpeg -v error -y -i %i -c:a libopus -b:a 24k %O.opus"
            + " | Ogg Opus | 48000 | 1 | 2.500",
        "Ogg Opus stereo | 48000 | 2 | 1.5 | ffmpeg -v error -y -i %i -c:a libopus %O.ogg | Ogg Opus | 48000 | 2 | 1.500",
        "M4A voice memo | 48000 | 1 | 2.0 | ffmpeg -v error -y -i %i -c:a aac -aac_pns 0 %O.m4a | M4A | 48000 | 1 | 2.000",
        "M4A stereo | 44100 | 2 | 1.5 | ffmpeg -v error -y -i %i -c:a aac -aac_pns 0 %O.m4a | M4A | 44100 | 2 | 1.500",
        // ADTS says nothing of the encoder's priming: the 1024 frames ffmpeg adds stay, as ffmpeg decodes them
        "raw ADTS AAC | 44100 | 2 | 1.0 | ffmpeg -v error -y -i %i -c:a aac -aac_pns 0 %O.aac | AAC | 44100 | 2 | 1.045"})
    void aPhoneOrStudioFormatIsAcceptedWithItsFactsAndADamagedCopyIsRefused(String what, int rate, int channels,
            double seconds, String command, String format, int storedRate, int storedChannels, String duration)
            throws Exception {
        byte[] file = make(what.replaceAll("[^A-Za-z0-9]", ""), rate, channels, seconds, command);
        UUID project = project(server, ana, what);
        Http.Response response = upload(server, ana, project, file);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().path("format").asText()).isEqualTo(format);
        JsonNode row = projectRow(server, ana, project);
        assertThat(row.path("sample_rate").asInt()).isEqualTo(storedRate);
        assertThat(row.path("channels").asInt()).isEqualTo(storedChannels);
        assertThat(row.path("duration_seconds").decimalValue()).isEqualByComparingTo(duration);
        Http.Response audio = server.http().get(row.path("original_audio_url").asText(), ana.token());
        assertThat(audio.status()).isEqualTo(200);
        // the stored original renders like any other: same rate and channels, the same length
        Http.Response queued = server.http().post("/api/v1/projects/" + project + "/render", ana.token(), Map.of());
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode job = awaitJob(server, ana, queued.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        Http.Response processed = server.http().get("/api/v1/projects/" + project + "/audio/processed", ana.token());
        assertThat(processed.status()).isEqualTo(200);
        try (DecodedAudio rendered = Decoders.open(new ByteArrayInputStream(processed.bytes()))) {
            assertThat(rendered.info().sampleRate()).isEqualTo(storedRate);
            assertThat(rendered.info().channels()).isEqualTo(storedChannels);
            assertThat(rendered.info().durationSeconds()).isCloseTo(new BigDecimal(duration).doubleValue(),
                    org.assertj.core.data.Offset.offset(0.0015));
        }

        // damaged copies: cut inside the header, and the header followed by noise
        byte[] noise = file.clone();
        new Random(1).nextBytes(noise);
        System.arraycopy(file, 0, noise, 0, 12);
        for (byte[] bad : List.of(Arrays.copyOf(file, 20), noise)) {
            UUID other = project(server, ana, what + " damaged");
            long started = System.nanoTime();
            Http.Response refused = upload(server, ana, other, bad);
            assertThat(refused.status()).as(refused.toString()).isBetween(400, 499);
            assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
            assertThat(storedKey(database, other, "original_audio_path")).isNull();
            assertThat(server.app().features().storage().list("projects/" + other + "/")).isEmpty();
        }
    }
}
