package studio.nexus.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import studio.nexus.db.Identity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * For each project endpoint and each kind of caller — owner, accepted viewer, editor and collaborator-admin,
 * pending invitee, stranger, anonymous — the status code, on a private and on a public project. A fresh pair of
 * projects per row, so destructive endpoints don't disturb the next row. The second test does the same for every
 * other route that takes an id (studio, jobs, transformations, invitations, sessions, presets, administration),
 * with a collaborator of another project as one more outsider: no outsider ever succeeds, and a refusal leaves
 * what it refused undone.
 */
class ProjectAccessMatrixIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    // builds ~400 projects with collaborators as one owner within a minute or two: far past any human's write rate
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database)
            .with("STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", "0");

    static Musician owner, viewer, editor, admin, invitee, stranger, target, elsewhere;
    static final String[] CALLERS = {"owner", "viewer", "editor", "admin", "invitee", "stranger", "anonymous"};
    /** The callers of every id-taking route: those above and a collaborator of another of the owner's projects. */
    static final String[] EVERYONE = {"owner", "viewer", "editor", "admin", "invitee", "elsewhere", "stranger",
            "anonymous"};

    @BeforeAll
    static void cast() {
        // enterprise: the owner's uploads, exports and transformations of the whole matrix never hit a limit
        owner = Musicians.named("owner").enterprise().signedIn(server);
        viewer = Musicians.signedIn(server, "viewer");
        editor = Musicians.signedIn(server, "editor");
        admin = Musicians.signedIn(server, "collab_admin");
        invitee = Musicians.signedIn(server, "invitee");
        stranger = Musicians.signedIn(server, "stranger");
        target = Musicians.signedIn(server, "target");
        elsewhere = Musicians.signedIn(server, "elsewhere");
        UUID other = TestProjects.project(server, owner, "Another song");
        TestProjects.collaborate(server, owner, other, elsewhere, "editor");
    }

    private static String token(String caller) {
        return switch (caller) {
            case "owner" -> owner.token();
            case "viewer" -> viewer.token();
            case "editor" -> editor.token();
            case "admin" -> admin.token();
            case "invitee" -> invitee.token();
            case "stranger" -> stranger.token();
            case "elsewhere" -> elsewhere.token();
            default -> null;
        };
    }

    /** A project with one of each kind of collaborator, one version, and target invited as viewer (pending). */
    private static String project(boolean isPublic) {
        String id = TestProjects.project(server, owner, Map.of("title", "Matrix", "is_public", isPublic)).toString();
        for (var member : List.of(Map.entry(viewer, "viewer"), Map.entry(editor, "editor"), Map.entry(admin, "admin"),
                Map.entry(invitee, "viewer"), Map.entry(target, "viewer"))) {
            String invitation = server.http().post("/api/v1/projects/" + id + "/collaborators", owner.token(),
                    Map.of("username", member.getKey().username(), "role", member.getValue())).json().path("id").asText();
            if (member.getKey() != invitee && member.getKey() != target) {
                assertThat(server.http().post("/api/v1/invitations/" + invitation + "/accept", member.getKey().token(), null)
                        .status()).isEqualTo(204);
            }
        }
        server.http().post("/api/v1/projects/" + id + "/versions", owner.token(), Map.of("title", "first"));
        return id;
    }

    record Row(String endpoint, Function<String[], Http.Response> call, int[] privateCodes, int[] publicCodes) {}

    private static int[] codes(int... codes) {
        return codes;
    }

    @Test
    void everyEndpointAnswersEachCallerAsCollaborationRulesSay() {
        // callers:                       owner viewer editor admin invitee stranger anon
        List<Row> rows = List.of(
                new Row("GET project", a -> server.http().get("/api/v1/projects/" + a[0], a[1]),
                        codes(200, 200, 200, 200, 404, 404, 404), codes(200, 200, 200, 200, 200, 200, 200)),
                new Row("PATCH title", a -> server.http().patch("/api/v1/projects/" + a[0], a[1], Map.of("title", "New")),
                        codes(200, 403, 200, 200, 404, 404, 401), codes(200, 403, 200, 200, 403, 403, 401)),
                new Row("PATCH visibility", a -> server.http().patch("/api/v1/projects/" + a[0], a[1],
                        Map.of("is_public", !Boolean.parseBoolean(a[2]))),
                        codes(200, 403, 403, 403, 404, 404, 401), codes(200, 403, 403, 403, 403, 403, 401)),
                new Row("DELETE project", a -> server.http().delete("/api/v1/projects/" + a[0], a[1]),
                        codes(204, 403, 403, 403, 404, 404, 401), codes(204, 403, 403, 403, 403, 403, 401)),
                new Row("GET versions", a -> server.http().get("/api/v1/projects/" + a[0] + "/versions", a[1]),
                        codes(200, 200, 200, 200, 404, 404, 404), codes(200, 200, 200, 200, 200, 200, 200)),
                new Row("GET version 1", a -> server.http().get("/api/v1/projects/" + a[0] + "/versions/1", a[1]),
                        codes(200, 200, 200, 200, 404, 404, 404), codes(200, 200, 200, 200, 200, 200, 200)),
                new Row("POST version", a -> server.http().post("/api/v1/projects/" + a[0] + "/versions", a[1], Map.of("title", "v")),
                        codes(201, 403, 201, 201, 404, 404, 401), codes(201, 403, 201, 201, 403, 403, 401)),
                new Row("POST restore", a -> server.http().post("/api/v1/projects/" + a[0] + "/versions/1/restore", a[1], null),
                        codes(201, 403, 201, 201, 404, 404, 401), codes(201, 403, 201, 201, 403, 403, 401)),
                new Row("DELETE version", a -> server.http().delete("/api/v1/projects/" + a[0] + "/versions/1", a[1]),
                        codes(204, 403, 204, 204, 404, 404, 401), codes(204, 403, 204, 204, 403, 403, 401)),
                new Row("GET collaborators", a -> server.http().get("/api/v1/projects/" + a[0] + "/collaborators", a[1]),
                        codes(200, 200, 200, 200, 404, 404, 401), codes(200, 200, 200, 200, 403, 403, 401)),
                new Row("POST collaborator", a -> server.http().post("/api/v1/projects/" + a[0] + "/collaborators", a[1],
                        Map.of("username", "stranger_x", "role", "viewer")),
                        codes(404, 404, 404, 404, 404, 404, 401), codes(404, 404, 404, 404, 404, 404, 401)),
                new Row("PATCH collaborator role", a -> server.http().patch("/api/v1/projects/" + a[0] + "/collaborators/"
                        + target.id(), a[1], Map.of("role", "editor")),
                        codes(200, 403, 403, 200, 404, 404, 401), codes(200, 403, 403, 200, 403, 403, 401)),
                new Row("DELETE collaborator", a -> server.http().delete("/api/v1/projects/" + a[0] + "/collaborators/"
                        + target.id(), a[1]),
                        codes(204, 403, 403, 204, 404, 404, 401), codes(204, 403, 403, 204, 403, 403, 401)),
                new Row("PUT like", a -> server.http().put("/api/v1/projects/" + a[0] + "/like", a[1], null),
                        codes(200, 200, 200, 200, 404, 404, 401), codes(200, 200, 200, 200, 200, 200, 401)),
                new Row("POST play", a -> server.http().post("/api/v1/projects/" + a[0] + "/plays", a[1], null),
                        codes(200, 200, 200, 200, 404, 404, 404), codes(200, 200, 200, 200, 200, 200, 200)),
                new Row("POST transfer (an offer)", a -> server.http().post("/api/v1/projects/" + a[0] + "/transfer", a[1],
                        Map.of("username", "target")),
                        codes(201, 403, 403, 403, 404, 404, 401), codes(201, 403, 403, 403, 403, 403, 401)));
        List<String> unexpected = new ArrayList<>();
        for (Row row : rows) {
            for (boolean isPublic : new boolean[] {false, true}) {
                int[] expected = isPublic ? row.publicCodes() : row.privateCodes();
                for (int c = 0; c < CALLERS.length; c++) {
                    String id = project(isPublic);
                    Http.Response response = row.call().apply(new String[] {id, token(CALLERS[c]), Boolean.toString(isPublic)});
                    if (response.status() != expected[c]) {
                        unexpected.add(String.format("%s on a %s project as %s: expected %d, got %s", row.endpoint(),
                                isPublic ? "public" : "private", CALLERS[c], expected[c], response));
                    }
                    if (response.status() >= 400) {
                        assertThat(response.contentType()).startsWith("application/problem+json");
                    }
                }
            }
        }
        assertThat(unexpected).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Every other id-taking route: audio, waveform, effects, renders, exports, jobs (status, events, cancel),
    // transformations, metronome, likes, invitations, sessions, presets and the admin routes.
    // ---------------------------------------------------------------------------------------------------------------

    /** What the routes below can name, built once per visibility; routes that use something up make their own. */
    record World(boolean isPublic, UUID project, UUID exportJob, UUID renderJob, UUID transformation, UUID preset) {}

    record Route(String name, BiFunction<World, String, Http.Response> call, int[] privateCodes, int[] publicCodes) {}


    /** Stores a file as a worker would: the bytes, then the object charged to the owner (V83). */
    private static void store(String key, UUID project) {
        try {
            Path file = Files.createTempFile("matrix", ".wav");
            Files.write(file, TestAudio.wav(8_000, 1, 0.5));
            server.app().features().storage().putFile(key, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        database.db().asSystem(handle -> studio.nexus.usage.Usage.chargeStorage(handle, key, TestAudio.wav(8_000, 1, 0.5).length, owner.id(),
                project, false, studio.nexus.usage.Usage.AudioFacts.NONE));
    }

    private static UUID projectWithAudio(boolean isPublic) {
        UUID project = UUID.fromString(project(isPublic));
        Http.Response uploaded = TestProjects.upload(server, owner, project, TestAudio.wav(8_000, 1, 0.5));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        return project;
    }

    private static UUID job(UUID project, String kind, String status, String resultJson) {
        return database.one(UUID.class, """
                        INSERT INTO public.jobs (kind, user_id, project_id, status, result, started_at, finished_at)
                        VALUES (:kind, :owner, :project, :status, CAST(:result AS jsonb),
                                CASE WHEN :status <> 'queued' THEN now() END,
                                CASE WHEN :status = 'succeeded' THEN now() END)
                        RETURNING id""",
                TestDatabase.params("kind", kind, "owner", owner.id(), "project", project, "status", status,
                        "result", resultJson));
    }

    /** A transformation the owner asked for, queued (no worker runs in this test). */
    private static UUID transformation(UUID project) {
        return database.db().as(Identity.user(owner.id(), UUID.randomUUID()), handle -> handle.createQuery("""
                        SELECT transformation_id FROM public.request_transformation(:project, NULL, 'jazz', '{}',
                                                                                    'local', 3)""")
                .bind("project", project).mapTo(UUID.class).one());
    }

    private static UUID preset(boolean isPublic) {
        return database.one(UUID.class, """
                        INSERT INTO public.effects_presets (user_id, name, effects_chain, is_public)
                        VALUES (:owner, 'Owner''s chain', '[]', :public) RETURNING id""",
                TestDatabase.params("owner", owner.id(), "public", isPublic));
    }

    private static World world(boolean isPublic) {
        UUID project = projectWithAudio(isPublic);
        // what workers would have left: processed audio, a finished export and render, a completed transformation
        String processed = studio.nexus.storage.StorageKeys.projectAudio(project, "processed", "wav");
        String exported = studio.nexus.storage.StorageKeys.projectAudio(project, "export", "wav");
        store(processed, project);
        store(exported, project);
        database.update("UPDATE public.projects SET processed_audio_path = :key WHERE id = :id",
                TestDatabase.params("key", processed, "id", project));
        UUID exportJob = job(project, "export", "succeeded", "{\"key\": \"" + exported + "\", \"format\": \"wav\"}");
        UUID renderJob = job(project, "render", "succeeded", "{}");
        UUID transformation = transformation(project);
        String audio = studio.nexus.storage.StorageKeys.transformationFile(transformation, "output", "wav");
        String midi = studio.nexus.storage.StorageKeys.transformationFile(transformation, "output", "mid");
        store(audio, project);
        store(midi, project);
        database.update("""
                        UPDATE public.jobs SET status = 'succeeded', started_at = now(), finished_at = now(),
                               result = jsonb_build_object('output_audio_path', :audio, 'output_midi_path', :midi)
                         WHERE id = (SELECT job_id FROM public.ai_transformations WHERE id = :t)""",
                TestDatabase.params("audio", audio, "midi", midi, "t", transformation));
        return new World(isPublic, project, exportJob, renderJob, transformation, preset(isPublic));
    }

    private static UUID invitationOfInvitee(boolean isPublic) {
        UUID project = TestProjects.project(server, owner, Map.of("title", "Invite", "is_public", isPublic));
        return UUID.fromString(server.http().post("/api/v1/projects/" + project + "/collaborators", owner.token(),
                Map.of("username", invitee.username(), "role", "viewer")).json().path("id").asText());
    }

    private static UUID ownersSession() {
        UUID session = UUID.randomUUID();
        database.update("""
                INSERT INTO public.user_sessions (id, user_id, session_token) VALUES (:id, :user, :token)""",
                TestDatabase.params("id", session, "user", owner.id(), "token", "matrix-" + session));
        return session;
    }

    /** Refusals that still did what was refused (V40's cancel_job answered 404 after cancelling). */
    static final List<String> REFUSED_YET_DONE = new ArrayList<>();

    /** {@code response}; when it is a refusal, {@code unchanged} (asked as the system) must still hold. */
    private static Http.Response refusedChangesNothing(String what, Http.Response response,
                                                       java.util.function.BooleanSupplier unchanged) {
        if (response.status() >= 400 && !unchanged.getAsBoolean()) {
            REFUSED_YET_DONE.add(what + " answered " + response.status() + " but was done");
        }
        return response;
    }

    private static String systemText(String sql, UUID id) {
        return database.db().asSystem(handle -> handle.createQuery(sql).bind("id", id).mapTo(String.class)
                .findOne().orElse("gone"));
    }

    /** A fresh open offer of the world's project from its owner to target (an earlier open one withdrawn). */
    private static UUID offer(World w) {
        return database.db().asSystem(handle -> {
            handle.createUpdate("""
                    UPDATE public.project_transfer_offers SET status = 'withdrawn', answered_at = now()
                     WHERE project_id = :p AND status = 'pending'""").bind("p", w.project()).execute();
            return handle.createQuery("""
                            INSERT INTO public.project_transfer_offers (project_id, from_user_id, to_user_id)
                            VALUES (:p, :owner, :target) RETURNING id""")
                    .bind("p", w.project()).bind("owner", owner.id()).bind("target", target.id())
                    .mapTo(UUID.class).one();
        });
    }

    private static boolean offerIsOpen(UUID offer) {
        return systemText("SELECT status FROM public.project_transfer_offers WHERE id = :id", offer).equals("pending");
    }

    private static Http.Response answerOffer(World w, String token, String answer) {
        UUID offer = offer(w);
        return refusedChangesNothing(answer + " transfer offer",
                server.http().post("/api/v1/transfer-offers/" + offer + "/" + answer, token, null), () -> offerIsOpen(offer));
    }

    private static String p(World w) {
        return "/api/v1/projects/" + w.project();
    }

    @Test
    void everyIdTakingRouteAnswersEachCallerAsTheRulesSayAndOutsidersNeverSucceed() {
        // callers:     owner viewer editor admin invitee elsewhere stranger anonymous
        int[] members = codes(200, 200, 200, 200, 404, 404, 404, 404);
        int[] everyone = codes(200, 200, 200, 200, 200, 200, 200, 200);
        int[] requesterOnly = codes(200, 404, 404, 404, 404, 404, 404, 401);
        int[] adminsOnly = codes(403, 403, 403, 403, 403, 403, 403, 401);
        List<Route> routes = List.of(
                new Route("GET original audio", (w, t) -> server.http().get(p(w) + "/audio/original", t), members, everyone),
                new Route("GET processed audio", (w, t) -> server.http().get(p(w) + "/audio/processed", t), members, everyone),
                new Route("GET waveform", (w, t) -> server.http().get(p(w) + "/waveform", t), members, everyone),
                new Route("GET metronome", (w, t) -> server.http().get(p(w) + "/metronome", t), members, everyone),
                new Route("PUT effects", (w, t) -> server.http().put(p(w) + "/effects", t, Map.of("chain", List.of())),
                        codes(200, 403, 200, 200, 404, 404, 404, 401), codes(200, 403, 200, 200, 403, 403, 403, 401)),
                new Route("PUT audio", (w, t) -> server.http().raw("PUT", p(w) + "/audio", t, "audio/wav", TestAudio.wav(8_000, 1, 0.5)),
                        codes(201, 403, 201, 201, 404, 404, 404, 401), codes(201, 403, 201, 201, 403, 403, 403, 401)),
                new Route("DELETE audio", (w, t) -> {
                    UUID project = projectWithAudio(w.isPublic());
                    return refusedChangesNothing("remove audio", server.http().delete("/api/v1/projects/" + project
                            + "/audio", t), () -> !systemText("SELECT coalesce(original_audio_path, 'none') FROM "
                            + "public.projects WHERE id = :id", project).equals("none"));
                },
                        codes(204, 403, 204, 204, 404, 404, 404, 401), codes(204, 403, 204, 204, 403, 403, 403, 401)),
                new Route("POST render", (w, t) -> server.http().post(p(w) + "/render", t, "{}"),
                        codes(202, 403, 202, 202, 404, 404, 404, 401), codes(202, 403, 202, 202, 403, 403, 403, 401)),
                new Route("POST export", (w, t) -> server.http().post(p(w) + "/exports", t, Map.of("format", "wav16")),
                        codes(202, 403, 202, 202, 404, 404, 404, 401), codes(202, 403, 202, 202, 403, 403, 403, 401)),
                new Route("GET export file", (w, t) -> server.http().get(p(w) + "/exports/" + w.exportJob() + "/file", t),
                        members, members),
                new Route("GET job", (w, t) -> server.http().get("/api/v1/jobs/" + w.exportJob(), t), members, members),
                new Route("GET job events", (w, t) -> server.http().get("/api/v1/jobs/" + w.renderJob() + "/events", t),
                        members, members),
                new Route("POST cancel of a queued job", (w, t) -> {
                    UUID job = job(w.project(), "render", "queued", null);
                    return refusedChangesNothing("cancel job", server.http().post("/api/v1/jobs/" + job + "/cancel", t, null),
                            () -> systemText("SELECT status || cancel_requested FROM public.jobs WHERE id = :id", job)
                                    .equals("queuedfalse"));
                },
                        codes(202, 403, 403, 202, 404, 404, 404, 404), codes(202, 403, 403, 202, 404, 404, 404, 404)),
                new Route("POST cancel of a finished job", (w, t) -> server.http().post("/api/v1/jobs/" + w.renderJob()
                        + "/cancel", t, null),
                        codes(409, 403, 403, 409, 404, 404, 404, 404), codes(409, 403, 403, 409, 404, 404, 404, 404)),
                new Route("POST transformation", (w, t) -> server.http().post(p(w) + "/transformations", t,
                        Map.of("transformation_type", "jazz")),
                        codes(202, 403, 202, 202, 404, 404, 404, 401), codes(202, 403, 202, 202, 403, 403, 403, 401)),
                new Route("GET project's transformations", (w, t) -> server.http().get(p(w) + "/transformations", t),
                        codes(200, 200, 200, 200, 404, 404, 404, 401), codes(200, 200, 200, 200, 404, 404, 404, 401)),
                new Route("GET transformation", (w, t) -> server.http().get("/api/v1/transformations/" + w.transformation(), t),
                        requesterOnly, requesterOnly),
                new Route("GET transformation events", (w, t) -> server.http().get("/api/v1/transformations/"
                        + w.transformation() + "/events", t), requesterOnly, requesterOnly),
                new Route("GET transformation audio", (w, t) -> server.http().get("/api/v1/transformations/"
                        + w.transformation() + "/audio", t), requesterOnly, requesterOnly),
                new Route("GET transformation MIDI", (w, t) -> server.http().get("/api/v1/transformations/"
                        + w.transformation() + "/midi", t), requesterOnly, requesterOnly),
                new Route("PUT transformation rating", (w, t) -> server.http().put("/api/v1/transformations/"
                        + w.transformation() + "/rating", t, Map.of("user_rating", 4)), requesterOnly, requesterOnly),
                new Route("POST transformation cancel", (w, t) -> {
                    UUID transformation = transformation(w.project());
                    return refusedChangesNothing("cancel transformation", server.http().post("/api/v1/transformations/"
                            + transformation + "/cancel", t, null), () -> systemText(
                            "SELECT status FROM public.ai_transformations WHERE id = :id", transformation)
                            .equals("pending"));
                },
                        codes(202, 404, 404, 404, 404, 404, 404, 401), codes(202, 404, 404, 404, 404, 404, 404, 401)),
                new Route("POST accept invitation", (w, t) -> {
                    UUID invitation = invitationOfInvitee(w.isPublic());
                    return refusedChangesNothing("accept invitation", server.http().post("/api/v1/invitations/" + invitation
                            + "/accept", t, null), () -> systemText(
                            "SELECT status FROM public.project_collaborators WHERE id = :id", invitation).equals("pending"));
                },
                        codes(404, 404, 404, 404, 204, 404, 404, 401), codes(404, 404, 404, 404, 204, 404, 404, 401)),
                new Route("POST decline invitation", (w, t) -> {
                    UUID invitation = invitationOfInvitee(w.isPublic());
                    return refusedChangesNothing("decline invitation", server.http().post("/api/v1/invitations/" + invitation
                            + "/decline", t, null), () -> systemText(
                            "SELECT status FROM public.project_collaborators WHERE id = :id", invitation).equals("pending"));
                },
                        codes(404, 404, 404, 404, 204, 404, 404, 401), codes(404, 404, 404, 404, 204, 404, 404, 401)),
                new Route("DELETE like", (w, t) -> server.http().delete(p(w) + "/like", t),
                        codes(200, 200, 200, 200, 404, 404, 404, 401), codes(200, 200, 200, 200, 200, 200, 200, 401)),
                new Route("DELETE session", (w, t) -> {
                    UUID session = ownersSession();
                    return refusedChangesNothing("revoke session", server.http().delete("/api/v1/auth/sessions/" + session, t),
                            () -> systemText("SELECT coalesce(revoked_at::text, 'live') FROM public.user_sessions "
                                    + "WHERE id = :id", session).equals("live"));
                },
                        codes(204, 404, 404, 404, 404, 404, 404, 401), codes(204, 404, 404, 404, 404, 404, 404, 401)),
                new Route("GET preset", (w, t) -> server.http().get("/api/v1/effects-presets/" + w.preset(), t),
                        codes(200, 404, 404, 404, 404, 404, 404, 404), everyone),
                new Route("PATCH preset", (w, t) -> server.http().patch("/api/v1/effects-presets/" + w.preset(), t,
                        Map.of("name", "Renamed")),
                        codes(200, 404, 404, 404, 404, 404, 404, 401), codes(200, 403, 403, 403, 403, 403, 403, 401)),
                new Route("DELETE preset", (w, t) -> {
                    UUID preset = preset(w.isPublic());
                    return refusedChangesNothing("delete preset", server.http().delete("/api/v1/effects-presets/" + preset, t),
                            () -> !systemText("SELECT name FROM public.effects_presets WHERE id = :id", preset)
                                    .equals("gone"));
                },
                        codes(204, 404, 404, 404, 404, 404, 404, 401), codes(204, 403, 403, 403, 403, 403, 403, 401)),
                new Route("PUT preset rating", (w, t) -> server.http().put("/api/v1/effects-presets/" + w.preset() + "/rating",
                        t, Map.of("rating", 4)),
                        codes(200, 404, 404, 404, 404, 404, 404, 401), codes(200, 200, 200, 200, 200, 200, 200, 401)),
                new Route("POST preset apply", (w, t) -> server.http().post("/api/v1/effects-presets/" + w.preset() + "/apply",
                        t, Map.of("project_id", w.project().toString())),
                        codes(200, 404, 404, 404, 404, 404, 404, 401), codes(200, 403, 200, 200, 403, 403, 403, 401)),
                new Route("PUT featured (admin)", (w, t) -> server.http().put("/api/v1/admin/projects/" + w.project()
                        + "/featured", t, Map.of("is_featured", true)), adminsOnly, adminsOnly),
                new Route("GET a user's usage (admin)", (w, t) -> server.http().get("/api/v1/admin/users/" + owner.id()
                        + "/usage", t), adminsOnly, adminsOnly),
                new Route("PUT administrator (admin)", (w, t) -> server.http().put("/api/v1/admin/admins/" + stranger.id(), t,
                        null), adminsOnly, adminsOnly),
                new Route("DELETE administrator (admin)", (w, t) -> server.http().delete("/api/v1/admin/admins/" + owner.id(),
                        t), adminsOnly, adminsOnly),
                new Route("PUT subscription (admin)", (w, t) -> server.http().put("/api/v1/admin/users/" + stranger.id()
                        + "/subscription", t, Map.of("subscription_tier", "enterprise")), adminsOnly, adminsOnly),
                new Route("PATCH AI preset (admin)", (w, t) -> server.http().patch("/api/v1/admin/ai-presets/"
                        + database.one(UUID.class, "SELECT id FROM public.ai_model_presets ORDER BY name LIMIT 1"),
                        t, Map.of("name", "Hijacked")), adminsOnly, adminsOnly),
                new Route("PATCH effects preset (admin)", (w, t) -> server.http().patch("/api/v1/admin/effects-presets/"
                        + w.preset(), t, Map.of("name", "Hijacked")), adminsOnly, adminsOnly),
                new Route("PUT limit (admin)", (w, t) -> server.http().put("/api/v1/admin/limits/free/exports", t,
                        Map.of("limit_value", 1000, "limit_unit", "count", "reset_period", "monthly")),
                        adminsOnly, adminsOnly),
                new Route("PATCH error report (admin)", (w, t) -> server.http().patch("/api/v1/admin/errors/"
                        + UUID.randomUUID(), t, Map.of("resolved", true)), adminsOnly, adminsOnly),
                // an open offer of the project to target: only its two parties see it, only target answers it
                new Route("GET transfer offer", (w, t) -> server.http().get("/api/v1/transfer-offers/" + offer(w), t),
                        codes(200, 404, 404, 404, 404, 404, 404, 401), codes(200, 404, 404, 404, 404, 404, 404, 401)),
                new Route("POST accept transfer offer", (w, t) -> answerOffer(w, t, "accept"),
                        codes(403, 404, 404, 404, 404, 404, 404, 401), codes(403, 404, 404, 404, 404, 404, 404, 401)),
                new Route("POST decline transfer offer", (w, t) -> answerOffer(w, t, "decline"),
                        codes(403, 404, 404, 404, 404, 404, 404, 401), codes(403, 404, 404, 404, 404, 404, 404, 401)),
                new Route("DELETE transfer offer", (w, t) -> {
                    UUID offer = offer(w);
                    return refusedChangesNothing("withdraw transfer offer",
                            server.http().delete("/api/v1/transfer-offers/" + offer, t), () -> offerIsOpen(offer));
                },
                        codes(204, 404, 404, 404, 404, 404, 404, 401), codes(204, 404, 404, 404, 404, 404, 404, 401)),
                // last: keeping replaces the project's audio
                new Route("POST transformation keep", (w, t) -> server.http().post("/api/v1/transformations/"
                        + w.transformation() + "/keep", t, null),
                        codes(201, 404, 404, 404, 404, 404, 404, 401), codes(201, 404, 404, 404, 404, 404, 404, 401)));
        Map<Boolean, World> worlds = new LinkedHashMap<>();
        worlds.put(false, world(false));
        worlds.put(true, world(true));
        List<String> unexpected = new ArrayList<>();
        List<String> outsiderSuccesses = new ArrayList<>();
        for (Route route : routes) {
            for (World w : worlds.values()) {
                int[] expected = w.isPublic() ? route.publicCodes() : route.privateCodes();
                // the owner last, so that what they use up (a keep) comes after everyone else's try
                for (int c : new int[] {1, 2, 3, 4, 5, 6, 7, 0}) {
                    Http.Response response = route.call().apply(w, token(EVERYONE[c]));
                    String what = String.format("%s on a %s project as %s: expected %d, got %s", route.name(),
                            w.isPublic() ? "public" : "private", EVERYONE[c], expected[c], response);
                    if (response.status() != expected[c]) {
                        unexpected.add(what);
                    }
                    if (response.status() < 400 && expected[c] >= 400) {
                        outsiderSuccesses.add(what);
                    }
                    if (response.status() >= 400) {
                        assertThat(response.contentType()).as(what).startsWith("application/problem+json");
                    }
                }
            }
        }
        assertThat(outsiderSuccesses).as("unexpected successes").isEmpty();
        assertThat(REFUSED_YET_DONE).as("refusals that still did it").isEmpty();
        assertThat(unexpected).isEmpty();
    }
}
