package studio.nexus;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import studio.nexus.auth.AccessTokens;
import studio.nexus.auth.Authentication;
import studio.nexus.auth.JwtSecret;
import studio.nexus.db.Db;
import studio.nexus.db.Migrations;
import studio.nexus.ops.OpsRoutes;
import studio.nexus.ops.ServerErrorLog;
import studio.nexus.projects.ProjectRoutes;
import studio.nexus.projects.Projects;
import studio.nexus.usage.Usage;
import studio.nexus.web.Problems;

/**
 * Every feature of the application, wired with {@code new} in one place from the database, the configuration and
 * the clock. Immutable once built.
 */
public record Features(
        Config config,
        Clock clock,
        Db db,
        Migrations migrations,
        PrometheusMeterRegistry metrics,
        AccessTokens tokens,
        Authentication authentication,
        OpsRoutes ops,
        Problems.ServerErrorListener serverErrors,
        Usage usage,
        ProjectRoutes projects) {

    public static Features build(Config config, Clock clock, Db db, Migrations migrations,
                                 PrometheusMeterRegistry metrics) {
        AccessTokens tokens = new AccessTokens(JwtSecret.resolve(config), Duration.ofMinutes(15), clock);
        Authentication authentication = new Authentication(tokens, (userId, sessionId) -> true);
        Usage usage = new Usage(db);
        return new Features(config, clock, db, migrations, metrics, tokens, authentication,
                new OpsRoutes(db, migrations, metrics), new ServerErrorLog(db), usage,
                new ProjectRoutes(new Projects(db, usage), config.maxJsonBodyBytes()));
    }
}
