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
        routes.delete("/api/v1/me", f.auth()::deleteAccount);

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
        routes.post("/api/v1/projects/{id}/transfer", projects::offerTransfer);
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
        routes.get("/api/v1/transfer-offers", projects::transferOffers);
        routes.get("/api/v1/transfer-offers/{id}", projects::transferOffer);
        routes.post("/api/v1/transfer-offers/{id}/accept", projects::acceptTransfer);
        routes.post("/api/v1/transfer-offers/{id}/decline", projects::declineTransfer);
        routes.delete("/api/v1/transfer-offers/{id}", projects::withdrawTransfer);
        routes.get("/api/v1/explore", projects::explore);
        routes.get("/api/v1/explore/featured", projects::featured);

        // Studio: a project's take (audio, waveform, playback), effects, renders, exports, metronome
        var takes = f.takes();
        routes.put("/api/v1/projects/{id}/audio", takes::upload);
        routes.delete("/api/v1/projects/{id}/audio", takes::removeAudio);
        routes.get("/api/v1/projects/{id}/audio/original", takes::playOriginal);
        routes.get("/api/v1/projects/{id}/audio/processed", takes::playProcessed);
        routes.get("/api/v1/projects/{id}/waveform", takes::waveform);
        // The take pool: every take a project holds, placed on tracks by clips
        routes.get("/api/v1/projects/{id}/takes", takes::listTakes);
        routes.post("/api/v1/projects/{id}/takes", takes::addTake);
        routes.get("/api/v1/projects/{id}/takes/{take}", takes::getTake);
        routes.patch("/api/v1/projects/{id}/takes/{take}", takes::renameTake);
        routes.delete("/api/v1/projects/{id}/takes/{take}", takes::deleteTake);
        routes.get("/api/v1/projects/{id}/takes/{take}/waveform", takes::takeWaveform);
        routes.get("/api/v1/projects/{id}/takes/{take}/audio", takes::playTake);
        routes.put("/api/v1/projects/{id}/effects", f.effects()::setEffects);
        routes.post("/api/v1/projects/{id}/render", f.renders()::render);
        routes.post("/api/v1/projects/{id}/exports", f.exports()::export);
        routes.get("/api/v1/projects/{id}/exports/{jobId}/file", f.exports()::exportFile);
        routes.get("/api/v1/projects/{id}/metronome", f.metronome()::projectClickTrack);
        routes.get("/api/v1/metronome", f.metronome()::clickTrack);
        routes.get("/api/v1/effects/catalog", f.effects()::catalog);

        // Arrangement: tracks and the clips that place takes on them (reading as the project; changing as an editor)
        var tracks = f.tracks();
        routes.get("/api/v1/projects/{id}/arrangement", tracks::arrangement);
        routes.patch("/api/v1/projects/{id}/arrangement/master", tracks::updateMaster);
        routes.get("/api/v1/projects/{id}/tracks", tracks::list);
        routes.post("/api/v1/projects/{id}/tracks", tracks::createTrack);
        routes.put("/api/v1/projects/{id}/tracks/order", tracks::reorder);
        routes.patch("/api/v1/projects/{id}/tracks/{trackId}", tracks::updateTrack);
        routes.delete("/api/v1/projects/{id}/tracks/{trackId}", tracks::deleteTrack);
        routes.post("/api/v1/projects/{id}/tracks/{trackId}/clips", tracks::createClip);
        routes.patch("/api/v1/projects/{id}/tracks/{trackId}/clips/{clipId}", tracks::updateClip);
        routes.delete("/api/v1/projects/{id}/tracks/{trackId}/clips/{clipId}", tracks::deleteClip);
        routes.post("/api/v1/projects/{id}/tracks/{trackId}/clips/{clipId}/split", tracks::split);
        // The arrangement mixed (as an editor): into the processed audio, or into stems downloaded as a zip
        var mixdowns = f.mixdowns();
        routes.post("/api/v1/projects/{id}/mixdown", mixdowns::mixdown);
        routes.post("/api/v1/projects/{id}/stems", mixdowns::stems);
        routes.get("/api/v1/projects/{id}/stems/{jobId}/file", mixdowns::stemsFile);
        // A track through its effects, pre-fader and pre-pan, for the desk to play (whoever sees the project)
        routes.get("/api/v1/projects/{id}/tracks/{trackId}/preview", mixdowns::trackPreview);

        // Comments on a project's timeline (reading as the project; writing as the policies of V95 say)
        var comments = f.comments();
        routes.get("/api/v1/projects/{id}/comments", comments::list);
        routes.post("/api/v1/projects/{id}/comments", comments::create);
        routes.get("/api/v1/projects/{id}/comments/{commentId}", comments::get);
        routes.patch("/api/v1/projects/{id}/comments/{commentId}", comments::edit);
        routes.delete("/api/v1/projects/{id}/comments/{commentId}", comments::delete);
        routes.post("/api/v1/projects/{id}/comments/{commentId}/resolve", comments::resolve);
        routes.post("/api/v1/projects/{id}/comments/{commentId}/reopen", comments::reopen);

        // Effects presets
        var presets = f.presets();
        routes.get("/api/v1/effects-presets", presets::list);
        routes.post("/api/v1/effects-presets", presets::create);
        routes.get("/api/v1/effects-presets/{id}", presets::get);
        routes.patch("/api/v1/effects-presets/{id}", presets::update);
        routes.delete("/api/v1/effects-presets/{id}", presets::delete);
        routes.post("/api/v1/effects-presets/{id}/apply", presets::apply);
        routes.put("/api/v1/effects-presets/{id}/rating", presets::rate);

        // Background jobs (renders, exports, transformations)
        routes.get("/api/v1/jobs/{id}", f.jobRoutes()::get);
        routes.get("/api/v1/jobs/{id}/events", f.jobRoutes()::events);
        routes.post("/api/v1/jobs/{id}/cancel", f.jobRoutes()::cancel);
        // The signed-in musician's notifications (written by the database; delivered live on user_notifications)
        routes.get("/api/v1/notifications", f.notifications()::list);
        routes.post("/api/v1/notifications/read-all", f.notifications()::markAllRead);
        routes.post("/api/v1/notifications/{id}/read", f.notifications()::markRead);
        // Usage of the caller's plan
        routes.get("/api/v1/usage", f.usageRoutes()::mine);

        // Analytics: batches from clients (signed in or anonymous); the caller's own events
        routes.post("/api/v1/events", f.analytics()::ingest);
        routes.get("/api/v1/events", f.analytics()::mine);

        // Client-side error reports (signed in or anonymous)
        routes.post("/api/v1/errors", f.errors()::report);

        // Administration: administrators only (the database decides; handlers answer 403 to everyone else)
        var admin = f.admin();
        routes.get("/api/v1/admin/admins", admin::admins);
        routes.put("/api/v1/admin/admins/{userId}", admin::grant);
        routes.delete("/api/v1/admin/admins/{userId}", admin::revoke);
        routes.put("/api/v1/admin/users/{userId}/subscription", admin::setSubscription);
        routes.get("/api/v1/admin/users/{userId}/usage", admin::usage);
        routes.put("/api/v1/admin/projects/{id}/featured", admin::setFeatured);
        routes.get("/api/v1/admin/ai-presets", admin::aiPresets);
        routes.post("/api/v1/admin/ai-presets", admin::createAiPreset);
        routes.patch("/api/v1/admin/ai-presets/{id}", admin::updateAiPreset);
        routes.get("/api/v1/admin/effects-presets", admin::effectsPresets);
        routes.post("/api/v1/admin/effects-presets", admin::createEffectsPreset);
        routes.patch("/api/v1/admin/effects-presets/{id}", admin::updateEffectsPreset);
        routes.get("/api/v1/admin/limits", admin::limits);
        routes.put("/api/v1/admin/limits/{tier}/{resourceType}", admin::putLimit);
        routes.get("/api/v1/admin/audit", admin::audit);
        routes.get("/api/v1/admin/analytics", f.analytics()::counts);
        routes.get("/api/v1/admin/errors", f.errors()::list);
        routes.patch("/api/v1/admin/errors/{id}", f.errors()::resolve);

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
        routes.post("/api/v1/transformations/{id}/tracks", ai::addAsTracks);
        // Provider callbacks: no user; verified by their signature (Standard Webhooks)
        routes.post("/api/v1/webhooks/replicate", f.webhooks()::receive);

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
