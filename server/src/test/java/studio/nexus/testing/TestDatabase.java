package studio.nexus.testing;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import studio.nexus.db.Database;
import studio.nexus.db.Db;
import studio.nexus.db.Migrations;

/**
 * A fresh database of its own for one test class, on the machine's PostgreSQL (STUDIO_TEST_DB_HOST/PORT/USER/PASSWORD,
 * default 127.0.0.1:5432 postgres without a password; names start with STUDIO_TEST_DB_PREFIX, default {@code sn_}), so test classes and concurrent runs never see each other's rows.
 *
 * <p>Migrating takes a while, so the migrated schema is built once into a template database named after a hash of
 * the migration files, and each test class copies it ({@code CREATE DATABASE … TEMPLATE …}) in a fraction of a
 * second. A changed migration gives a new hash and so a new template.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {
    private static final String HOST = env("STUDIO_TEST_DB_HOST", "127.0.0.1");
    private static final String PORT = env("STUDIO_TEST_DB_PORT", "5432");
    private static final String USER = env("STUDIO_TEST_DB_USER", "postgres");
    private static final String PASSWORD = System.getenv("STUDIO_TEST_DB_PASSWORD");
    /** Every database the tests make starts with this, so they are easy to find and drop on a shared server. */
    public static final String PREFIX = env("STUDIO_TEST_DB_PREFIX", "sn_");

    private final int poolSize;
    private String name;
    private HikariDataSource pool;
    private Db db;

    public TestDatabase() {
        this(12);
    }

    public TestDatabase(int poolSize) {
        this.poolSize = poolSize;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String template = ensureTemplate();
        name = PREFIX + "t_" + context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "") + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        }
        pool = Database.pool(jdbcUrl(), USER, PASSWORD, poolSize, null);
        db = new Db(pool, Duration.ofSeconds(30));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (pool != null) {
            pool.close();
        }
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    public Db db() {
        return db;
    }

    public HikariDataSource dataSource() {
        return pool;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
    }

    public static String user() {
        return USER;
    }

    public static String password() {
        return PASSWORD;
    }

    // Rows, as the system (past row-level security): the one way tests put rows in place and read them back

    /**
     * Named parameters for the methods below, {@code name, value, name, value, …}; unlike {@code Map.of}, a value may
     * be null (bound as SQL NULL).
     */
    public static Map<String, Object> params(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, Object> parameters = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return parameters;
    }

    /** Inserts one row: {@code columns} are column names and values (bound, never spliced). */
    public void insert(String table, Map<String, ?> columns) {
        if (!table.matches("[a-z_]+\\.[a-z_]+") || !columns.keySet().stream().allMatch(c -> c.matches("[a-z_]+"))) {
            throw new IllegalArgumentException("not a table or column name: " + table + " " + columns.keySet());
        }
        String names = String.join(", ", columns.keySet());
        String values = columns.keySet().stream().map(c -> ":" + c).collect(Collectors.joining(", "));
        update("INSERT INTO " + table + " (" + names + ") VALUES (" + values + ")", columns);
    }

    /** Runs one statement with named parameters ({@code :name}); returns how many rows it touched. */
    public int update(String sql, Map<String, ?> parameters) {
        return db.asSystem(handle -> handle.createUpdate(sql).bindMap(parameters).execute());
    }

    public int update(String sql) {
        return update(sql, Map.of());
    }

    /** The single value of a query that returns exactly one row and one column. */
    public <T> T one(Class<T> type, String sql, Map<String, ?> parameters) {
        return db.asSystem(handle -> handle.createQuery(sql).bindMap(parameters).mapTo(type).one());
    }

    public <T> T one(Class<T> type, String sql) {
        return one(type, sql, Map.of());
    }

    /** The values of the first column, one per row. */
    public <T> List<T> list(Class<T> type, String sql, Map<String, ?> parameters) {
        return db.asSystem(handle -> handle.createQuery(sql).bindMap(parameters).mapTo(type).list());
    }

    public <T> List<T> list(Class<T> type, String sql) {
        return list(type, sql, Map.of());
    }

    /** One row as column name → value; fails unless the query returns exactly one. */
    public Map<String, Object> row(String sql, Map<String, ?> parameters) {
        return db.asSystem(handle -> handle.createQuery(sql).bindMap(parameters).mapToMap().one());
    }

    /** Every row as column name → value. */
    public List<Map<String, Object>> rows(String sql, Map<String, ?> parameters) {
        return db.asSystem(handle -> handle.createQuery(sql).bindMap(parameters).mapToMap().list());
    }

    /** A plain JDBC connection as the database owner (no role switch): for test set-up and inspection. */
    public Connection ownerConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    private static synchronized String ensureTemplate() throws Exception {
        String template = PREFIX + "tpl_" + migrationsHash();
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(727274)");
            try {
                var exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + template + "'");
                if (exists.next()) {
                    return template;
                }
                String building = template + "_wip";
                statement.execute("DROP DATABASE IF EXISTS " + building + " WITH (FORCE)");
                statement.execute("CREATE DATABASE " + building);
                String url = "jdbc:postgresql://" + HOST + ":" + PORT + "/" + building;
                System.out.println("[progress] migrating a template database " + template
                        + " once for these migrations (test classes then copy it)");
                try (HikariDataSource migrating = Database.pool(url, USER, PASSWORD, 2, null)) {
                    new Migrations(migrating).migrate();
                }
                statement.execute("ALTER DATABASE " + building + " RENAME TO " + template);
                var stale = statement.executeQuery(
                        "SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX.replace("_", "\\_") + "tpl\\_%' AND datname <> '"
                                + template + "'");
                List<String> old = new java.util.ArrayList<>();
                while (stale.next()) {
                    old.add(stale.getString(1));
                }
                for (String oldTemplate : old) {
                    statement.execute("DROP DATABASE IF EXISTS " + oldTemplate + " WITH (FORCE)");
                }
                return template;
            } finally {
                statement.execute("SELECT pg_advisory_unlock(727274)");
            }
        }
    }

    private static String migrationsHash() throws IOException, NoSuchAlgorithmException, URISyntaxException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Path dir = Path.of(TestDatabase.class.getResource("/db/migration").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                digest.update(file.getFileName().toString().getBytes());
                try (InputStream in = Files.newInputStream(file)) {
                    digest.update(in.readAllBytes());
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER, PASSWORD);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
