package studio.nexus.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.Config;

/**
 * Picks the database the server runs on, in this order: {@code STUDIO_DB_URL} when set; else a PostgreSQL accepting
 * connections on localhost:5432 (database {@code studio_nexus}, created when missing); else an embedded PostgreSQL
 * kept under {@code <data>/postgres} (not as root: PostgreSQL refuses to run as root); else it gives up with a
 * message that says how to give it a database.
 */
public final class DatabaseChooser {
    private static final Logger log = LoggerFactory.getLogger(DatabaseChooser.class);
    static final String LOCAL_DATABASE = "studio_nexus";

    /** A chosen database; {@link #close()} stops an embedded server. */
    public record Choice(String jdbcUrl, String user, String password, String description, AutoCloseable embedded)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private DatabaseChooser() {}

    public static Choice choose(Config config) {
        if (config.dbUrl().isPresent()) {
            String url = config.dbUrl().get();
            Choice choice = new Choice(url, config.dbUser().orElse(null), config.dbPassword().orElse(null),
                    "STUDIO_DB_URL " + redact(url), null);
            log.info("database: {}", choice.description());
            return choice;
        }
        Optional<Choice> local = localServer(config);
        if (local.isPresent()) {
            log.info("database: {}", local.get().description());
            return local.get();
        }
        if (isRoot()) {
            throw new DatabaseUnavailable("""
                    No database: STUDIO_DB_URL is not set, nothing answers on localhost:5432, and the embedded \
                    PostgreSQL cannot run as root.
                    Give Studio Nexus a database in one of these ways:
                      * start PostgreSQL on localhost:5432 (Debian: pg_ctlcluster --skip-systemctl-redirect \
                    $(ls /etc/postgresql) main start) and run again, or
                      * export STUDIO_DB_URL=jdbc:postgresql://HOST:5432/DB STUDIO_DB_USER=USER \
                    STUDIO_DB_PASSWORD=SECRET, or
                      * run as a non-root user to use the embedded PostgreSQL kept under STUDIO_DATA_DIR.""");
        }
        return embedded(config);
    }

    private static Optional<Choice> localServer(Config config) {
        String user = config.dbUser().orElse("postgres");
        String password = config.dbPassword().orElse(null);
        String adminUrl = "jdbc:postgresql://localhost:5432/postgres?connectTimeout=3&socketTimeout=10";
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password)) {
            boolean exists;
            try (var statement = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                statement.setString(1, LOCAL_DATABASE);
                exists = statement.executeQuery().next();
            }
            if (!exists) {
                try (var statement = admin.createStatement()) {
                    statement.execute("CREATE DATABASE " + LOCAL_DATABASE);
                    log.info("created database {} on localhost:5432", LOCAL_DATABASE);
                } catch (SQLException e) {
                    if (!"42P04".equals(e.getSQLState())) { // created meanwhile by another process: fine
                        throw e;
                    }
                }
            }
            String url = "jdbc:postgresql://localhost:5432/" + LOCAL_DATABASE;
            return Optional.of(new Choice(url, user, password, "PostgreSQL on localhost:5432, database "
                    + LOCAL_DATABASE + " as " + user, null));
        } catch (SQLException e) {
            log.info("no usable PostgreSQL on localhost:5432 ({})", e.getMessage());
            return Optional.empty();
        }
    }

    private static Choice embedded(Config config) {
        Path dir = config.dataDir().resolve("postgres");
        try {
            Files.createDirectories(dir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .start();
            String url = postgres.getJdbcUrl("postgres", "postgres");
            return new Choice(url, "postgres", null,
                    "embedded PostgreSQL under " + dir + " (port " + postgres.getPort() + ")", postgres);
        } catch (IOException e) {
            throw new DatabaseUnavailable("The embedded PostgreSQL under " + dir + " did not start: " + e.getMessage()
                    + ". Set STUDIO_DB_URL to use another database.");
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** No database could be chosen; the message says how to give the server one. */
    public static final class DatabaseUnavailable extends RuntimeException {
        public DatabaseUnavailable(String message) {
            super(message);
        }
    }
}
