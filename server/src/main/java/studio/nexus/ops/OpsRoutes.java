package studio.nexus.ops;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import studio.nexus.db.Db;
import studio.nexus.db.Migrations;
import studio.nexus.web.ApiException;

/** What operators and load balancers ask: is the process up, can it serve, what are its numbers. */
public final class OpsRoutes {
    private final Db db;
    private final Migrations migrations;
    private final PrometheusMeterRegistry metrics;
    /** SHA-256 of STUDIO_METRICS_TOKEN; empty: /metrics is not served. */
    private final Optional<byte[]> metricsTokenDigest;
    private final AtomicBoolean draining = new AtomicBoolean(false);

    /**
     * {@code metricsToken}: the bearer token a scraper must send for {@code /metrics}. Without one the numbers stay
     * private (404): route timings, pool sizes and error counts tell an attacker what is slow and what is busy.
     */
    public OpsRoutes(Db db, Migrations migrations, PrometheusMeterRegistry metrics, Optional<String> metricsToken) {
        this.db = db;
        this.migrations = migrations;
        this.metrics = metrics;
        this.metricsTokenDigest = metricsToken.map(OpsRoutes::sha256);
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
        if (metricsTokenDigest.isEmpty()) {
            throw new ApiException(404, "route_not_found", "Not found",
                    "Metrics are served only with STUDIO_METRICS_TOKEN set");
        }
        String header = ctx.header("Authorization");
        boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
        // digests of equal length, compared in constant time: neither the token's bytes nor its length leak
        if (!bearer || !MessageDigest.isEqual(sha256(header.substring(7).trim()), metricsTokenDigest.get())) {
            throw new ApiException(401, "unauthorized", "Metrics token required",
                    "Send Authorization: Bearer <STUDIO_METRICS_TOKEN>", Map.of(), Map.of("WWW-Authenticate", "Bearer"));
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
