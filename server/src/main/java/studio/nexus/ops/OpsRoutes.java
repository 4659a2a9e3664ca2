package studio.nexus.ops;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import studio.nexus.db.Db;
import studio.nexus.db.Migrations;
import studio.nexus.web.ApiException;

/** What operators and load balancers ask: is the process up, can it serve, what are its numbers. */
public final class OpsRoutes {
    private final Db db;
    private final Migrations migrations;
    private final PrometheusMeterRegistry metrics;
    private final AtomicBoolean draining = new AtomicBoolean(false);

    public OpsRoutes(Db db, Migrations migrations, PrometheusMeterRegistry metrics) {
        this.db = db;
        this.migrations = migrations;
        this.metrics = metrics;
    }

    /** From now on /ready answers 503, so a load balancer stops sending new work before shutdown. */
    public void startDraining() {
        draining.set(true);
    }

    public void health(Context ctx) {
        ctx.json(Map.of("status", "up"));
    }

    public void ready(Context ctx) {
        if (draining.get()) {
            throw new ApiException(503, "shutting_down", "Shutting down", "This server is shutting down");
        }
        if (!db.isReachable()) {
            throw new ApiException(503, "database_unavailable", "Not ready", "The database is not reachable");
        }
        if (!migrations.isCurrent()) {
            throw new ApiException(503, "migrations_pending", "Not ready", "Database migrations are not current");
        }
        ctx.json(Map.of("status", "ready", "database", "reachable", "migrations", "current"));
    }

    public void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
