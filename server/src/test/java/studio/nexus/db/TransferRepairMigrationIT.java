package studio.nexus.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.TestDatabase;

/**
 * V82 repairs what V20's transfers left behind: a giver kept paying the slot of a project they no longer owned
 * (given away, or given away and then deleted by its new owner). A database at V81 with such transfers, migrated
 * on, holds each project's slot with its owner only.
 */
class TransferRepairMigrationIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(2);

    @Test
    void slotsOfProjectsGivenAwayBeforeOffersAreReleasedAndNobodyIsChargedAfterTheFact() throws Exception {
        String name = "sn_t_v82_" + UUID.randomUUID().toString().substring(0, 8);
        String adminUrl = database.jdbcUrl().replace(database.name(), "postgres");
        try (Connection admin = DriverManager.getConnection(adminUrl, TestDatabase.user(), TestDatabase.password())) {
            admin.createStatement().execute("CREATE DATABASE " + name + " TEMPLATE template0");
            try {
                String url = database.jdbcUrl().replace(database.name(), name);
                try (HikariDataSource pool = Database.pool(url, TestDatabase.user(), TestDatabase.password(), 2, null)) {
                    flyway(pool).target(lastBeforeV82(pool)).load().migrate();
                    UUID giver = UUID.randomUUID();
                    UUID taker = UUID.randomUUID();
                    UUID kept = UUID.randomUUID();
                    UUID given = UUID.randomUUID();
                    UUID givenThenDeleted = UUID.randomUUID();
                    try (Connection owner = pool.getConnection(); Statement sql = owner.createStatement()) {
                        for (UUID user : new UUID[] {giver, taker}) {
                            sql.execute("INSERT INTO auth.users (id, email) VALUES ('" + user + "', '" + user + "@example.com')");
                            sql.execute("INSERT INTO public.profiles (id, username) VALUES ('" + user + "', 'u"
                                    + user.toString().substring(0, 8) + "')");
                        }
                        for (UUID project : new UUID[] {kept, given, givenThenDeleted}) {
                            sql.execute("INSERT INTO public.projects (id, user_id, title) VALUES ('" + project + "', '"
                                    + giver + "', 'p')");
                            sql.execute("SELECT public.consume_usage('" + giver + "', 'projects', 1, '" + project + "')");
                        }
                        // what V20's transfer_project did: ownership moved, no usage recorded
                        sql.execute("UPDATE public.projects SET user_id = '" + taker + "' WHERE id IN ('" + given
                                + "', '" + givenThenDeleted + "')");
                        sql.execute("DELETE FROM public.projects WHERE id = '" + givenThenDeleted + "'");
                        assertThat(used(sql, giver)).isEqualTo(3);
                    }

                    flyway(pool).load().migrate();

                    try (Connection owner = pool.getConnection(); Statement sql = owner.createStatement()) {
                        assertThat(used(sql, giver)).as("only the project still theirs").isEqualTo(1);
                        assertThat(used(sql, taker)).as("not charged after the fact").isZero();
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

    /** The newest migration before V82, whichever that is once other work has landed. */
    private static String lastBeforeV82(HikariDataSource pool) {
        return java.util.Arrays.stream(flyway(pool).load().info().all())
                .map(m -> m.getVersion())
                .filter(v -> v != null && v.isNewerThan("0") && !v.isAtLeast("82"))
                .max(Comparable::compareTo).orElseThrow().getVersion();
    }

    private static int used(Statement sql, UUID user) throws Exception {
        try (ResultSet rows = sql.executeQuery("SELECT coalesce(sum(quantity), 0)::int FROM public.usage_tracking "
                + "WHERE resource_type = 'projects' AND user_id = '" + user + "'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
