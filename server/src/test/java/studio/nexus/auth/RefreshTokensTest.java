package studio.nexus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RefreshTokensTest {
    private static RefreshTokens withSecret(String secret) {
        return new RefreshTokens(secret.getBytes(StandardCharsets.UTF_8), 30, Duration.ofSeconds(10));
    }

    @Test
    void everyProcessWithTheSameSecretNamesTheSameSuccessor() {
        String token = Secrets.newToken();
        assertThat(withSecret("a-secret-that-is-long-enough-for-hs256-signing").successorOf(token))
                .isEqualTo(withSecret("a-secret-that-is-long-enough-for-hs256-signing").successorOf(token));
    }

    @Test
    void theSuccessorIsAFreshLookingTokenThatDependsOnTokenAndSecret() {
        RefreshTokens tokens = withSecret("a-secret-that-is-long-enough-for-hs256-signing");
        String token = Secrets.newToken();
        String successor = tokens.successorOf(token);
        assertThat(successor).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(token);
        assertThat(tokens.successorOf(successor)).isNotEqualTo(successor);
        assertThat(tokens.successorOf(Secrets.newToken())).isNotEqualTo(successor);
        assertThat(withSecret("another-secret-that-is-long-enough-for-hs256").successorOf(token))
                .isNotEqualTo(successor);
    }
}
