package studio.nexus.storage;

import studio.nexus.storage.StorageSweeper;
import static org.assertj.core.api.Assertions.assertThat;
import static studio.nexus.testing.Musicians.chargedBytes;
import static studio.nexus.testing.Musicians.storageUsedMb;
import static studio.nexus.testing.TestAudio.wav;
import static studio.nexus.testing.TestProjects.arrangeAndWait;
import static studio.nexus.testing.TestProjects.awaitJob;
import static studio.nexus.testing.TestProjects.collaborate;
import static studio.nexus.testing.TestProjects.fillStorage;
import static studio.nexus.testing.TestProjects.project;
import static studio.nexus.testing.TestProjects.projectRow;
import static studio.nexus.testing.TestProjects.storedKey;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import studio.nexus.storage.Storage;
import studio.nexus.storage.StorageKeys;
import studio.nexus.testing.AllAtOnce;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * Storage is charged once, whatever path the bytes took (V83). Random sequences of what musicians do with stored
 * audio, and after every step the ledger's invariants: each user's storage_used_mb is ceil(sum of the sizes of the
 * objects charged to them / 1 MiB); an object is registered exactly while something references its key; its size
 * is the stored file's; no referenced file is ever deleted; a project shows the facts of the take it holds.
 */
class StorageLedgerIT {
    static final long MIB = 1024 * 1024;

    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(24);
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    static Musician ana, vic, fay;

    @BeforeAll
    static void musicians() {
        ana = Musicians.named("ana").pro().signedIn(server);
        vic = Musicians.named("vic").pro().signedIn(server);
        fay = Musicians.named("fay").pro().signedIn(server);
    }

    static Storage storage() {
        return server.app().features().storage();
    }

    // The property

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {13, 2026, 77})
    void afterAnySequenceOfStorageStepsEveryUsersChargeIsTheSumOfTheirObjects(long seed) throws Exception {
        Random random = new Random(seed);
        List<UUID> projects = new ArrayList<>();
        UUID shared = project(server, ana, "Shared " + seed);
        collaborate(server, ana, shared, vic, "editor");
        projects.add(shared);
        projects.add(project(server, ana, "Solo " + seed));
        int kept = 0;
        List<String> done = new ArrayList<>();
        for (int step = 0; step < 40; step++) {
            UUID project = projects.get(random.nextInt(projects.size()));
            JsonNode row = projectRow(server, ana, project);
            boolean hasAudio = row.path("has_original_audio").asBoolean();
            // every kind of step early on (on the shared project), then at random
            int[] opening = {0, 2, 3, 5, 4, 6, 1, 3};
            if (step < opening.length) {
                project = shared;
                row = projectRow(server, ana, project);
                hasAudio = row.path("has_original_audio").asBoolean();
            }
            int choice = step < opening.length ? opening[step] : random.nextInt(11);
            if (!hasAudio && List.of(2, 3, 4, 8).contains(choice)) {
                choice = 0; // nothing to work on: record a take first
            }
            Musician actor = project.equals(shared) && random.nextBoolean() ? vic : ana;
            String action = switch (choice) {
                case 0, 1 -> upload(actor, project, random);
                case 2 -> render(actor, project);
                case 3 -> export(actor, project, random, row);
                case 4 -> kept < 2 && keep(actor, project) ? "kept an AI result" : "no keep";
                case 5 -> snapshot(actor, project);
                case 6 -> restore(actor, project, random);
                case 7 -> deleteVersion(actor, project, random);
                case 8 -> removeAudio(actor, project);
                case 9 -> {
                    if (project.equals(shared)) {
                        yield sweep();
                    }
                    assertThat(server.http().delete("/api/v1/projects/" + project, ana.token()).status()).isEqualTo(204);
                    projects.remove(project);
                    projects.add(project(server, ana, "Next " + seed + "-" + step));
                    yield "deleted a project";
                }
                default -> sweep();
            };
            if (action.equals("kept an AI result")) {
                kept++;
            }
            done.add(step + ": " + action);
            assertLedgerExact(String.join("\n", done));
        }
        assertThat(sweep()).isNotNull();
        assertLedgerExact(String.join("\n", done) + "\nfinal sweep");
        String all = String.join("\n", done);
        for (String covered : List.of("uploaded", "rendered", "exported", "restored", "saved version", "sweeper",
                "kept an AI result")) {
            assertThat(all).as("seed " + seed + " covers " + covered).contains(covered);
        }
    }

    String upload(Musician actor, UUID project, Random random) {
        int rate = List.of(8_000, 22_050, 44_100).get(random.nextInt(3));
        int channels = 1 + random.nextInt(2);
        double seconds = 0.5 + random.nextInt(6) * 0.5;
        Http.Response response = TestProjects.upload(server, actor, project, wav(rate, channels, seconds));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return actor.username() + " uploaded " + seconds + " s at " + rate + " Hz x" + channels;
    }

    String render(Musician actor, UUID project) {
        Http.Response queued = server.http().post("/api/v1/projects/" + project + "/render", actor.token(),
                Map.of("tail_seconds", 0.5));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode job = awaitJob(server, actor, queued.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        return actor.username() + " rendered";
    }

    String export(Musician actor, UUID project, Random random, JsonNode row) {
        String source = row.path("has_processed_audio").asBoolean() && random.nextBoolean() ? "processed" : "original";
        String format = random.nextBoolean() ? "wav16" : "flac";
        Http.Response queued = server.http().post("/api/v1/projects/" + project + "/exports", actor.token(),
                Map.of("format", format, "source", source));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode job = awaitJob(server, actor, queued.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        return actor.username() + " exported " + source + " as " + format;
    }

    boolean keep(Musician actor, UUID project) {
        JsonNode t = arrangeAndWait(server, actor, project, Duration.ofSeconds(90));
        if (!t.path("status").asText().equals("completed")) {
            return false; // the arranger found nothing to arrange in a sine: still a stored-nothing step
        }
        String id = t.path("id").asText();
        assertLedgerExact("AI output stored");
        Http.Response kept = server.http().post("/api/v1/transformations/" + id + "/keep", actor.token(), null);
        assertThat(kept.status()).as(kept.toString()).isEqualTo(201);
        return true;
    }

    String snapshot(Musician actor, UUID project) {
        Http.Response saved = server.http().post("/api/v1/projects/" + project + "/versions", actor.token(),
                Map.of("title", "snapshot"));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        return actor.username() + " saved version " + saved.json().path("version_number").asInt();
    }

    String restore(Musician actor, UUID project, Random random) {
        JsonNode items = server.http().get("/api/v1/projects/" + project + "/versions?limit=100", actor.token()).json()
                .path("items");
        if (items.isEmpty()) {
            return "no version to restore";
        }
        int number = items.get(random.nextInt(items.size())).path("version_number").asInt();
        Http.Response restored = server.http().post("/api/v1/projects/" + project + "/versions/" + number + "/restore",
                actor.token(), null);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(201);
        return actor.username() + " restored version " + number;
    }

    String deleteVersion(Musician actor, UUID project, Random random) {
        JsonNode items = server.http().get("/api/v1/projects/" + project + "/versions?limit=100", actor.token()).json()
                .path("items");
        if (items.isEmpty()) {
            return "no version to delete";
        }
        int number = items.get(random.nextInt(items.size())).path("version_number").asInt();
        assertThat(server.http().delete("/api/v1/projects/" + project + "/versions/" + number, actor.token()).status())
                .isEqualTo(204);
        return actor.username() + " deleted version " + number;
    }

    String removeAudio(Musician actor, UUID project) {
        int status = server.http().delete("/api/v1/projects/" + project + "/audio", actor.token()).status();
        assertThat(status).isEqualTo(204);
        return actor.username() + " removed the audio";
    }

    String sweep() throws IOException {
        List<String> deleted = new StorageSweeper(database.db(), storage(), Duration.ZERO, Clock.systemUTC()).runOnce();
        return "sweeper deleted " + deleted.size();
    }

    // The invariants

    record StoredObject(String key, long sizeBytes, UUID chargedTo, BigDecimal durationSeconds, Integer sampleRate,
                        Integer channels) {}

    static List<StoredObject> objects() {
        return database.db().asSystem(handle -> handle.createQuery("""
                        SELECT key, size_bytes, charged_to, duration_seconds, sample_rate, channels
                        FROM public.stored_objects""")
                .map((rs, ctx) -> new StoredObject(rs.getString(1), rs.getLong(2), rs.getObject(3, UUID.class),
                        rs.getBigDecimal(4), (Integer) rs.getObject(5),
                        rs.getObject(6) == null ? null : rs.getInt(6)))
                .list());
    }

    static Set<String> referencedKeys() {
        return new HashSet<>(database.list(String.class, """
                        SELECT k FROM (
                          SELECT original_audio_path AS k FROM public.projects
                          UNION SELECT processed_audio_path FROM public.projects
                          UNION SELECT audio_file_path FROM public.project_versions
                          UNION SELECT processed_audio_path FROM public.project_versions
                          UNION SELECT result->>'key' FROM public.jobs WHERE kind IN ('export', 'stems')
                          UNION SELECT output_audio_path FROM public.ai_transformations
                          UNION SELECT output_midi_path FROM public.ai_transformations
                          UNION SELECT part->>'key' FROM public.ai_transformations,
                                       jsonb_array_elements(coalesce(output_parts, '[]'::jsonb)) part
                          UNION SELECT take_key FROM public.track_clips
                          UNION SELECT key FROM public.project_takes
                          UNION SELECT key FROM public.version_takes) r
                        WHERE k IS NOT NULL""", TestDatabase.params()));
    }

    static void assertLedgerExact(String steps) {
        List<StoredObject> objects = objects();
        Map<UUID, Long> bytes = new HashMap<>();
        Map<String, StoredObject> byKey = new HashMap<>();
        for (StoredObject o : objects) {
            bytes.merge(o.chargedTo(), o.sizeBytes(), Long::sum);
            byKey.put(o.key(), o);
        }
        assertThat(byKey.keySet()).as("objects registered exactly while referenced, after\n" + steps)
                .isEqualTo(referencedKeys());
        for (Musician m : List.of(ana, vic, fay)) {
            long expected = (bytes.getOrDefault(m.id(), 0L) + MIB - 1) / MIB;
            assertThat(storageUsedMb(database, m.id())).as(m.username() + "'s storage_used_mb after\n" + steps)
                    .isEqualTo(expected);
            JsonNode usage = server.http().get("/api/v1/usage", m.token()).json();
            for (JsonNode resource : usage.path("resources")) {
                if (resource.path("resource_type").asText().equals("storage_mb")) {
                    assertThat(resource.path("used").asLong()).as("GET /usage of " + m.username()).isEqualTo(expected);
                }
            }
        }
        for (StoredObject o : objects) {
            assertThat(o.chargedTo()).as(o.key() + " is charged to someone").isNotNull();
            if (o.key().endsWith("/original-filler.wav")) {
                continue; // fillStorage's stand-in for a large take: charged, never written
            }
            Optional<Storage.StoredObject> file;
            try {
                file = storage().stat(o.key());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            assertThat(file).as(o.key() + " is referenced, so its file is still stored, after\n" + steps).isPresent();
            long peaks;
            try {
                peaks = storage().stat(StorageKeys.peaksOf(o.key())).map(Storage.StoredObject::size).orElse(0L);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            assertThat(o.sizeBytes()).as(o.key() + " is charged its real size, with its peak file's")
                    .isEqualTo(file.get().size() + peaks);
        }
        List<Map<String, Object>> shown = database.rows("""
                        SELECT id, original_audio_path, duration_seconds, sample_rate, channels FROM public.projects
                        WHERE original_audio_path IS NOT NULL""", TestDatabase.params());
        for (Map<String, Object> project : shown) {
            StoredObject take = byKey.get((String) project.get("original_audio_path"));
            assertThat(take).isNotNull();
            assertThat((BigDecimal) project.get("duration_seconds")).as("length shown after\n" + steps)
                    .isEqualByComparingTo(take.durationSeconds());
            assertThat(project.get("sample_rate")).as("rate shown").isEqualTo(take.sampleRate());
            assertThat(((Number) project.get("channels")).intValue()).as("channels shown")
                    .isEqualTo(take.channels());
        }
    }

    // The limit under concurrency

    static long storageLimitMb(Musician who) {
        for (JsonNode resource : server.http().get("/api/v1/usage", who.token()).json().path("resources")) {
            if (resource.path("resource_type").asText().equals("storage_mb")) {
                return resource.path("limit").asLong();
            }
        }
        throw new AssertionError("no storage_mb in GET /usage");
    }

    @Test
    void concurrentUploadsAtTheLimitNeverTakeAMusicianOverTheirPlan() throws Exception {
        byte[] take = wav(44_100, 2, 10.0); // 1.76 MB
        for (int round = 0; round < 5; round++) {
            List<UUID> projects = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                projects.add(project(server, fay, "Race " + round + "-" + i));
            }
            long limit = storageLimitMb(fay) * MIB;
            long room = 3 * take.length + take.length / 2; // three fit, the fourth does not
            long have = chargedBytes(database, fay.id());
            fillStorage(database, fay.id(), limit - room - have);
            List<Callable<Integer>> attempts = new ArrayList<>();
            for (UUID project : projects) {
                attempts.add(() -> TestProjects.upload(server, fay, project, take).status());
            }
            int created = 0;
            int refused = 0;
            for (int status : AllAtOnce.run(attempts)) {
                if (status == 201) {
                    created++;
                } else {
                    assertThat(status).isEqualTo(402);
                    refused++;
                }
            }
            assertThat(created).as("round " + round).isEqualTo(3);
            assertThat(refused).isEqualTo(5);
            assertThat(storageUsedMb(database, fay.id())).isLessThanOrEqualTo(storageLimitMb(fay));
            assertLedgerExact("round " + round + " of concurrent uploads");
            for (UUID project : projects) {
                server.http().delete("/api/v1/projects/" + project, fay.token());
            }
            database.update("DELETE FROM public.projects WHERE user_id = :u AND title = 'Storage filler'",
                    TestDatabase.params("u", fay.id()));
            assertThat(storageUsedMb(database, fay.id())).isZero();
        }
    }

    @Test
    void aRenderOrExportThatWouldPassThePlanFailsWithStorageFullAndChargesNothing() throws Exception {
        Musician gus = Musicians.signedIn(server, "gus");
        UUID project = project(server, gus, "Full");
        assertThat(TestProjects.upload(server, gus, project, wav(44_100, 2, 3.0)).status()).isEqualTo(201);
        long limit = storageLimitMb(gus) * MIB;
        fillStorage(database, gus.id(), limit - chargedBytes(database, gus.id()) - 1000);
        long before = chargedBytes(database, gus.id());
        String processedBefore = storedKey(database, project, "processed_audio_path");

        Http.Response render = server.http().post("/api/v1/projects/" + project + "/render", gus.token(), Map.of());
        JsonNode rendered = awaitJob(server, gus, render.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(rendered.path("status").asText()).isEqualTo("failed");
        assertThat(rendered.path("error_code").asText()).isEqualTo("storage_full");
        JsonNode row = projectRow(server, gus, project);
        assertThat(row.path("status").asText()).isNotEqualTo("processing");
        assertThat(storedKey(database, project, "processed_audio_path")).isEqualTo(processedBefore);

        Http.Response export = server.http().post("/api/v1/projects/" + project + "/exports", gus.token(),
                Map.of("format", "wav16", "source", "original"));
        JsonNode exported = awaitJob(server, gus, export.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(exported.path("status").asText()).isEqualTo("failed");
        assertThat(exported.path("error_code").asText()).isEqualTo("storage_full");

        assertThat(chargedBytes(database, gus.id())).isEqualTo(before);
        assertThat(storageUsedMb(database, gus.id())).isLessThanOrEqualTo(storageLimitMb(gus));
        assertLedgerExact("a render and an export past the plan");
        // only the take and its peak file: nothing left behind
        String take = storedKey(database, project, "original_audio_path");
        assertThat(storage().list("projects/" + project + "/")).containsExactlyInAnyOrder(take, take + ".peaks");
    }

    @Test
    void whenAnEditorDeletesTheirAccountTheTakeTheyLeftIsChargedToTheProjectsOwner() {
        Musician hal = Musicians.signUp(server.http(), "hal");
        UUID project = project(server, ana, "Left behind");
        collaborate(server, ana, project, hal, "editor");
        Http.Response uploaded = TestProjects.upload(server, hal, project, wav(22_050, 1, 2.0));
        assertThat(uploaded.status()).isEqualTo(201);
        String key = storedKey(database, project, "original_audio_path");
        long anaBefore = chargedBytes(database, ana.id());
        long halsTake = chargedBytes(database, hal.id()); // the take and its peak file
        assertThat(halsTake).isGreaterThan(uploaded.json().path("size_bytes").asLong());
        assertThat(server.http().sendJson("DELETE", "/api/v1/me", hal.token(),
                Map.of("password", Musicians.PASSWORD)).status()).isEqualTo(204);
        assertThat(objects()).filteredOn(o -> o.key().equals(key)).singleElement()
                .extracting(StoredObject::chargedTo).isEqualTo(ana.id());
        assertThat(chargedBytes(database, ana.id())).isEqualTo(anaBefore + halsTake);
        assertLedgerExact("an editor's account deleted");
    }

    @Test
    void anOutputRegisteredButNeverReferencedIsReleasedAndDeletedByTheSweeper() throws Exception {
        UUID project = project(server, vic, "Lost lease");
        String key = "projects/" + project + "/export-" + UUID.randomUUID() + ".wav";
        storage().put(key, new java.io.ByteArrayInputStream(new byte[3 * 1024 * 1024]), 4L * 1024 * 1024);
        long before = chargedBytes(database, vic.id());
        // what an export worker does before its completion, which never comes (it lost its lease)
        database.db().asSystem(handle -> studio.nexus.usage.Usage.chargeStorage(handle, key, 3 * MIB, vic.id(),
                project, true, studio.nexus.usage.Usage.AudioFacts.NONE));
        assertThat(chargedBytes(database, vic.id())).isEqualTo(before + 3 * MIB);
        assertThat(new StorageSweeper(database.db(), storage(), Duration.ofHours(1), Clock.systemUTC()).runOnce())
                .doesNotContain(key); // within the grace period its job may still complete
        assertThat(chargedBytes(database, vic.id())).isEqualTo(before + 3 * MIB);
        assertThat(new StorageSweeper(database.db(), storage(), Duration.ZERO, Clock.systemUTC()).runOnce())
                .contains(key);
        assertThat(chargedBytes(database, vic.id())).isEqualTo(before);
        assertThat(storage().stat(key)).isEmpty();
        assertLedgerExact("an orphaned output swept");
    }

    @Test
    void restoresUploadsSnapshotsAndDeletionsRacingOnOneProjectKeepTheLedgerExactAndNeverFail() throws Exception {
        UUID project = project(server, ana, "Busy");
        collaborate(server, ana, project, vic, "editor");
        byte[] take = wav(8_000, 1, 1.0);
        assertThat(TestProjects.upload(server, ana, project, take).status()).isEqualTo(201);
        String versions = "/api/v1/projects/" + project + "/versions";
        assertThat(server.http().post(versions, ana.token(), Map.of("title", "one")).status()).isEqualTo(201);
        for (int round = 0; round < 12; round++) {
            int newest = server.http().get(versions + "?limit=1", ana.token()).json().path("items").get(0)
                    .path("version_number").asInt();
            List<Callable<Http.Response>> steps = List.of(
                    () -> server.http().post(versions + "/" + newest + "/restore", ana.token(), null),
                    () -> server.http().delete(versions + "/" + newest, vic.token()),
                    () -> TestProjects.upload(server, vic, project, take),
                    () -> server.http().post(versions, ana.token(), Map.of("title", "again")),
                    () -> server.http().delete("/api/v1/projects/" + project + "/audio", ana.token()));
            for (Http.Response response : AllAtOnce.run(steps)) {
                // a restore of a version deleted at the same moment is 404; nothing else may go wrong
                assertThat(response.status()).as("round " + round + ": " + response).isIn(201, 204, 404);
            }
            assertLedgerExact("round " + round + " of racing steps on one project");
            if (server.http().get(versions + "?limit=1", ana.token()).json().path("items").isEmpty()) {
                assertThat(server.http().post(versions, ana.token(), Map.of("title", "seed")).status()).isEqualTo(201);
            }
        }
    }

    @Test
    void twoReferencesDroppedAtOnceReleaseTheObjectExactlyOnce() throws Exception {
        for (int round = 0; round < 10; round++) {
            UUID project = project(server, ana, "Release race " + round);
            assertThat(TestProjects.upload(server, ana, project, wav(22_050, 1, 1.0)).status()).isEqualTo(201);
            assertThat(server.http().post("/api/v1/projects/" + project + "/versions", ana.token(), Map.of("title", "v"))
                    .status()).isEqualTo(201);
            List<Integer> statuses = AllAtOnce.run(List.of(
                    () -> server.http().delete("/api/v1/projects/" + project + "/audio", ana.token()).status(),
                    () -> server.http().delete("/api/v1/projects/" + project + "/versions/1", ana.token()).status()));
            assertThat(statuses.get(0)).isEqualTo(204); // the take removed
            assertThat(statuses.get(1)).isEqualTo(204); // the version deleted
            assertLedgerExact("round " + round + " of concurrent releases");
        }
    }
}
