package studio.nexus.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.TestDatabase;

class MigrationsIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(4);

    @Test
    void migrationsApplyToAnEmptyDatabaseAndARerunAppliesNothing() throws Exception {
        String name = TestDatabase.PREFIX + "t_empty_" + UUID.randomUUID().toString().substring(0, 8);
        String adminUrl = database.jdbcUrl().replace(database.name(), "postgres");
        try (Connection admin = DriverManager.getConnection(adminUrl, TestDatabase.user(), TestDatabase.password())) {
            admin.createStatement().execute("CREATE DATABASE " + name + " TEMPLATE template0");
            try {
                String url = database.jdbcUrl().replace(database.name(), name);
                try (HikariDataSource pool = Database.pool(url, TestDatabase.user(), TestDatabase.password(), 2, null)) {
                    Migrations migrations = new Migrations(pool);
                    assertThat(migrations.migrate()).isGreaterThanOrEqualTo(4);
                    assertThat(migrations.isCurrent()).isTrue();
                    assertThat(migrations.migrate()).isZero();
                }
            } finally {
                admin.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void everyTableAndColumnOfTheSeedExists() throws Exception {
        Map<String, List<String>> seed = seedTables();
        assertThat(seed).hasSizeGreaterThanOrEqualTo(13);
        try (Connection connection = database.ownerConnection()) {
            for (var table : seed.entrySet()) {
                List<String> columns = new ArrayList<>();
                var statement = connection.prepareStatement(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?");
                statement.setString(1, table.getKey());
                ResultSet rows = statement.executeQuery();
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
                assertThat(columns).as("columns of %s", table.getKey()).containsAll(table.getValue());
            }
        }
    }

    @Test
    void everyTableAnApiRoleCanReachHasRowLevelSecurityEnabled() throws Exception {
        List<String> unprotected = strings("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                  AND NOT c.relrowsecurity AND c.relname <> 'flyway_schema_history'""");
        assertThat(unprotected).isEmpty();
    }

    @Test
    void partitionsAuthTablesAndMigrationHistoryAreNotGrantedToApiRoles() throws Exception {
        List<String> reachable = strings("""
                SELECT DISTINCT table_schema || '.' || table_name FROM information_schema.role_table_grants
                WHERE grantee IN ('anon', 'authenticated')
                  AND ((table_schema = 'auth' AND table_name <> 'users') OR table_name = 'flyway_schema_history'
                       OR table_name LIKE 'analytics\\_events\\_%')""");
        assertThat(reachable).isEmpty();
        // auth.users: a user reads a few harmless columns of their own row (RLS), never a password hash
        assertThat(strings("""
                SELECT c.relrowsecurity::text FROM pg_class c WHERE c.oid = 'auth.users'::regclass"""))
                .containsExactly("true");
        assertThat(strings("""
                SELECT has_column_privilege(r, 'auth.users', 'encrypted_password', 'SELECT')::text
                FROM unnest(ARRAY['anon', 'authenticated']) r""")).containsOnly("false");
        assertThat(strings("SELECT has_table_privilege('anon', 'auth.users', 'SELECT')::text")).containsExactly("false");
    }

    @Test
    void everySecurityDefinerFunctionPinsItsSearchPath() throws Exception {
        List<String> loose = strings("""
                SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname IN ('public', 'auth') AND p.prosecdef
                  AND NOT coalesce(p.proconfig::text[] @> ARRAY['search_path=""'], false)""");
        assertThat(loose).isEmpty();
    }

    @Test
    void anonymousCallersCanExecuteOnlyHarmlessFunctions() throws Exception {
        List<String> executable = strings("""
                SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname IN ('public', 'auth') AND has_function_privilege('anon', p.oid, 'EXECUTE')
                ORDER BY 1""");
        assertThat(executable).containsExactlyInAnyOrder("uid", "jwt", "request_role", "is_system", "is_admin",
                "is_trusted_writer", "is_profile_public", "usage_window_start", "usage_window_end",
                "project_member_role", "project_access", "can_view_project", "username_of", "user_id_by_username",
                "record_play", "record_download"); // record_download: like record_play, for public projects' exports
    }

    @Test
    void signedInUsersCannotExecuteSystemFunctions() throws Exception {
        List<String> executable = strings("""
                SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND has_function_privilege('authenticated', p.oid, 'EXECUTE')
                  AND p.proname IN ('track_resource_usage', 'check_usage_limit', 'ensure_analytics_partitions',
                                    'drop_analytics_partitions_before', 'effective_tier', 'release_project_storage')""");
        assertThat(executable).isEmpty();
    }

    @Test
    void apiRolesCanCreateNothingInAnySchema() throws Exception {
        // what lets V70's inlined helpers drop their pinned search_path safely (besides naming everything by schema)
        assertThat(strings("""
                SELECT r || ' in ' || n.nspname FROM pg_namespace n, unnest(ARRAY['anon', 'authenticated']) r
                WHERE has_schema_privilege(r, n.oid, 'CREATE')""")).isEmpty();
    }

    @Test
    void theHelpersEveryPolicyCallsAreInlinedIntoTheCallingStatement() throws Exception {
        // V70: a LANGUAGE sql function with a SET clause or SECURITY DEFINER is re-planned in every statement
        assertThat(strings("""
                SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.oid IN ('auth.uid()'::regprocedure, 'auth.jwt()'::regprocedure,
                                'public.request_role()'::regprocedure, 'public.is_system()'::regprocedure,
                                'public.is_trusted_writer()'::regprocedure)
                  AND (p.proconfig IS NOT NULL OR p.prosecdef
                       OR p.prolang <> (SELECT l.oid FROM pg_language l WHERE l.lanname = 'sql'))""")).isEmpty();
        String plan = String.join("\n", strings(
                "EXPLAIN (VERBOSE, COSTS OFF) SELECT auth.uid(), auth.jwt(), public.is_system(), public.is_trusted_writer()"));
        assertThat(plan).doesNotContain("uid()", "jwt()", "is_system()", "request_role()", "is_trusted_writer()")
                .contains("current_setting");
    }

    @Test
    void authUidReadsTheSubjectFromTheClaimsOrNothing() throws Exception {
        String user = UUID.randomUUID().toString();
        checkUid(null, null, null);
        checkUid("", null, null);
        checkUid("{}", null, null);
        checkUid("{\"role\":\"anon\"}", null, null);
        checkUid("{\"sub\":\"\"}", null, null);
        checkUid("{\"sub\":\"" + user + "\",\"role\":\"authenticated\"}", null, user);
        checkUid(null, user, user); // the single-claim setting PostgREST also offers
        checkUid("{\"sub\":\"" + UUID.randomUUID() + "\"}", user, user);
    }

    private static void checkUid(String claims, String subClaim, String expected) throws SQLException {
        try (Connection connection = database.ownerConnection()) {
            connection.setAutoCommit(false);
            var statement = connection.prepareStatement("""
                    SELECT set_config('request.jwt.claims', coalesce(?, ''), true),
                           set_config('request.jwt.claim.sub', coalesce(?, ''), true)""");
            statement.setString(1, claims);
            statement.setString(2, subClaim);
            statement.executeQuery();
            var read = connection.prepareStatement(
                    "SELECT auth.uid()::text, auth.jwt() = coalesce(nullif(?, ''), '{}')::jsonb");
            read.setString(1, claims);
            ResultSet rows = read.executeQuery();
            rows.next();
            assertThat(rows.getString(1)).as("auth.uid() with claims %s and claim.sub %s", claims, subClaim)
                    .isEqualTo(expected);
            assertThat(rows.getBoolean(2)).as("auth.jwt() with claims %s", claims).isTrue();
            connection.rollback();
        }
    }

    @Test
    void theSeedsSampleRowsArePresent() throws Exception {
        assertThat(strings("SELECT name FROM public.ai_model_presets ORDER BY name"))
                .containsExactly("Cinematic orchestra (MusicGen)", "Classical Orchestra", "Electronic Dance", "Jazz Ensemble",
                        "Jazz with your voice"); // the seed's three and V60's two premium presets
        assertThat(strings("SELECT name FROM public.effects_presets WHERE is_system_preset ORDER BY name"))
                .containsExactly("Ambient Space", "Vocal Warmth");
        assertThat(strings("SELECT subscription_tier || '/' || resource_type FROM public.subscription_limits"))
                .hasSize(12); // the seed's 8 and V30's explicit enterprise rows
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = database.ownerConnection()) {
            ResultSet rows = connection.createStatement().executeQuery(sql);
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** The tables and columns the seed document defines, read from the migration that applies it as written. */
    static Map<String, List<String>> seedTables() throws IOException {
        String sql;
        try (InputStream in = MigrationsIT.class.getResourceAsStream("/db/migration/V2__seed_schema.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, List<String>> tables = new LinkedHashMap<>();
        Matcher table = Pattern.compile("CREATE TABLE (\\w+) \\((.*?)\\n\\);", Pattern.DOTALL).matcher(sql);
        while (table.find()) {
            List<String> columns = new ArrayList<>();
            for (String line : table.group(2).split("\n")) {
                Matcher column = Pattern.compile("^\\s+([a-z_]+) (UUID|TEXT|INTEGER|BOOLEAN|JSONB|DECIMAL|TIMESTAMP|DATE|INET)")
                        .matcher(line);
                if (column.find()) {
                    columns.add(column.group(1));
                }
            }
            tables.put(table.group(1), columns);
        }
        return tables;
    }
}
