package studio.nexus.jobs;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a failed job waits before its next attempt: exponential in the attempt number, capped, with "full
 * jitter" (a uniform draw below the exponential value) so that jobs failing together don't retry together.
 * Pure; thread-safe if the random generator is.
 */
public record Backoff(Duration base, Duration cap) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10));

    /** The delay before attempt {@code attempt + 1}, after attempt {@code attempt} (1-based) failed. */
    public Duration delayAfter(int attempt, RandomGenerator random) {
        int exponent = Math.max(0, Math.min(attempt - 1, 30));
        long ceiling = Math.min(cap.toMillis(), base.toMillis() * (1L << Math.min(exponent, 20)));
        long half = ceiling / 2;
        // half fixed, half random: never retries at once, never later than the ceiling
        return Duration.ofMillis(half + (long) (random.nextDouble() * (ceiling - half + 1)));
    }
}
