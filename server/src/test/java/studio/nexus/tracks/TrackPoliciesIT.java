package studio.nexus.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.db.Identity;
import studio.nexus.db.SqlStates;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.usage.Usage;

/**
 * The policies of V85 on their own, as each caller meets them in SQL (not through the API, whose early checks would
 * hide a policy that lets too much through): who sees, adds, changes and removes tracks and clips of a private and a
 * public project, and what no caller may do at all (move a track to another project, point a clip at another
 * project's audio).
 */
class TrackPoliciesIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(4);

    static final List<String> CALLERS = List.of("owner", "editor", "admin", "viewer", "stranger", "anonymous");
    static Musician owner, editor, admin, viewer, stranger;
    static UUID privateSong, publicSong;

    @BeforeAll
    static void cast() {
        owner = Musicians.named("owner").inDatabase(database);
        editor = Musicians.named("editor").inDatabase(database);
        admin = Musicians.named("collab_admin").inDatabase(database);
        viewer = Musicians.named("viewer").inDatabase(database);
        stranger = Musicians.named("stranger").inDatabase(database);
        privateSong = song(false);
        publicSong = song(true);
    }

    private static UUID song(boolean isPublic) {
        UUID project = UUID.randomUUID();
        database.insert("public.projects", Map.of("id", project, "user_id", owner.id(), "title", "Song",
                "is_public", isPublic));
        for (var member : List.of(Map.entry(editor, "editor"), Map.entry(admin, "admin"), Map.entry(viewer, "viewer"))) {
            database.insert("public.project_collaborators", Map.of("project_id", project, "user_id",
                    member.getKey().id(), "invited_by", owner.id(), "role", member.getValue(), "status", "accepted"));
        }
        database.db().asSystem(handle -> Usage.chargeStorage(handle, take(project), 1000, owner.id(), project, false,
                Usage.AudioFacts.NONE));
        database.insert("public.project_takes", Map.of("key", take(project), "project_id", project, "name", "Take 1"));
        track(project);
        return project;
    }

    private static String take(UUID project) {
        return "projects/" + project + "/original-take.wav";
    }

    /** A track made by the system, at the next free position. */
    private static UUID track(UUID project) {
        return database.one(UUID.class, """
                INSERT INTO public.project_tracks (project_id, name, position)
                VALUES (:p, 'Made', (SELECT coalesce(max(position) + 1, 0) FROM public.project_tracks
                                     WHERE project_id = :p))
                RETURNING id""", Map.of("p", project));
    }

    /** A clip made by the system on a new track. */
    private static UUID clip(UUID project) {
        return database.one(UUID.class, """
                INSERT INTO public.track_clips (track_id, project_id, take_key, start_frame, length_frames)
                VALUES (:t, :p, :key, 0, 100) RETURNING id""",
                Map.of("t", track(project), "p", project, "key", take(project)));
    }

    private static Identity identity(String caller) {
        return switch (caller) {
            case "owner" -> owner.identity();
            case "editor" -> editor.identity();
            case "admin" -> admin.identity();
            case "viewer" -> viewer.identity();
            case "stranger" -> stranger.identity();
            default -> Identity.anonymous();
        };
    }

    /** Rows the statement touched (or counted) as the caller, or the SQLSTATE that refused it. */
    private static String attempt(String caller, String sql, Map<String, ?> binds) {
        try {
            Long rows = database.db().as(identity(caller), handle -> {
                var query = handle.createQuery(sql);
                binds.forEach(query::bind);
                return query.mapTo(Long.class).one();
            });
            return String.valueOf(rows);
        } catch (RuntimeException e) {
            String state = SqlStates.of(e);
            if (state == null) {
                throw e;
            }
            return state;
        }
    }

    private Map<String, String> everyone(java.util.function.Function<String, String> call) {
        Map<String, String> answers = new LinkedHashMap<>();
        CALLERS.forEach(caller -> answers.put(caller, call.apply(caller)));
        return answers;
    }

    private static Map<String, String> expected(String... answers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < answers.length; i++) {
            map.put(CALLERS.get(i), answers[i]);
        }
        return map;
    }

    @Test
    void whoeverSeesTheProjectSeesItsTracksAndClips() {
        String tracks = "SELECT count(*) FROM public.project_tracks WHERE project_id = :p";
        String clips = "SELECT count(*) FROM public.track_clips WHERE project_id = :p";
        for (UUID project : List.of(privateSong, publicSong)) {
            clip(project);
            String all = database.one(Long.class, tracks, Map.of("p", project)) + "/"
                    + database.one(Long.class, clips, Map.of("p", project));
            String outsiders = project == publicSong ? all : "0/0";
            assertThat(everyone(c -> attempt(c, tracks, Map.of("p", project)) + "/"
                    + attempt(c, clips, Map.of("p", project))))
                    .as("project " + (project == publicSong ? "public" : "private"))
                    .isEqualTo(expected(all, all, all, all, outsiders, outsiders));
        }
    }

    @Test
    void onlyTheOwnerEditorsAndAdminCollaboratorsAddTracks() {
        for (UUID project : List.of(privateSong, publicSong)) {
            int[] position = {100};
            assertThat(everyone(c -> attempt(c, """
                    WITH made AS (INSERT INTO public.project_tracks (project_id, name, position)
                                  VALUES (:p, 'Mine', :pos) RETURNING 1)
                    SELECT count(*) FROM made""", Map.of("p", project, "pos", position[0]++))))
                    .as("project " + (project == publicSong ? "public" : "private"))
                    .isEqualTo(expected("1", "1", "1", "42501", "42501", "42501"));
        }
    }

    @Test
    void onlyTheOwnerEditorsAndAdminCollaboratorsChangeAndRemoveTracksAndClips() {
        for (UUID project : List.of(privateSong, publicSong)) {
            UUID track = track(project);
            assertThat(everyone(c -> attempt(c, """
                    WITH changed AS (UPDATE public.project_tracks SET muted = NOT muted WHERE id = :t RETURNING 1)
                    SELECT count(*) FROM changed""", Map.of("t", track))))
                    .isEqualTo(expected("1", "1", "1", "0", "0", "42501"));
            assertThat(everyone(c -> attempt(c, """
                    WITH changed AS (UPDATE public.track_clips SET start_frame = start_frame + 1 WHERE id = :c
                                     RETURNING 1)
                    SELECT count(*) FROM changed""", Map.of("c", clip(project)))))
                    .isEqualTo(expected("1", "1", "1", "0", "0", "42501"));
            assertThat(everyone(c -> attempt(c, """
                    WITH gone AS (DELETE FROM public.track_clips WHERE id = :c RETURNING 1)
                    SELECT count(*) FROM gone""", Map.of("c", clip(project)))))
                    .isEqualTo(expected("1", "1", "1", "0", "0", "42501"));
            assertThat(everyone(c -> attempt(c, """
                    WITH gone AS (DELETE FROM public.project_tracks WHERE id = :t RETURNING 1)
                    SELECT count(*) FROM gone""", Map.of("t", track(project)))))
                    .isEqualTo(expected("1", "1", "1", "0", "0", "42501"));
        }
    }

    @Test
    void noCallerMovesATrackAwayOrPointsAClipAtAnotherProjectsAudio() {
        UUID track = track(privateSong);
        UUID mine = UUID.randomUUID();
        database.insert("public.projects", Map.of("id", mine, "user_id", editor.id(), "title", "Editor's own"));
        assertThat(attempt("editor", """
                WITH moved AS (UPDATE public.project_tracks SET project_id = :mine WHERE id = :t RETURNING 1)
                SELECT count(*) FROM moved""", Map.of("mine", mine, "t", track))).isEqualTo("42501");
        UUID ownTrack = database.one(UUID.class, """
                INSERT INTO public.project_tracks (project_id, name, position) VALUES (:p, 'T', 0) RETURNING id""",
                Map.of("p", mine));
        // the owner's take, named from the editor's own project: its key is not under that project
        assertThat(attempt("editor", """
                WITH made AS (INSERT INTO public.track_clips (track_id, project_id, take_key, start_frame,
                                                              length_frames)
                              VALUES (:t, :p, :key, 0, 10) RETURNING 1)
                SELECT count(*) FROM made""", Map.of("t", ownTrack, "p", mine, "key", take(privateSong))))
                .isEqualTo(SqlStates.CHECK_VIOLATION);
        // a clip's take changes only with the project's take (follow_project_take), never by a caller
        assertThat(attempt("owner", """
                WITH changed AS (UPDATE public.track_clips SET take_key = take_key WHERE id = :c RETURNING 1)
                SELECT count(*) FROM changed""", Map.of("c", clip(privateSong)))).isEqualTo("42501");
    }
}
