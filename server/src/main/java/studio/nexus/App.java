package studio.nexus;

import studio.nexus.core.Failure;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import studio.nexus.db.Db;
import studio.nexus.db.Migrations;
import studio.nexus.ops.OpsRoutes;
import studio.nexus.web.JettyProblems;
import studio.nexus.core.Json;
import studio.nexus.web.Problems;
import studio.nexus.web.RefusedBodies;
import studio.nexus.web.RequestIds;

/**
 * The HTTP application, built as a plain object from its parts (no container), so a test starts it on port 0.
 * Every route is in {@link Routes}; every failure is answered by {@link Problems}.
 */
public final class App {
    /** The Content-Security-Policy of the web studio's pages and assets. */
    public static final String WEB_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static final Logger requestLog = LoggerFactory.getLogger("studio.nexus.requests");

    private final Javalin javalin;
    private final Features features;
    private final List<String> registeredRoutes = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();

    private App(Config config, Features features) {
        this.features = features;
        PrometheusMeterRegistry metrics = features.metrics();
        Problems problems = new Problems(features.serverErrors());
        this.javalin = Javalin.create(javalinConfig -> {
            javalinConfig.startup.showJavalinBanner = false;
            javalinConfig.jetty.port = config.port();
            // Request threads mostly wait for PostgreSQL; SSE streams and uploads hold one each. The cap is a setting so an
            // operator can trade tail latency on a small machine against more concurrent long requests.
            QueuedThreadPool threads = new QueuedThreadPool(config.intSetting("STUDIO_HTTP_MAX_THREADS", 200, 16, 2000),
                    8, 60_000);
            threads.setName("http");
            javalinConfig.jetty.threadPool = threads;
            javalinConfig.jetty.modifyServer(server -> {
                server.setStopTimeout(10_000);
                server.setErrorHandler(new JettyProblems());
            });
            // Long hostile paths (a 10 000-character username) reach our handlers and get a problem+json 404,
            // instead of Jetty's plain-text 414 and a closed connection.
            javalinConfig.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(32 * 1024);
                // Jetty's per-connection cache of whole header lines holds each client's "Authorization: Bearer …"
                // and matches every later request's header against it character by character: 17 % of an
                // authenticated /health request's CPU (async-profiler), 5 % of GET /me's. Tokens change every
                // 15 minutes anyway; Jetty's static cache of common header lines stays.
                http.setHeaderCacheSize(0);
            });
            javalinConfig.http.maxRequestSize = config.maxJsonBodyBytes();
            // Javalin copies every answer into the response through a buffer of this size, new for each request; its
            // default (Jetty's 32 KB output buffer size) was more than half of all a GET /me allocated
            // (async-profiler, event=alloc). JSON answers are far smaller; audio goes through in 8 KB pieces into
            // Jetty's own output buffer, which stays 32 KB.
            javalinConfig.http.responseBufferSize = 8 * 1024;
            javalinConfig.http.defaultContentType = "application/json";
            javalinConfig.jsonMapper(new io.javalin.json.JavalinJackson(Json.MAPPER, false));
            javalinConfig.staticFiles.enableWebjars();
            // The web studio: plain ES modules + CSS from the jar (resources/web), index.html at "/".
            // Only these files get the strict CSP; /docs (Swagger UI) needs inline script and keeps none.
            javalinConfig.staticFiles.add(web -> {
                web.hostedPath = "/";
                web.directory = "/web";
                web.location = io.javalin.http.staticfiles.Location.CLASSPATH;
                web.headers = java.util.Map.of(
                        "Content-Security-Policy", WEB_CSP,
                        "Cache-Control", "no-cache");
            });
            javalinConfig.router.ignoreTrailingSlashes = true;
            javalinConfig.events.handlerAdded(info -> {
                if (info.getHttpMethod().isHttpMethod()) {
                    registeredRoutes.add(info.getHttpMethod().name() + " " + info.getPath());
                }
            });
            javalinConfig.requestLogger.http((ctx, millis) -> {
                String route = routeOf(ctx);
                String method = ctx.method().name();
                int status = ctx.statusCode();
                requestTimer(metrics, method, route, status).record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
                requestLog.info("method={} path={} route={} status={} duration_ms={} ip={}",
                        method, ctx.path(), route, status, Math.round(millis * 10) / 10.0, ctx.ip());
                MDC.remove(RequestIds.ATTRIBUTE);
            });
            var routes = javalinConfig.routes;
            routes.before(ctx -> {
                RequestIds.assign(ctx);
                securityHeaders(ctx);
            });
            routes.before("/api/v1/*", features.authentication()::resolve);
            // after authentication: buckets are per user when signed in, per address otherwise
            routes.before("/api/v1/*", features.rateLimiter()::check);
            // A refused body is read to its end (up to twice the largest upload) so the client gets the answer
            RefusedBodies refusedBodies = new RefusedBodies(2 * Math.max(features.takes().maxUploadBytes(),
                    config.maxJsonBodyBytes()));
            routes.after(refusedBodies::drain);
            routes.exception(Exception.class, problems::handle);
            routes.exception(io.javalin.http.HttpResponseException.class, problems::handle);
            routes.error(404, Problems::unansweredNotFound);
            Routes.register(routes, features);
        });
    }

    public static App create(Config config, Features features) {
        return new App(config, features);
    }

    public App start() {
        javalin.start();
        return this;
    }

    public int port() {
        return javalin.port();
    }

    public Javalin javalin() {
        return javalin;
    }

    public Features features() {
        return features;
    }

    /** Every "METHOD /path" registered, for the test that checks the OpenAPI document covers them all. */
    public List<String> registeredRoutes() {
        return List.copyOf(registeredRoutes);
    }

    /**
     * Stops taking new requests, ends open event streams (they would otherwise hold the stop for its whole 10 s),
     * lets other in-flight requests finish (up to 10 s), then stops.
     */
    public void stop() {
        features.ops().startDraining();
        features.jobRoutes().close();
        javalin.stop();
    }

    /**
     * The request timer of one (method, route, status), looked up in a map of our own: building the meter id and
     * asking the registry on every request was a visible part of a cheap request's CPU. Bounded: routes are the
     * route table's (unmatched paths share one label), statuses are few.
     */
    private Timer requestTimer(PrometheusMeterRegistry metrics, String method, String route, int status) {
        return requestTimers.computeIfAbsent(method + ' ' + route + ' ' + status, key -> Timer
                .builder("http_server_requests")
                .description("HTTP requests by route and status")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram(false)
                .register(metrics));
    }

    private static String routeOf(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
            if (endpoint != null && endpoint.method != HandlerType.BEFORE) {
                return endpoint.path;
            }
        } catch (RuntimeException ignored) {
            // unmatched request: grouped under one label so hostile paths cannot explode the metric's cardinality
        }
        return "unmatched";
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "strict-origin-when-cross-origin");
        ctx.header("X-Frame-Options", "DENY");
    }
}
