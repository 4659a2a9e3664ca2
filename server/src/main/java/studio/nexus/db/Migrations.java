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
