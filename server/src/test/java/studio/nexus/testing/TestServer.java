package studio.nexus.testing;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import studio.nexus.App;
import studio.nexus.Config;
import studio.nexus.Features;
import studio.nexus.db.Migrations;

/**
 * The real application on a free port over a {@link TestDatabase}, for end-to-end tests through HTTP.
 * Register it after the database: {@code @RegisterExtension @Order(2) static TestServer server = new TestServer(db);}
 */
public final class TestServer implements BeforeAllCallback, AfterAllCallback {
    private final TestDatabase database;
    private final Map<String, String> env = new HashMap<>();
    private Clock clock = Clock.systemUTC();
    private boolean workers;
    private App app;
    private Path dataDir;
    private Http http;

    public TestServer(TestDatabase database) {
        this.database = database;
    }

    /** Sets a STUDIO_ variable for this server (before it starts). */
    public TestServer with(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Also runs this process's job workers (renders, exports, transformations) while the server is up. */
    public TestServer withWorkers() {
        this.workers = true;
        return this;
    }

    /** Runs the server on this clock (before it starts), e.g. a {@link SettableClock}. */
    public TestServer withClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("studio-nexus-test");
        Map<String, String> all = new HashMap<>();
        all.put("STUDIO_PORT", "0");
        all.put("STUDIO_DATA_DIR", dataDir.toString());
        all.put("STUDIO_JWT_SECRET", "test-secret-that-is-long-enough-for-hs256-signing");
        // every test signs its musicians up from this one address; SignUpIT tests the limit
        all.put("STUDIO_SIGNUPS_PER_HOUR_PER_CLIENT", "0");
        all.putAll(env);
        Config config = Config.from(all);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Features features = Features.build(config, clock, database.db(),
                new Migrations(database.dataSource()), metrics);
        app = App.create(config, features).start();
        if (workers) {
            features.workers().start();
        }
        http = new Http("http://localhost:" + app.port());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (app != null) {
            if (workers) {
                app.features().workers().close();
            }
            app.stop();
        }
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    public App app() {
        return app;
    }

    public TestDatabase database() {
        return database;
    }

    /** The API client of this server; every exchange is held to openapi.json (see {@link Http}). */
    public Http http() {
        return http;
    }

    public Path dataDir() {
        return dataDir;
    }
}
