package studio.nexus.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.db.Database;
import studio.nexus.testing.TestDatabase;

/**
 * V85 on a database that already holds one-take projects: each project with a take gets "Track 1" with one clip over
 * the whole take (its length in frames at the project's rate); projects without audio get no track.
 */
class OneTakeMigrationIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(2);

    @Test
    void everyOneTakeProjectBecomesTrackOneWithOneClipOverItsWholeTake() throws Exception {
        String name = "sn_t_v85_" + UUID.randomUUID().toString().substring(0, 8);
        String adminUrl = database.jdbcUrl().replace(database.name(), "postgres");
        try (Connection admin = DriverManager.getConnection(adminUrl, TestDatabase.user(), TestDatabase.password())) {
            admin.createStatement().execute("CREATE DATABASE " + name + " TEMPLATE template0");
            try {
                String url = database.jdbcUrl().replace(database.name(), name);
                try (HikariDataSource pool = Database.pool(url, TestDatabase.user(), TestDatabase.password(), 2, null)) {
                    flyway(pool).target(lastBeforeV85(pool)).load().migrate();
                    UUID user = UUID.randomUUID();
                    UUID withTake = UUID.randomUUID();
                    UUID withoutTake = UUID.randomUUID();
                    String key = "projects/" + withTake + "/original-" + UUID.randomUUID() + ".wav";
                    try (Connection owner = pool.getConnection(); Statement sql = owner.createStatement()) {
                        sql.execute("INSERT INTO auth.users (id, email) VALUES ('" + user + "', 'm@example.com')");
                        sql.execute("INSERT INTO public.profiles (id, username) VALUES ('" + user + "', 'musician')");
                        sql.execute("INSERT INTO public.projects (id, user_id, title) VALUES ('" + withTake + "', '"
                                + user + "', 'One take'), ('" + withoutTake + "', '" + user + "', 'Silent')");
                        sql.execute("INSERT INTO public.stored_objects (key, size_bytes, charged_to, project_id, "
                                + "duration_seconds, sample_rate, channels) VALUES ('" + key + "', 480000, '" + user
                                + "', '" + withTake + "', 2.5, 48000, 2)");
                        sql.execute("UPDATE public.projects SET original_audio_path = '" + key + "' WHERE id = '"
                                + withTake + "'");
                    }

                    flyway(pool).load().migrate();

                    try (Connection owner = pool.getConnection(); Statement sql = owner.createStatement()) {
                        assertThat(strings(sql, "SELECT name || ' at ' || position FROM public.project_tracks "
                                + "WHERE project_id = '" + withTake + "'")).containsExactly("Track 1 at 0");
                        assertThat(strings(sql, "SELECT take_key || ' ' || start_frame || ' ' || offset_frames || ' '"
                                + " || length_frames FROM public.track_clips WHERE project_id = '" + withTake + "'"))
                                .containsExactly(key + " 0 0 120000");
                        assertThat(strings(sql, "SELECT id::text FROM public.project_tracks WHERE project_id = '"
                                + withoutTake + "'")).isEmpty();
                    }
                }
            } finally {
                admin.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(HikariDataSource pool) {
        return Flyway.configure().dataSource(pool).locations("classpath:db/migration").schemas("public")
                .createSchemas(false).outOfOrder(true);
    }

    /** The newest migration before V85, whichever that is once other work has landed. */
    private static String lastBeforeV85(HikariDataSource pool) {
        return java.util.Arrays.stream(flyway(pool).load().info().all())
                .map(m -> m.getVersion())
                .filter(v -> v != null && v.isNewerThan("0") && !v.isAtLeast("85"))
                .max(Comparable::compareTo).orElseThrow().getVersion();
    }

    private static List<String> strings(Statement sql, String query) throws Exception {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
