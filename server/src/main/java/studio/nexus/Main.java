package studio.nexus;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.db.Database;
import studio.nexus.db.DatabaseChooser;
import studio.nexus.db.Db;
import studio.nexus.db.Migrations;
import studio.nexus.admin.AdminCommand;
import studio.nexus.ops.Maintenance;

/**
 * {@code java -jar studio-nexus.jar [serve | migrate]}: starts the server (the default) or only migrates.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        String command = args.length == 0 ? "serve" : args[0];
        try {
            switch (command) {
                case "serve" -> serve();
                case "migrate" -> migrate();
                case "worker" -> work();
                case "admin" -> System.exit(admin(Arrays.asList(args).subList(1, args.length)));
                case "help", "--help", "-h" -> usage();
                default -> {
                    System.err.println("Unknown command: " + String.join(" ", Arrays.asList(args)));
                    usage();
                    System.exit(2);
                }
            }
        } catch (DatabaseChooser.DatabaseUnavailable | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    private static void usage() {
        System.out.println("""
                Usage: java -jar studio-nexus.jar [command]
                  serve     start the HTTP server (default)
                  worker    run background job workers only (no HTTP); STUDIO_WORKERS threads
                  migrate   apply database migrations and exit
                  admin grant|revoke <email>
                            make an account an administrator, or stop it being one (as the system)
                Configuration: STUDIO_* environment variables (see README.md).""");
    }

    private static void migrate() throws IllegalArgumentException {
        Config config = Config.fromEnvironment();
        try (DatabaseChooser.Choice choice = DatabaseChooser.choose(config);
             HikariDataSource pool = Database.pool(choice.jdbcUrl(), choice.user(), choice.password(), 2, null)) {
            int applied = new Migrations(pool).migrate();
            log.info("applied {} migration(s)", applied);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Workers only: for processes on other machines that share the database. */
    private static void work() {
        Config config = Config.fromEnvironment();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DatabaseChooser.Choice choice = DatabaseChooser.choose(config);
        HikariDataSource pool = Database.pool(choice.jdbcUrl(), choice.user(), choice.password(),
                Math.max(4, config.workers() + 3), metrics);
        Migrations migrations = new Migrations(pool);
        migrations.migrate();
        Db db = new Db(pool, Duration.ofSeconds(30));
        Features features = Features.build(config, Clock.systemUTC(), db, migrations, metrics);
        AutoCloseable background = startBackground(config, db, features);
        log.info("worker process running {} thread(s) for {}", config.workers(), features.workers().kinds());
        stopOnShutdown("worker shutting down: finishing or handing back running jobs", null, background, db, choice);
    }

    /**
     * What every process runs besides HTTP: job workers, periodic maintenance and the storage sweepers (all
     * idempotent and safe to run in several processes). Closing stops them, letting running jobs finish or hand back.
     */
    private static AutoCloseable startBackground(Config config, Db db, Features features) {
        new Maintenance(db, config.analyticsRetentionMonths(), Clock.systemUTC())
                .start(features.scheduler(), Duration.ofHours(6));
        features.workers().start();
        features.sweeper().start(features.scheduler(), Duration.ofHours(1));
        features.transformationSweeper().start(features.scheduler(), Duration.ofMinutes(15));
        return () -> {
            features.workers().close();
            features.scheduler().close();
        };
    }

    /** On SIGTERM: stop HTTP (if any), then background work, then the database; flush the logs last. */
    private static void stopOnShutdown(String message, App app, AutoCloseable background, Db db,
                                       DatabaseChooser.Choice choice) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info(message);
            if (app != null) {
                app.stop();
            }
            try {
                background.close();
            } catch (Exception e) {
                log.warn("background work did not stop cleanly", e);
            }
            db.close();
            try {
                choice.close();
            } catch (Exception e) {
                log.warn("embedded database did not stop cleanly", e);
            }
            log.info("stopped");
            // the async log appender runs until told to stop: flush it last, so these lines are written
            ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).stop();
        }, "shutdown"));
    }

    private static int admin(java.util.List<String> args) {
        Config config = Config.fromEnvironment();
        try (DatabaseChooser.Choice choice = DatabaseChooser.choose(config);
             HikariDataSource pool = Database.pool(choice.jdbcUrl(), choice.user(), choice.password(), 2, null)) {
            new Migrations(pool).migrate();
            return AdminCommand.run(new Db(pool, Duration.ofSeconds(30)), args, System.out, System.err);
        } catch (DatabaseChooser.DatabaseUnavailable e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void serve() {
        Config config = Config.fromEnvironment();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);

        DatabaseChooser.Choice choice = DatabaseChooser.choose(config);
        HikariDataSource pool = Database.pool(choice.jdbcUrl(), choice.user(), choice.password(),
                config.dbPoolSize(), metrics);
        Migrations migrations = new Migrations(pool);
        int applied = migrations.migrate();
        log.info("database ready ({} migration(s) applied)", applied);
        Db db = new Db(pool, Duration.ofSeconds(30));
        Features features = Features.build(config, Clock.systemUTC(), db, migrations, metrics);
        App app = App.create(config, features).start();
        AutoCloseable background = startBackground(config, db, features);
        log.info("Studio Nexus listening on http://localhost:{}", app.port());
        stopOnShutdown("shutting down: draining requests", app, background, db, choice);
    }
}
