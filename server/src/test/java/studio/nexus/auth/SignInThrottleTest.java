package studio.nexus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    /** Seconds to wait, given the account's attempts and how long ago each budget was used up (-1: not used up). */
    private static long wait(long accountAttempts, int clientBudgetAgo, int underAttackBudgetAgo, int networkBudgetAgo) {
        return SignInThrottle.secondsToWait(new AuthSql.SignInAttempts(accountAttempts, ago(clientBudgetAgo),
                ago(underAttackBudgetAgo), ago(networkBudgetAgo), NOW));
    }

    private static Instant ago(int seconds) {
        return seconds < 0 ? null : NOW.minusSeconds(seconds);
    }

    @Test
    void nothingUsedUpMeansNoWait() {
        assertThat(wait(0, -1, -1, -1)).isZero();
        assertThat(wait(99, -1, 60, -1)).isZero();
    }

    @Test
    void aUsedUpClientBudgetWaitsUntilTheAttemptThatUsedItLeavesTheWindow() {
        assertThat(wait(10, 600, 500, -1)).isEqualTo(300); // window 900 s
        assertThat(wait(10, 900, 500, -1)).isZero();
    }

    @Test
    void pastTheAccountWideBudgetTheUnderAttackBudgetCounts() {
        assertThat(wait(SignInThrottle.PER_ACCOUNT, -1, 100, -1)).isEqualTo(800);
        assertThat(wait(SignInThrottle.PER_ACCOUNT - 1, -1, 100, -1)).isZero();
    }

    @Test
    void aUsedUpNetworkBudgetRefusesWhateverTheAccount() {
        assertThat(wait(0, -1, -1, 60)).isEqualTo(840);
        assertThat(wait(10, 800, 700, 60)).isEqualTo(840);
    }

    @Test
    void theDetailSaysSecondsForShortWaitsAndMinutesForLongOnes() {
        assertThat(SignInThrottle.inWords(45)).isEqualTo("45 s");
        assertThat(SignInThrottle.inWords(840)).isEqualTo("14 minutes");
        assertThat(SignInThrottle.inWords(839)).isEqualTo("14 minutes");
    }
}
