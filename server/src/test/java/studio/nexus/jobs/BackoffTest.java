package studio.nexus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10));

    @ParameterizedTest(name = "after attempt {0} the delay is between {1} and {2} ms")
    @CsvSource({
            "1, 1000, 2000",
            "2, 2000, 4000",
            "3, 4000, 8000",
            "5, 16000, 32000",
            "10, 300000, 600000",
            "40, 300000, 600000"})
    void delaysGrowExponentiallyWithJitterAndAreCapped(int attempt, long min, long max) {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            long delay = backoff.delayAfter(attempt, random).toMillis();
            assertThat(delay).isBetween(min, max);
        }
    }

    @ParameterizedTest(name = "jitter spreads retries of attempt {0}")
    @CsvSource({"1", "3", "8"})
    void jitterSpreadsRetriesSoFailuresTogetherDoNotRetryTogether(int attempt) {
        Random random = new Random(7);
        long first = backoff.delayAfter(attempt, random).toMillis();
        boolean differs = false;
        for (int i = 0; i < 20; i++) {
            differs |= backoff.delayAfter(attempt, random).toMillis() != first;
        }
        assertThat(differs).isTrue();
    }
}
