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

        // Accounts: sign-up, sign-in and refresh are open; the rest need a signed-in caller (checked in handlers)
        routes.post("/api/v1/auth/signup", f.auth()::signUp);
        routes.post("/api/v1/auth/login", f.auth()::signIn);
        routes.post("/api/v1/auth/refresh", f.auth()::refresh);
        routes.post("/api/v1/auth/logout", f.auth()::signOut);
        routes.get("/api/v1/auth/sessions", f.auth()::sessions);
        routes.delete("/api/v1/auth/sessions/{id}", f.auth()::revokeSession);

        // The caller's own account and profile (signed in)
        routes.get("/api/v1/me", f.profiles()::me);
        routes.patch("/api/v1/me", f.profiles()::updateMe);
        routes.delete("/api/v1/me", f.profiles()::deleteMe);

        // Profiles and follows: reading is open to anyone who may see the profile; following needs a signed-in caller
        routes.get("/api/v1/profiles/{username}", f.profiles()::profile);
        routes.put("/api/v1/profiles/{username}/follow", f.profiles()::follow);
        routes.delete("/api/v1/profiles/{username}/follow", f.profiles()::unfollow);
        routes.get("/api/v1/profiles/{username}/followers", f.profiles()::followers);
        routes.get("/api/v1/profiles/{username}/following", f.profiles()::following);

        // Projects
        var projects = f.projects();
        routes.post("/api/v1/projects", projects::create);
        routes.get("/api/v1/projects", projects::listMine);
        routes.get("/api/v1/projects/{id}", projects::get);
        routes.patch("/api/v1/projects/{id}", projects::update);
        routes.delete("/api/v1/projects/{id}", projects::delete);
        routes.put("/api/v1/projects/{id}/like", projects::like);
        routes.delete("/api/v1/projects/{id}/like", projects::unlike);
        routes.post("/api/v1/projects/{id}/plays", projects::play);
        routes.post("/api/v1/projects/{id}/transfer", projects::transfer);
        routes.post("/api/v1/projects/{id}/versions", projects::snapshot);
        routes.get("/api/v1/projects/{id}/versions", projects::versions);
        routes.get("/api/v1/projects/{id}/versions/{number}", projects::version);
        routes.delete("/api/v1/projects/{id}/versions/{number}", projects::deleteVersion);
        routes.post("/api/v1/projects/{id}/versions/{number}/restore", projects::restore);
        routes.post("/api/v1/projects/{id}/collaborators", projects::invite);
        routes.get("/api/v1/projects/{id}/collaborators", projects::collaborators);
        routes.patch("/api/v1/projects/{id}/collaborators/{userId}", projects::changeRole);
        routes.delete("/api/v1/projects/{id}/collaborators/{userId}", projects::removeCollaborator);
        routes.get("/api/v1/invitations", projects::invitations);
        routes.post("/api/v1/invitations/{id}/accept", projects::accept);
        routes.post("/api/v1/invitations/{id}/decline", projects::decline);
        routes.get("/api/v1/explore", projects::explore);
        routes.get("/api/v1/explore/featured", projects::featured);

        // Background jobs (renders, exports, transformations)
        routes.get("/api/v1/jobs/{id}", f.jobRoutes()::get);
        routes.get("/api/v1/jobs/{id}/events", f.jobRoutes()::events);
        routes.post("/api/v1/jobs/{id}/cancel", f.jobRoutes()::cancel);

        // AI presets and transformations
        var ai = f.transformations();
        routes.get("/api/v1/ai/presets", ai::presets);
        routes.post("/api/v1/projects/{id}/transformations", ai::request);
        routes.get("/api/v1/projects/{id}/transformations", ai::listForProject);
        routes.get("/api/v1/transformations", ai::listMine);
        routes.get("/api/v1/transformations/{id}", ai::get);
        routes.get("/api/v1/transformations/{id}/events", ai::events);
        routes.post("/api/v1/transformations/{id}/cancel", ai::cancel);
        routes.put("/api/v1/transformations/{id}/rating", ai::rate);
        routes.get("/api/v1/transformations/{id}/audio", ai::audio);
        routes.get("/api/v1/transformations/{id}/midi", ai::midi);
        routes.post("/api/v1/transformations/{id}/keep", ai::keep);

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
