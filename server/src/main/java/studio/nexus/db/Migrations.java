package studio.nexus.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The schema, only ever through Flyway: {@code server/src/main/resources/db/migration}. */
public final class Migrations {
    private final Flyway flyway;

    public Migrations(DataSource dataSource) {
        this.flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .schemas("public")
                .createSchemas(false)
                // Features are built in parallel with reserved version ranges (accounts 10–19, projects 20–29, …),
                // so a database may already hold V40 when V30 lands; it then applies V30 rather than refusing.
                .outOfOrder(true)
                .load();
    }

    public int migrate() {
        return flyway.migrate().migrationsExecuted;
    }

    /** True when every migration on the classpath has been applied. */
    public boolean isCurrent() {
        return flyway.info().pending().length == 0;
    }
}
