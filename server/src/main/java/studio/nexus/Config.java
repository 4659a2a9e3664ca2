package studio.nexus;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the server reads from its environment, each variable prefixed {@code STUDIO_}. Immutable; built once
 * in {@link Main} (or by a test) and handed to {@link App#create}. Defaults are documented in README.md.
 */
public record Config(
        int port,
        Optional<String> dbUrl,
        Optional<String> dbUser,
        Optional<String> dbPassword,
        Path dataDir,
        Optional<String> jwtSecret,
        int dbPoolSize,
        long maxJsonBodyBytes,
        boolean devMode,
        int accessTokenMinutes,
        int refreshTokenDays,
        int bcryptCost,
        int sessionCacheSeconds,
        int workers,
        Map<String, String> env,
        int analyticsRetentionMonths,
        RateLimits rateLimits) {

    /**
     * Requests allowed per client per minute (0 = no limit): anonymous requests to /api/v1 per address; writes
     * (non-GET) per signed-in user; event batches and client error reports per user, or per address when anonymous.
     */
    public record RateLimits(int anonPerMinute, int writesPerMinute, int eventsPerMinute, int errorsPerMinute) {}

    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        return new Config(
                intVar(env, "STUDIO_PORT", 8080, 0, 65535),
                optional(env, "STUDIO_DB_URL"),
                optional(env, "STUDIO_DB_USER"),
                optional(env, "STUDIO_DB_PASSWORD"),
                Path.of(env.getOrDefault("STUDIO_DATA_DIR", "./data")).toAbsolutePath().normalize(),
                optional(env, "STUDIO_JWT_SECRET"),
                intVar(env, "STUDIO_DB_POOL_SIZE", 16, 1, 500),
                intVar(env, "STUDIO_MAX_JSON_BODY_KB", 1024, 1, 65536) * 1024L,
                !"production".equalsIgnoreCase(env.getOrDefault("STUDIO_ENV", "development")),
                intVar(env, "STUDIO_ACCESS_TOKEN_MINUTES", 15, 1, 24 * 60),
                intVar(env, "STUDIO_REFRESH_TOKEN_DAYS", 30, 1, 365),
                // bcrypt below 10 is too cheap to guess against; above 16 a sign-in takes seconds
                intVar(env, "STUDIO_BCRYPT_COST", 10, 10, 16),
                // how long a "this session is live" answer may be reused: the bound on how late a revocation made
                // on another server is noticed here (revocations on this server take effect at once)
                intVar(env, "STUDIO_SESSION_CACHE_SECONDS", 5, 0, 10),
                intVar(env, "STUDIO_WORKERS", 1, 0, 64),
                Map.copyOf(env),
                // whole months of analytics events kept before the current one; older partitions are dropped
                intVar(env, "STUDIO_ANALYTICS_RETENTION_MONTHS", 13, 1, 120),
                new RateLimits(
                        intVar(env, "STUDIO_RATE_LIMIT_ANON_PER_MINUTE", 1200, 0, 10_000_000),
                        intVar(env, "STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", 1200, 0, 10_000_000),
                        intVar(env, "STUDIO_RATE_LIMIT_EVENTS_PER_MINUTE", 300, 0, 10_000_000),
                        intVar(env, "STUDIO_RATE_LIMIT_ERRORS_PER_MINUTE", 60, 0, 10_000_000)));
    }

    /** A whole-number setting of a feature, validated; for settings only one feature reads. */
    public int intSetting(String name, int fallback, int min, int max) {
        return intVar(env, name, fallback, min, max);
    }

    /** A text setting of a feature, when set and not blank. */
    public Optional<String> setting(String name) {
        return optional(env, name);
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static int intVar(Map<String, String> env, String name, int fallback, int min, int max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + "=" + raw + " is outside " + min + "–" + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + raw + " is not a whole number", e);
        }
    }
}
