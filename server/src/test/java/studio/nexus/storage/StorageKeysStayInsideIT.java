package studio.nexus.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.nexus.testing.TestAudio.wav;
import static studio.nexus.testing.TestProjects.awaitJob;
import static studio.nexus.testing.TestProjects.project;
import static studio.nexus.testing.TestProjects.upload;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * No answer names a stored object by its storage key: a project with an upload, a render, an export, versions, a
 * kept AI transformation and a restore is read through every route that shows it, by its owner, a stranger and
 * anonymously, and every answer is scanned for every key the database holds for it.
 */
class StorageKeysStayInsideIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();

    @Test
    void noProjectVersionJobOrTransformationAnswerShowsAStorageKey() throws Exception {
        Musician ana = Musicians.named("keyless_ana").pro().signedIn(server);
        Musician stranger = Musicians.signedIn(server, "keyless_stranger");
        UUID project = project(server, ana, "Keys stay inside");
        String base = "/api/v1/projects/" + project;
        Map<String, Http.Response> answers = new LinkedHashMap<>();

        answers.put("upload", upload(server, ana, project, wav(22_050, 1, 4.0)));
        answers.put("make public", server.http().patch(base, ana.token(), Map.of("is_public", true)));
        Http.Response render = server.http().post(base + "/render", ana.token(), Map.of());
        answers.put("render", render);
        String renderJob = render.json().path("id").asText();
        assertThat(awaitJob(server, ana, renderJob, Duration.ofSeconds(60)).path("status").asText())
                .isEqualTo("succeeded");
        Http.Response export = server.http().post(base + "/exports", ana.token(), Map.of("format", "wav16"));
        answers.put("export", export);
        String exportJob = export.json().path("id").asText();
        assertThat(awaitJob(server, ana, exportJob, Duration.ofSeconds(60)).path("status").asText())
                .isEqualTo("succeeded");
        answers.put("snapshot", server.http().post(base + "/versions", ana.token(), Map.of("title", "v1")));

        Http.Response requested = server.http().post(base + "/transformations", ana.token(),
                Map.of("transformation_type", "electronic", "parameters", Map.of("tempo", 120)));
        answers.put("transformation request", requested);
        assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
        String transformation = requested.json().path("id").asText();
        JsonNode done = awaitTransformation(ana, transformation);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        answers.put("keep", server.http().post("/api/v1/transformations/" + transformation + "/keep", ana.token(), null));
        answers.put("restore", server.http().post(base + "/versions/1/restore", ana.token(), null));

        for (String path : List.of(base, "/api/v1/projects", base + "/versions", base + "/versions/1",
                base + "/versions/2", "/api/v1/jobs/" + renderJob, "/api/v1/jobs/" + exportJob,
                "/api/v1/jobs/" + done.path("job_id").asText(), "/api/v1/transformations/" + transformation,
                "/api/v1/transformations", base + "/transformations", "/api/v1/explore",
                "/api/v1/explore/featured", "/api/v1/me")) {
            answers.put("ana GET " + path, server.http().get(path, ana.token()));
        }
        for (String path : List.of(base, "/api/v1/explore", "/api/v1/explore/featured")) {
            answers.put("stranger GET " + path, server.http().get(path, stranger.token()));
            answers.put("anonymous GET " + path, server.http().get(path, null));
        }
        for (String job : List.of(renderJob, exportJob)) {
            answers.put("events of " + job, server.http().send(server.http().request("/api/v1/jobs/" + job + "/events", ana.token())
                    .header("Accept", "text/event-stream").GET()));
        }

        Set<String> keys = keysOf(project, UUID.fromString(transformation));
        assertThat(keys).as("the journey stored objects").hasSizeGreaterThanOrEqualTo(5);
        List<String> leaks = new ArrayList<>();
        for (var answer : answers.entrySet()) {
            Http.Response response = answer.getValue();
            assertThat(response.status()).as(answer.getKey() + ": " + response).isLessThan(300);
            for (String key : keys) {
                if (response.body().contains(key)) {
                    leaks.add(answer.getKey() + " shows " + key);
                }
            }
            fieldsNamingStoredObjects(response.json(), "", leaks, answer.getKey());
        }
        assertThat(leaks).isEmpty();

        JsonNode shown = answers.get("ana GET " + base).json();
        assertThat(shown.path("has_original_audio").asBoolean()).isTrue();
        String url = shown.path("original_audio_url").asText();
        assertThat(url).startsWith(base + "/audio/original?rev=");
        assertThat(server.http().get(url, ana.token()).status()).isEqualTo(200);
        assertThat(answers.get("ana GET " + base + "/versions").json().path("items").get(0).path("has_audio")
                .asBoolean()).isTrue();
    }

    /** Every storage key the database holds for the project and the transformation. */
    private static Set<String> keysOf(UUID project, UUID transformation) {
        return database.db().asSystem(handle -> {
            Set<String> keys = new TreeSet<>(handle.createQuery("""
                            SELECT k FROM (
                              SELECT original_audio_path AS k FROM public.projects WHERE id = :p
                              UNION ALL SELECT processed_audio_path FROM public.projects WHERE id = :p
                              UNION ALL SELECT audio_file_path FROM public.project_versions WHERE project_id = :p
                              UNION ALL SELECT input_audio_path FROM public.ai_transformations WHERE id = :t
                              UNION ALL SELECT output_audio_path FROM public.ai_transformations WHERE id = :t
                              UNION ALL SELECT output_midi_path FROM public.ai_transformations WHERE id = :t
                              UNION ALL SELECT v.value FROM public.jobs j, jsonb_each_text(j.result) v
                                        WHERE j.project_id = :p AND (v.key = 'key' OR v.key LIKE '%\\_path')
                            ) keys WHERE k IS NOT NULL""")
                    .bind("p", project).bind("t", transformation).mapTo(String.class).list());
            return keys;
        });
    }

    private static void fieldsNamingStoredObjects(JsonNode node, String at, List<String> leaks, String answer) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().endsWith("_path") || field.getKey().endsWith("_key")) {
                    leaks.add(answer + " has the field " + at + "." + field.getKey());
                }
                fieldsNamingStoredObjects(field.getValue(), at + "." + field.getKey(), leaks, answer);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                fieldsNamingStoredObjects(node.get(i), at + "[" + i + "]", leaks, answer);
            }
        }
    }

    private static JsonNode awaitTransformation(Musician who, String id) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = server.http().get("/api/v1/transformations/" + id, who.token()).json();
            if (!last.path("status").asText().matches("pending|processing")) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("transformation did not finish: " + last);
    }
}
