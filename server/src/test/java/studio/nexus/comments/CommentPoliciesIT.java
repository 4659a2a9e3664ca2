package studio.nexus.comments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.db.Identity;
import studio.nexus.testing.Attempt;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.ProjectCast;
import studio.nexus.testing.TestDatabase;

/**
 * V95's policies, guards and grants on their own, in SQL as each caller (the API's early checks would hide a policy
 * that lets too much through): who may insert, which columns each may change, and that nobody writes notifications
 * or reads someone else's.
 */
class CommentPoliciesIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(4);

    static Musician owner, editor, admin, viewer, stranger;
    static UUID privateSong, openSong, closedSong;

    @BeforeAll
    static void cast() {
        owner = Musicians.named("owner").inDatabase(database);
        editor = Musicians.named("editor").inDatabase(database);
        admin = Musicians.named("collab_admin").inDatabase(database);
        viewer = Musicians.named("viewer").inDatabase(database);
        stranger = Musicians.named("stranger").inDatabase(database);
        privateSong = song(false, false);
        openSong = song(true, true);
        closedSong = song(true, false);
    }

    private static UUID song(boolean isPublic, boolean commentsAllowed) {
        UUID project = UUID.randomUUID();
        database.insert("public.projects", Map.of("id", project, "user_id", owner.id(), "title", "Song",
                "is_public", isPublic, "comments_allowed", commentsAllowed));
        for (var member : List.of(Map.entry(editor, "editor"), Map.entry(admin, "admin"), Map.entry(viewer, "viewer"))) {
            database.insert("public.project_collaborators", Map.of("project_id", project, "user_id",
                    member.getKey().id(), "invited_by", owner.id(), "role", member.getValue(), "status", "accepted"));
        }
        return project;
    }

    private static UUID comment(UUID project, Musician author) {
        return database.one(UUID.class, """
                INSERT INTO public.project_comments (project_id, author_id, body) VALUES (:p, :a, 'Seeded')
                RETURNING id""", Map.of("p", project, "a", author.id()));
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

    /** Rows touched, or the SQLSTATE that refused it, for every caller. */
    private static Map<String, String> everyone(String sql, java.util.function.Function<String, Map<String, Object>> binds) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String caller : ProjectCast.CALLERS) {
            Attempt.Outcome outcome = Attempt.run(database.db(), identity(caller), sql, binds.apply(caller));
            answers.put(caller, outcome.refused() ? outcome.sqlState() : String.valueOf(outcome.rows()));
        }
        return answers;
    }

    private static Map<String, String> expected(String... answers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < answers.length; i++) {
            map.put(ProjectCast.CALLERS.get(i), answers[i]);
        }
        return map;
    }

    @Test
    void membersCommentEverywhereAndListenersOnlyWhereTheOwnerAllowsIt() {
        String insert = "INSERT INTO public.project_comments (project_id, body) VALUES (:p, 'Hi') RETURNING id";
        assertThat(everyone(insert, c -> Map.of("p", privateSong)))
                .isEqualTo(expected("1", "1", "1", "1", "42501", "42501"));
        assertThat(everyone(insert, c -> Map.of("p", openSong))).isEqualTo(expected("1", "1", "1", "1", "1", "42501"));
        assertThat(everyone(insert, c -> Map.of("p", closedSong)))
                .isEqualTo(expected("1", "1", "1", "1", "42501", "42501"));
        // nobody names another author, a resolution, a tombstone or the mentions: those columns are not theirs
        for (String column : List.of("author_id", "resolved_at", "deleted_at", "mentioned", "created_at")) {
            String value = switch (column) {
                case "author_id" -> "'" + owner.id() + "'";
                case "mentioned" -> "ARRAY['" + owner.id() + "']::uuid[]";
                default -> "now()";
            };
            assertThat(Attempt.run(database.db(), editor.identity(), "INSERT INTO public.project_comments "
                    + "(project_id, body, " + column + ") VALUES (:p, 'Hi', " + value + ")", Map.of("p", privateSong))
                    .sqlState()).as(column).isEqualTo("42501");
        }
    }

    @Test
    void onlyTheAuthorChangesTheTextAndOnlyEditorsResolve() {
        assertThat(everyone("UPDATE public.project_comments SET body = 'Mine now' WHERE id = :c",
                c -> Map.of("c", comment(privateSong, owner))))
                .isEqualTo(expected("1", "42501", "42501", "0", "0", "42501"));
        assertThat(everyone("UPDATE public.project_comments SET body = body WHERE id = :c",
                c -> Map.of("c", comment(openSong, viewer))))
                .as("an unchanged text is no way around the guard")
                .isEqualTo(expected("42501", "42501", "42501", "1", "0", "42501"));
        assertThat(everyone("UPDATE public.project_comments SET resolved_at = now() WHERE id = :c",
                c -> Map.of("c", comment(openSong, c.equals("anonymous") ? owner : musician(c)))))
                .as("writing a comment gives no say over its resolution")
                .isEqualTo(expected("1", "1", "1", "42501", "42501", "42501"));
        for (String column : List.of("author_id = :other", "project_id = :other", "deleted_at = now()",
                "mentioned = '{}'", "at_seconds = 3", "track_id = :other", "resolved_by = :other")) {
            assertThat(Attempt.run(database.db(), owner.identity(), "UPDATE public.project_comments SET " + column
                    + " WHERE id = :c", Map.of("c", comment(privateSong, owner), "other", stranger.id())).sqlState())
                    .as(column).isEqualTo("42501");
        }
    }

    @Test
    void authorsAndTheOwnerAndAdminsDelete() {
        assertThat(everyone("DELETE FROM public.project_comments WHERE id = :c",
                c -> Map.of("c", comment(closedSong, editor))))
                .isEqualTo(expected("1", "1", "1", "0", "0", "42501"));
        assertThat(everyone("DELETE FROM public.project_comments WHERE id = :c",
                c -> Map.of("c", comment(closedSong, c.equals("anonymous") ? owner : musician(c)))))
                .isEqualTo(expected("1", "1", "1", "1", "1", "42501"));
    }

    @Test
    void notificationsAreWrittenOnlyByTheDatabaseAndReadOnlyByTheirRecipient() {
        comment(privateSong, editor); // tells the owner
        UUID told = database.one(UUID.class, "SELECT id FROM public.notifications WHERE recipient_id = :o ORDER BY created_at DESC LIMIT 1",
                Map.of("o", owner.id()));
        String read = "SELECT id FROM public.notifications WHERE id = :n";
        assertThat(everyone(read, c -> Map.of("n", told))).isEqualTo(expected("1", "0", "0", "0", "0", "42501"));
        assertThat(everyone("UPDATE public.notifications SET read_at = now() WHERE id = :n", c -> Map.of("n", told)))
                .isEqualTo(expected("1", "0", "0", "0", "0", "42501"));
        assertThat(everyone("""
                INSERT INTO public.notifications (recipient_id, kind, actor_id) VALUES (:o, 'followed', :s)""",
                c -> Map.of("o", owner.id(), "s", stranger.id())))
                .isEqualTo(expected("42501", "42501", "42501", "42501", "42501", "42501"));
        assertThat(Attempt.run(database.db(), owner.identity(),
                "UPDATE public.notifications SET kind = 'followed' WHERE id = :n", Map.of("n", told)).sqlState())
                .isEqualTo("42501");
        assertThat(Attempt.run(database.db(), owner.identity(), "DELETE FROM public.notifications WHERE id = :n",
                Map.of("n", told)).sqlState()).isEqualTo("42501");
        // and the helpers that write them are not the API roles' to call
        assertThat(Attempt.run(database.db(), stranger.identity(), "SELECT public.notify_user(:o, 'followed', NULL, "
                + "NULL)", Map.of("o", owner.id())).sqlState()).isEqualTo("42501");
        assertThat(Attempt.run(database.db(), stranger.identity(), "SELECT public.user_sees_project(:o, :p)",
                Map.of("o", owner.id(), "p", privateSong)).sqlState()).isEqualTo("42501");
    }

    private static Musician musician(String caller) {
        return switch (caller) {
            case "owner" -> owner;
            case "editor" -> editor;
            case "admin" -> admin;
            case "viewer" -> viewer;
            default -> stranger;
        };
    }
}
