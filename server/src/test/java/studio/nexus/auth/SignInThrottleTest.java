package studio.nexus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static long wait(long accountFailures, int secondsSinceLast, long ipFailures) {
        Instant last = NOW.minusSeconds(secondsSinceLast);
        return SignInThrottle.secondsToWait(new AuthSql.FailureCounts(accountFailures, NOW.minusSeconds(600), last,
                ipFailures, NOW.minusSeconds(60), NOW));
    }

    @Test
    void theFirstFiveFailuresCostNothing() {
        assertThat(wait(0, 0, 0)).isZero();
        assertThat(wait(4, 0, 4)).isZero();
    }

    @Test
    void fromTheFifthFailureEachAttemptWaitsTwiceAsLong() {
        assertThat(wait(5, 0, 5)).isEqualTo(2);
        assertThat(wait(6, 0, 6)).isEqualTo(4);
        assertThat(wait(9, 0, 9)).isEqualTo(32);
        assertThat(wait(9, 40, 9)).isZero();
    }

    @Test
    void tenFailuresLockTheAccountUntilTheOldestLeavesTheWindow() {
        assertThat(wait(10, 0, 10)).isEqualTo(300); // oldest 600 s ago, window 900 s
    }

    @Test
    void thirtyFailuresFromOneAddressLockIt() {
        assertThat(wait(0, 0, 29)).isZero();
        assertThat(wait(0, 0, 30)).isEqualTo(840);
    }
}
