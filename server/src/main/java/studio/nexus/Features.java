package studio.nexus;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import studio.nexus.core.Scheduler;
import studio.nexus.web.Caller;
import studio.nexus.auth.AccessTokens;
import studio.nexus.auth.Accounts;
import studio.nexus.auth.AuthRoutes;
import studio.nexus.auth.Authentication;
import studio.nexus.auth.JwtSecret;
import studio.nexus.auth.LiveSessionCache;
import studio.nexus.auth.Passwords;
import studio.nexus.auth.RefreshTokens;
import studio.nexus.auth.SignInThrottle;
import studio.nexus.auth.SignUpLimit;
import studio.nexus.comments.CommentRoutes;
import studio.nexus.comments.Comments;
import java.util.List;
import studio.nexus.db.Db;
import studio.nexus.jobs.Backoff;
import studio.nexus.jobs.JobHandler;
import studio.nexus.jobs.JobQueue;
import studio.nexus.jobs.JobRoutes;
import studio.nexus.jobs.Workers;
import studio.nexus.db.Migrations;
import studio.nexus.ops.OpsRoutes;
import studio.nexus.errors.ServerErrorLog;
import studio.nexus.profiles.ProfileRoutes;
import studio.nexus.profiles.Profiles;
import studio.nexus.projects.ProjectRoutes;
import studio.nexus.projects.Projects;
import studio.nexus.projects.Transfers;
import studio.nexus.storage.LocalStorage;
import studio.nexus.storage.Storage;
import studio.nexus.transformations.LocalArrangerProvider;
import studio.nexus.transformations.ReplicateClient;
import studio.nexus.transformations.ReplicateProvider;
import studio.nexus.transformations.ReplicateWebhookRoutes;
import studio.nexus.transformations.WebhookSignature;
import studio.nexus.transformations.TransformationHandler;
import studio.nexus.transformations.TransformationProvider;
import studio.nexus.transformations.TransformationRoutes;
import studio.nexus.transformations.TransformationSweeper;
import studio.nexus.transformations.Transformations;
import studio.nexus.usage.Usage;
import studio.nexus.usage.UsageRoutes;
import studio.nexus.web.RateLimiter;
import studio.nexus.admin.Admin;
import studio.nexus.admin.AdminRoutes;
import studio.nexus.analytics.Analytics;
import studio.nexus.analytics.AnalyticsRoutes;
import studio.nexus.errors.ErrorReports;
import studio.nexus.errors.ErrorRoutes;
import studio.nexus.effects.EffectRoutes;
import studio.nexus.effects.Effects;
import studio.nexus.exports.ExportHandler;
import studio.nexus.exports.ExportRoutes;
import studio.nexus.exports.Exports;
import studio.nexus.jobs.Jobs;
import studio.nexus.metronome.Metronome;
import studio.nexus.metronome.MetronomeRoutes;
import studio.nexus.mixdown.MixdownHandler;
import studio.nexus.mixdown.MixdownRoutes;
import studio.nexus.mixdown.Mixdowns;
import studio.nexus.mixdown.StemsHandler;
import studio.nexus.mixdown.TrackPreviews;
import studio.nexus.notifications.NotificationRoutes;
import studio.nexus.notifications.Notifications;
import studio.nexus.presets.PresetRoutes;
import studio.nexus.presets.Presets;
import studio.nexus.renders.RenderHandler;
import studio.nexus.renders.RenderRoutes;
import studio.nexus.renders.Renders;
import studio.nexus.storage.StorageSweeper;
import studio.nexus.takes.TakeRoutes;
import studio.nexus.takes.Takes;
import studio.nexus.tracks.TrackRoutes;
import studio.nexus.tracks.Tracks;
import java.util.LinkedHashMap;
import java.util.Map;
import studio.nexus.web.Problems;

/**
 * Every feature of the application, wired with {@code new} in one place from the database, the configuration and
 * the clock. Immutable once built.
 */
public record Features(
        Config config,
        Clock clock,
        Scheduler scheduler,
        Db db,
        Migrations migrations,
        PrometheusMeterRegistry metrics,
        AccessTokens tokens,
        Authentication authentication,
        OpsRoutes ops,
        Problems.ServerErrorListener serverErrors,
        Usage usage,
        AuthRoutes auth,
        ProfileRoutes profiles,
        ProjectRoutes projects,
        JobQueue jobs,
        Workers workers,
        JobRoutes jobRoutes,
        Storage storage,
        UsageRoutes usageRoutes,
        AnalyticsRoutes analytics,
        ErrorRoutes errors,
        AdminRoutes admin,
        RateLimiter rateLimiter,
        TakeRoutes takes,
        EffectRoutes effects,
        RenderRoutes renders,
        ExportRoutes exports,
        MetronomeRoutes metronome,
        PresetRoutes presets,
        StorageSweeper sweeper,
        TransformationRoutes transformations,
        TransformationSweeper transformationSweeper,
        ReplicateWebhookRoutes webhooks,
        TrackRoutes tracks,
        MixdownRoutes mixdowns,
        CommentRoutes comments,
        NotificationRoutes notifications) {

    private static Storage localStorage(Config config) {
        java.nio.file.Path dir = config.setting("STUDIO_STORAGE_DIR").map(java.nio.file.Path::of)
                .orElse(config.dataDir().resolve("storage"));
        try {
            return new LocalStorage(dir);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot use storage directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static java.nio.file.Path soundFont(Config config) {
        try {
            return LocalArrangerProvider.defaultSoundFont(config.setting("STUDIO_AI_SOUNDFONT"));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static Features build(Config config, Clock clock, Db db, Migrations migrations,
                                 PrometheusMeterRegistry metrics) {
        byte[] serverSecret = JwtSecret.resolve(config);
        AccessTokens tokens = new AccessTokens(serverSecret, Duration.ofMinutes(config.accessTokenMinutes()), clock);
        LiveSessionCache liveSessions = new LiveSessionCache(db, Duration.ofSeconds(config.sessionCacheSeconds()));
        Authentication authentication = new Authentication(tokens, liveSessions);
        Profiles profiles = new Profiles(db);
        Accounts accounts = new Accounts(db, tokens, new Passwords(config.bcryptCost()), new SignInThrottle(db),
                new SignUpLimit(db, config.intSetting("STUDIO_SIGNUPS_PER_HOUR_PER_CLIENT",
                        SignUpLimit.DEFAULT_PER_HOUR, 0, 1_000_000)),
                liveSessions, profiles::createOwn,
                new RefreshTokens(serverSecret, config.refreshTokenDays(),
                        Duration.ofSeconds(config.intSetting("STUDIO_REFRESH_REUSE_SECONDS", 10, 0, 60))));
        Usage usage = new Usage(db);
        Storage storage = localStorage(config);
        JobQueue jobs = new JobQueue(db, clock);
        long maxUploadBytes = (long) config.intSetting("STUDIO_MAX_UPLOAD_MB", 200, 1, 100_000) * 1024 * 1024;
        Map<String, TransformationProvider> providers = new LinkedHashMap<>();
        providers.put("local", new LocalArrangerProvider(storage, soundFont(config)));
        ReplicateClient replicateClient = null;
        ReplicateProvider replicate = null;
        java.util.Optional<String> replicateToken = config.setting("STUDIO_REPLICATE_TOKEN").filter(t -> !t.isBlank());
        if (replicateToken.isPresent()) {
            replicateClient = new ReplicateClient(
                    config.setting("STUDIO_REPLICATE_BASE_URL").orElse("https://api.replicate.com"), replicateToken.get());
            String webhookUrl = config.setting("STUDIO_PUBLIC_URL")
                    .map(url -> url.replaceAll("/+$", "") + "/api/v1/webhooks/replicate").orElse(null);
            // polling and deadlines run on the system clock (a test's settable clock would stop the wait)
            replicate = new ReplicateProvider(db, storage, replicateClient, webhookUrl,
                    config.setting("STUDIO_REPLICATE_MODEL_VERSION").orElse(ReplicateProvider.MUSICGEN_VERSION),
                    Duration.ofMinutes(config.intSetting("STUDIO_REPLICATE_DEADLINE_MINUTES", 15, 1, 120)),
                    Duration.ofMillis(config.intSetting("STUDIO_REPLICATE_POLL_MS", 2000, 10, 60_000)),
                    Duration.ofSeconds(30), Clock.systemUTC());
            providers.put("replicate", replicate);
        }
        WebhookSignature webhookSignature = config.setting("STUDIO_REPLICATE_WEBHOOK_SECRET")
                .filter(secret -> !secret.isBlank()).map(WebhookSignature::new).orElse(null);
        ReplicateWebhookRoutes webhooks = new ReplicateWebhookRoutes(db, storage, replicateClient, webhookSignature, replicate,
                clock);
        String defaultProvider = config.setting("STUDIO_AI_PROVIDER").orElse("local");
        if (!providers.containsKey(defaultProvider)) {
            throw new IllegalArgumentException("STUDIO_AI_PROVIDER=" + defaultProvider + " is not one of "
                    + providers.keySet());
        }
        List<JobHandler> handlers = List.of(new RenderHandler(db, storage), new ExportHandler(db, storage),
                new TransformationHandler(db, storage, providers), new MixdownHandler(db, storage),
                new StemsHandler(db, storage));
        Duration lease = Duration.ofSeconds(config.intSetting("STUDIO_JOB_LEASE_SECONDS", 30, 2, 3600));
        Backoff backoff = new Backoff(Duration.ofMillis(config.intSetting("STUDIO_JOB_BACKOFF_MS", 2000, 1, 600_000)),
                Duration.ofMinutes(10));
        Workers workers = new Workers(jobs, db.dataSource(), handlers, config.workers(), lease,
                Duration.ofSeconds(2), Duration.ofSeconds(20), backoff);
        // one scheduler for every periodic task of this process (sweepers, housekeeping, event streams' polls)
        Scheduler scheduler = new Scheduler();
        JobRoutes jobRoutes = new JobRoutes(new Jobs(db), authentication::isStillLive, scheduler);
        Transformations transformations = new Transformations(db, usage, storage, defaultProvider, providers.keySet(),
                workers::wakeUp);
        return new Features(config, clock, scheduler, db, migrations, metrics, tokens, authentication,
                new OpsRoutes(db, migrations, metrics, config.setting("STUDIO_METRICS_TOKEN")), new ServerErrorLog(db), usage,
                new AuthRoutes(accounts), new ProfileRoutes(profiles),
                new ProjectRoutes(new Projects(db, usage), new Transfers(db), config.maxJsonBodyBytes()),
                jobs, workers, jobRoutes, storage,
                new UsageRoutes(usage),
                new AnalyticsRoutes(new Analytics(db), config.maxJsonBodyBytes(), clock),
                new ErrorRoutes(new ErrorReports(db)),
                new AdminRoutes(new Admin(db)),
                new RateLimiter(db, config.rateLimits(), clock, ctx -> Caller.identity(ctx).userId(), metrics),
                new TakeRoutes(new Takes(db, storage, maxUploadBytes)),
                new EffectRoutes(new Effects(db), config.maxJsonBodyBytes()),
                new RenderRoutes(new Renders(db), config.maxJsonBodyBytes()),
                new ExportRoutes(new Exports(db, storage, usage), config.maxJsonBodyBytes()),
                new MetronomeRoutes(new Metronome(db)),
                new PresetRoutes(new Presets(db), config.maxJsonBodyBytes()),
                new StorageSweeper(db, storage, Duration.ofHours(1), clock),
                new TransformationRoutes(transformations, jobRoutes, config.maxJsonBodyBytes()),
                new TransformationSweeper(db, storage, clock), webhooks,
                new TrackRoutes(new Tracks(db), config.maxJsonBodyBytes()),
                new MixdownRoutes(new Mixdowns(db, storage, usage), new TrackPreviews(db, storage,
                        config.intSetting("STUDIO_PREVIEW_RENDERS", TrackPreviews.DEFAULT_RENDERS, 1, 64)),
                        config.maxJsonBodyBytes()),
                new CommentRoutes(new Comments(db), config.maxJsonBodyBytes()),
                new NotificationRoutes(new Notifications(db)));
    }
}
