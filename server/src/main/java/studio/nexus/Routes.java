package studio.nexus;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The whole HTTP API on one screen. Handlers live in their feature's package and are thin: parse, call, answer.
 * Every route here is documented in {@code openapi.json} (a test checks it).
 */
final class Routes {
    private Routes() {}

    static void register(RoutesConfig routes, Features f) {
        // Operations
        routes.get("/health", f.ops()::health);
        routes.get("/ready", f.ops()::ready);
        routes.get("/metrics", f.ops()::metrics);

        // API description
        routes.get("/api/openapi.json", Routes::openApi);
        routes.get("/docs", Routes::docs);
    }

    private static final byte[] OPENAPI = resource("/openapi.json");
    private static final byte[] DOCS = resource("/docs.html");

    private static void openApi(Context ctx) {
        ctx.contentType("application/json").result(OPENAPI);
    }

    private static void docs(Context ctx) {
        ctx.contentType("text/html; charset=utf-8").result(DOCS);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Routes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
