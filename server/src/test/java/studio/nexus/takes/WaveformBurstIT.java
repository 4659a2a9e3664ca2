package studio.nexus.takes;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.nexus.testing.TestAudio.wav;
import static studio.nexus.testing.TestProjects.project;
import static studio.nexus.testing.TestProjects.storedKey;
import static studio.nexus.testing.TestProjects.upload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.storage.StorageKeys;
import studio.nexus.testing.AllAtOnce;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.ServerProcess;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * Waveforms of an hour-long take under a burst of fine zooms, answered by a second server process with a 256 MB heap
 * over the same database and storage: every answer is the waveform or 503 with Retry-After (never a 500, never an
 * OutOfMemoryError), and the process is still up and answering afterwards. The take is uploaded once to the test's
 * own server, which stores its peak file; both processes read it.
 */
class WaveformBurstIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);
    static final int RATE = 8_000;
    static final long FRAMES = 3_600L * RATE;
    static Musician ana;
    static UUID hour;
    static ServerProcess small;
    static Http smallHttp;

    /** An hour of 8 kHz mono 16-bit WAV (57.6 MB): a sine whose level rises through the hour. */
    static byte[] hourLongWav() {
        int dataBytes = (int) (FRAMES * 2);
        ByteBuffer wav = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
        wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2)
                .putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes()).putInt(dataBytes);
        for (long i = 0; i < FRAMES; i++) {
            double level = 0.1 + 0.8 * i / FRAMES;
            wav.putShort((short) Math.round(32767 * level * Math.sin(2 * Math.PI * 440 * i / RATE)));
        }
        return wav.array();
    }

    @BeforeAll
    static void anHourLongTakeAndASmallServer() throws Exception {
        ana = Musicians.named("ana").pro().signedIn(server);
        hour = project(server, ana, "An hour");
        Http.Response uploaded = upload(server, ana, hour, hourLongWav());
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        assertThat(uploaded.json().path("duration_seconds").decimalValue()).isEqualByComparingTo("3600.000");

        small = ServerProcess.start(server, "256m");
        smallHttp = small.http();
    }

    @AfterAll
    static void stopTheSmallServer() throws Exception {
        if (small != null) {
            small.close();
        }
    }

    static String waveform(int samplesPerPixel) {
        return "/api/v1/projects/" + hour + "/waveform?samples_per_pixel=" + samplesPerPixel + "&bits=8&channels=mono";
    }

    /** A 200 is the whole waveform at that zoom; a 503 says when to come back. */
    static void assertAnsweredOrToldToRetry(Http.Response response, int samplesPerPixel) {
        if (response.status() == 503) {
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().path("code").asText()).isEqualTo("busy");
            assertThat(response.header("Retry-After")).as("Retry-After").isEqualTo("1");
            assertThat(response.json().path("retry_after_seconds").asInt()).isEqualTo(1);
            return;
        }
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode json = response.json();
        long pixels = (FRAMES + samplesPerPixel - 1) / samplesPerPixel;
        assertThat(json.path("samples_per_pixel").asInt()).isEqualTo(samplesPerPixel);
        assertThat(json.path("length").asLong()).isEqualTo(pixels);
        assertThat(json.path("data").size()).isEqualTo(2 * pixels);
    }

    @Test
    void sixteenParallelFineZoomsOnAnHourLongTakeInA256MbHeapAreAnsweredOrToldToRetryNeverFailed() throws Exception {
        int[] zooms = {8, 8, 8, 8, 16, 16, 16, 32, 32, 64, 100, 128, 128, 256, 512, 1024};
        List<Callable<Http.Response>> calls = new ArrayList<>();
        for (int spp : zooms) {
            calls.add(() -> smallHttp.get(waveform(spp), ana.token()));
        }
        List<Http.Response> answers = AllAtOnce.run(calls);
        int ok = 0;
        for (int i = 0; i < zooms.length; i++) {
            assertAnsweredOrToldToRetry(answers.get(i), zooms[i]);
            ok += answers.get(i).status() == 200 ? 1 : 0;
        }
        assertThat(ok).as("answers that are waveforms").isPositive();
        assertThat(small.isAlive()).as("the small server is still up; its log: " + small.log()).isTrue();
        Http.Response after = smallHttp.get(waveform(128), ana.token());
        assertAnsweredOrToldToRetry(after, 128);
        assertThat(after.status()).isEqualTo(200);
    }

    @Test
    void aBurstOfZoomsThatMustDecodeIsToldToRetryBeyondWhatTheServerDecodesAtOnce() throws Exception {
        List<Http.Response> answers = AllAtOnce.times(16, () -> smallHttp.get(waveform(100), ana.token()));
        long busy = answers.stream().filter(r -> r.status() == 503).count();
        for (Http.Response answer : answers) {
            assertAnsweredOrToldToRetry(answer, 100);
        }
        assertThat(busy).as("503s while %d decodes run", Peaks.DECODES).isGreaterThanOrEqualTo(16 - Peaks.READS);
        assertThat(small.isAlive()).as("the small server is still up; its log: " + small.log()).isTrue();
    }

    /** Pixels of a waveform merged {@code factor} at a time, as a coarser zoom has them. */
    static List<Integer> merged(JsonNode waveform, int factor) {
        int tracks = waveform.path("channels").asInt();
        int length = waveform.path("length").asInt();
        JsonNode data = waveform.path("data");
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < length; p += factor) {
            for (int t = 0; t < tracks; t++) {
                int lo = Integer.MAX_VALUE;
                int hi = Integer.MIN_VALUE;
                for (int q = p; q < Math.min(length, p + factor); q++) {
                    lo = Math.min(lo, data.get((q * tracks + t) * 2).asInt());
                    hi = Math.max(hi, data.get((q * tracks + t) * 2 + 1).asInt());
                }
                out.add(lo);
                out.add(hi);
            }
        }
        return out;
    }

    @Test
    void zoomsFromTheStoredLevelsEqualTheOnesDecodedFromTheTake() {
        // 64 and 32 samples per pixel are finer than the finest stored level, so they are decoded from the take
        UUID project = project(server, ana, "Levels");
        assertThat(upload(server, ana, project, wav(44_100, 2, 3.3)).status()).isEqualTo(201);
        for (String channels : List.of("mono", "split")) {
            for (int bits : new int[] {8, 16}) {
                String base = "/api/v1/projects/" + project + "/waveform?bits=" + bits + "&channels=" + channels;
                JsonNode fine = server.http().get(base + "&samples_per_pixel=64", ana.token()).json();
                JsonNode finer = server.http().get(base + "&samples_per_pixel=32", ana.token()).json();
                for (int stored : new int[] {128, 256, 512, 2048, 3 * 128}) {
                    JsonNode coarse = server.http().get(base + "&samples_per_pixel=" + stored, ana.token()).json();
                    assertThat(coarse.path("length").asInt()).isEqualTo((145_530 + stored - 1) / stored);
                    assertThat(coarse.path("channels").asInt()).isEqualTo(channels.equals("split") ? 2 : 1);
                    List<Integer> data = new ArrayList<>();
                    coarse.path("data").forEach(v -> data.add(v.asInt()));
                    assertThat(data).as("%d from the stored levels against 64 decoded, %s, %d bits", stored, channels,
                            bits).isEqualTo(merged(fine, stored / 64));
                    assertThat(data).as("against 32 decoded").isEqualTo(merged(finer, stored / 32));
                }
            }
        }
    }

    @Test
    void aTakeWithoutAPeakFileGetsOneAtItsFirstWaveform() throws IOException {
        UUID project = project(server, ana, "Older take");
        assertThat(upload(server, ana, project, wav(22_050, 1, 2.0)).status()).isEqualTo(201);
        String take = storedKey(database, project, "original_audio_path");
        var storage = server.app().features().storage();
        JsonNode before = server.http().get("/api/v1/projects/" + project + "/waveform", ana.token()).json();
        assertThat(storage.delete(StorageKeys.peaksOf(take))).isTrue();

        JsonNode after = server.http().get("/api/v1/projects/" + project + "/waveform", ana.token()).json();
        assertThat(after).isEqualTo(before);
        assertThat(storage.stat(StorageKeys.peaksOf(take))).isPresent();
    }

    @Test
    void aZoomWithMoreThanFourMillionPixelsIsRefusedWithTheFinestAllowed() {
        Http.Response refused = smallHttp.get(waveform(4), ana.token());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("code").asText()).isEqualTo("too_many_pixels");
        assertThat(refused.json().path("detail").asText()).contains("at least 8");
    }
}
