package studio.nexus.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.jdbi.v3.core.statement.SqlStatements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.TestDatabase;

/**
 * Every SECURITY DEFINER function an API role may execute, called by outsiders — an anonymous caller and mallory,
 * a signed-in stranger — with arguments that point at alice's private objects. A definer function runs with the
 * owner's rights, so its own checks are all that stands between a caller and every row; a check that a NULL passes
 * (V80) lets outsiders through. Each call must leave every table as it was and answer nothing (NULL, false, no
 * rows) or refuse; the few that answer a public handle say so. A definer function without a case here fails the
 * test: whoever adds one decides what an outsider gets from it.
 */
class DefinerFunctionsIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(4);
    static Fixture world;
    static UUID queuedJob;
    static UUID runningJob;
    static UUID finishedJob;
    static UUID offer;

    /** What an outsider may get back: refused with one of these SQLSTATEs, or values that pass {@code answer}. */
    record Case(String sql, Set<String> refusals, Predicate<List<Object>> answer, String expected) {}

    private static final Set<String> REFUSED = Set.of("42501", "P0002");

    private static Case nothing(String sql) {
        return new Case(sql, REFUSED, values -> values.stream().allMatch(v -> v == null || Boolean.FALSE.equals(v)),
                "refused, or only NULL/false/no rows");
    }

    /** A predicate of definer functions must answer false, never NULL: callers may write NOT (predicate). */
    private static Case no(String sql) {
        return new Case(sql, REFUSED, values -> values.equals(List.of(false)), "refused, or exactly false");
    }

    private static Case refused(String sql, String... states) {
        return new Case(sql, Set.of(states), values -> false, "refused with " + String.join("/", states));
    }

    private static Case publicHandle(String sql, Object handle) {
        return new Case(sql, REFUSED, values -> values.equals(List.of(handle)) || values.stream().allMatch(Objects::isNull),
                "refused, or only the public handle " + handle);
    }

    private static Map<String, Case> cases() {
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("public.is_admin()", no("SELECT public.is_admin()"));
        cases.put("public.is_profile_public(uuid)", no("SELECT public.is_profile_public(:alice)"));
        cases.put("public.can_view_project(uuid)", no("SELECT public.can_view_project(:private)"));
        cases.put("public.can_edit_project(uuid)", no("SELECT public.can_edit_project(:private)"));
        cases.put("public.project_member_role(uuid)", nothing("SELECT public.project_member_role(:private)"));
        cases.put("public.project_access(uuid)", nothing("SELECT public.project_access(:private)"));
        // usernames are public handles (they sign public projects and invitations); nothing else of the profile
        cases.put("public.username_of(uuid)", publicHandle("SELECT public.username_of(:alice)", "alice"));
        cases.put("public.user_id_by_username(text)",
                publicHandle("SELECT public.user_id_by_username('alice')", world.alice.id()));
        cases.put("public.record_play(uuid)", nothing("SELECT public.record_play(:private)"));
        cases.put("public.record_download(uuid)", nothing("SELECT public.record_download(:private)"));
        cases.put("public.record_preset_use(uuid)", nothing("SELECT public.record_preset_use(:preset)"));
        cases.put("public.cancel_job(uuid)", nothing(
                "SELECT public.cancel_job(:queued) AS queued, public.cancel_job(:running) AS running, "
                + "public.cancel_job(:finished) AS finished"));
        cases.put("public.consume_usage(uuid, text, numeric, uuid, jsonb)",
                refused("SELECT public.consume_usage(:alice, 'storage_mb', -50, NULL, '{}')", "42501"));
        cases.put("public.usage_status(uuid, text, timestamp with time zone)",
                refused("SELECT public.usage_status(:alice, 'exports', now())", "42501"));
        cases.put("public.usage_summary(uuid, timestamp with time zone)",
                refused("SELECT public.usage_summary(:alice, now())", "42501"));
        cases.put("public.my_invitations()", nothing("SELECT * FROM public.my_invitations()"));
        // alice's open offer of her private project to bob: outsiders neither make, answer, withdraw nor read one
        cases.put("public.offer_project_transfer(uuid, uuid)",
                refused("SELECT public.offer_project_transfer(:private, :mallory)", "42501"));
        cases.put("public.answer_transfer_offer(uuid, boolean)", refused(
                "SELECT public.answer_transfer_offer(:offer, true)", "42501", "P0002"));
        cases.put("public.withdraw_transfer_offer(uuid)",
                refused("SELECT public.withdraw_transfer_offer(:offer)", "42501", "P0002"));
        cases.put("public.offered_project_title(uuid)", nothing("SELECT public.offered_project_title(:offer)"));
        // charging storage: never to someone else, never under someone else's project
        cases.put("public.register_stored_object(text, bigint, uuid, uuid, boolean, numeric, integer, integer, jsonb)",
                refused("SELECT public.register_stored_object('projects/' || :private || '/planted.wav', 1, :alice, "
                        + ":private, false, NULL, NULL, NULL, NULL)", "42501"));
        cases.put("public.admin_set_subscription(uuid, text, timestamp with time zone)",
                refused("SELECT public.admin_set_subscription(:mallory, 'enterprise', NULL)", "42501"));
        cases.put("public.admin_set_featured(uuid, boolean)",
                refused("SELECT public.admin_set_featured(:public, true)", "42501"));
        cases.put("public.admin_set_system_effects_preset(uuid, boolean)",
                refused("SELECT public.admin_set_system_effects_preset(:preset, true)", "42501"));
        cases.put("public.admin_user_usage(uuid)", refused("SELECT public.admin_user_usage(:alice)", "42501"));
        // a private project's existence is not revealed: the same "no such project" as for one that never was
        cases.put("public.request_transformation(uuid, uuid, text, jsonb, text, integer)", refused(
                "SELECT * FROM public.request_transformation(:private, NULL, 'jazz', '{}', 'local', 3)",
                "42501", "P0002"));
        // putting back a version's arrangement: only for whoever may change the project's tracks
        cases.put("public.restore_arrangement(uuid)",
                refused("SELECT public.restore_arrangement(:version)", "42501"));
        cases.put("auth.session_is_live()", no("SELECT auth.session_is_live()"));
        return cases;
    }

    @BeforeAll
    static void makeTheWorld() {
        world = new Fixture(database, "");
        queuedJob = job("queued");
        runningJob = job("running");
        finishedJob = job("succeeded");
        offer = database.one(UUID.class, """
                        INSERT INTO public.project_transfer_offers (project_id, from_user_id, to_user_id)
                        VALUES (:project, :alice, :bob) RETURNING id""",
                TestDatabase.params("project", world.privateProject, "alice", world.alice.id(), "bob", world.bob.id()));
    }

    private static UUID job(String status) {
        return database.one(UUID.class, """
                        INSERT INTO public.jobs (kind, user_id, project_id, status, locked_by, locked_until, started_at)
                        VALUES ('render', :alice, :project, :status,
                                CASE WHEN :status = 'running' THEN 'worker-1' END,
                                CASE WHEN :status = 'running' THEN now() + interval '1 minute' END,
                                CASE WHEN :status <> 'queued' THEN now() END)
                        RETURNING id""",
                TestDatabase.params("alice", world.alice.id(), "project", world.privateProject, "status", status));
    }

    @Test
    void everyDefinerFunctionTheApiRolesMayCallHasAnOutsiderCase() throws SQLException {
        Set<String> executable = new TreeSet<>(strings("""
                SELECT n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')'
                  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE p.prosecdef AND p.prorettype <> 'trigger'::regtype
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                   AND (has_function_privilege('anon', p.oid, 'EXECUTE')
                        OR has_function_privilege('authenticated', p.oid, 'EXECUTE'))"""));
        assertThat(cases().keySet()).as("definer functions without an outsider case (add one to cases())")
                .containsAll(executable);
        assertThat(executable).as("cases of functions the API roles can no longer call").containsAll(cases().keySet());
    }

    @Test
    void outsidersCallingAnyDefinerFunctionChangeNothingAndLearnNothing() throws SQLException {
        Map<String, Identity> outsiders = new LinkedHashMap<>();
        outsiders.put("anonymous", Identity.anonymous());
        // mallory's token names alice's session: a stolen session id must not make hers live for him
        outsiders.put("stranger", Identity.user(world.mallory.id(), world.session));
        Map<String, Object> binds = Map.of("alice", world.alice.id(), "mallory", world.mallory.id(),
                "private", world.privateProject, "public", world.publicProject, "preset", world.alicePreset,
                "queued", queuedJob, "running", runningJob, "finished", finishedJob, "offer", offer,
                "version", database.one(UUID.class, "SELECT id FROM public.project_versions WHERE project_id = :p "
                        + "LIMIT 1", Map.of("p", world.privateProject)));
        List<String> failures = new ArrayList<>();
        for (var entry : cases().entrySet()) {
            Case c = entry.getValue();
            for (var outsider : outsiders.entrySet()) {
                String before = everything();
                Answer answer = call(outsider.getValue(), c.sql(), binds);
                String after = everything();
                String who = entry.getKey() + " as " + outsider.getKey();
                if (!before.equals(after)) {
                    failures.add(who + " changed the database (" + answer + ")");
                }
                boolean fine = answer.sqlState() != null ? c.refusals().contains(answer.sqlState())
                        : c.answer().test(answer.values());
                if (!fine) {
                    failures.add(who + " answered " + answer + ", expected " + c.expected());
                }
            }
        }
        assertThat(failures).isEmpty();
        // and the jobs are still as alice left them
        assertThat(strings("SELECT status || ':' || cancel_requested FROM public.jobs ORDER BY created_at"))
                .containsExactly("queued:false", "running:false", "succeeded:false");
    }

    @Test
    void theJobsOwnerCancelsThroughTheSameFunction() {
        // the other side of the NULL-safe check: a TRUE right still works
        UUID job = job("queued");
        Answer answer = call(world.alice.identity(), "SELECT public.cancel_job(:job)", Map.of("job", job));
        assertThat(answer.values()).containsExactly("cancelled");
        assertThat(call(world.mallory.identity(), "SELECT public.cancel_job(:job)", Map.of("job", job)).values())
                .containsExactly((Object) null);
    }

    record Answer(List<Object> values, String sqlState, String message) {
        @Override
        public String toString() {
            return sqlState != null ? "refused " + sqlState + " (" + message + ")" : values.toString();
        }
    }

    private static Answer call(Identity who, String sql, Map<String, Object> binds) {
        try {
            List<Object> values = database.db().as(who, handle -> {
                handle.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
                var query = handle.createQuery(sql);
                binds.forEach(query::bind);
                List<Object> all = new ArrayList<>();
                query.mapToMap().forEach(row -> all.addAll(row.values()));
                return all;
            });
            return new Answer(values, null, null);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause != null && !(cause instanceof SQLException)) {
                cause = cause.getCause();
            }
            if (cause instanceof SQLException sql2) {
                return new Answer(List.of(), sql2.getSQLState(), sql2.getMessage().lines().findFirst().orElse(""));
            }
            throw e;
        }
    }

    /** A digest of every row of every table in public and auth, read by the owner (no row-level security). */
    private static String everything() {
        try (Connection owner = database.ownerConnection(); Statement statement = owner.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("""
                    SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname IN ('public', 'auth') AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                       AND c.relname <> 'flyway_schema_history'
                     ORDER BY 1""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            StringBuilder digest = new StringBuilder();
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                        + " FROM " + table + " t")) {
                    rs.next();
                    digest.append(table).append('=').append(rs.getString(1)).append('\n');
                }
            }
            return digest.toString();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(String sql) throws SQLException {
        try (Connection owner = database.ownerConnection(); Statement statement = owner.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }
}
