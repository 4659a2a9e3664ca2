package studio.nexus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Accounts;
import studio.nexus.testing.Http;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/** Each test here uses its own accounts; the per-address test runs last, as it locks out the test client's address. */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class SignInThrottleIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    private static Http http() {
        return server.http();
    }

    private static Http.Response signIn(String email, String password) {
        return http().post("/api/v1/auth/login", null, Map.of("email", email, "password", password));
    }

    @Test
    @Order(1)
    void repeatedFailuresForOneAccountAreSlowedThenRefusedWith429AndRetryAfter() {
        Accounts.Account account = Accounts.signUp(http(), "guessed");
        for (int i = 0; i < SignInThrottle.ACCOUNT_FREE_FAILURES; i++) {
            assertThat(signIn(account.email(), "wrong-guess-" + i).status()).isEqualTo(401);
        }
        // Even the right password must wait now: the throttle answers before the password is checked.
        Http.Response refused = signIn(account.email(), Accounts.PASSWORD);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("code").asText()).isEqualTo("rate_limited");
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 2L);
        assertThat(refused.json().path("retry_after_seconds").asLong()).isEqualTo(retryAfter);
        // The refused attempt was not counted as a failure.
        long failures = database.db().asSystem(handle -> handle.createQuery(
                "SELECT count(*) FROM auth.sign_in_failures WHERE email = :email").bind("email", account.email())
                .mapTo(Long.class).one());
        assertThat(failures).isEqualTo(SignInThrottle.ACCOUNT_FREE_FAILURES);
    }

    @Test
    @Order(2)
    void anAccountIsLockedForTheWindowAfterTenFailuresAndAnUnknownEmailIsTreatedAlike() {
        Accounts.Account account = Accounts.signUp(http(), "locked");
        String unknown = "nobody_" + account.email();
        for (String email : new String[] {account.email(), unknown}) {
            database.db().asSystem(handle -> handle.createUpdate("""
                    INSERT INTO auth.sign_in_failures (email, ip_address, failed_at)
                    SELECT :email, '192.0.2.1', now() - interval '1 minute' FROM generate_series(1, 10)""")
                    .bind("email", email).execute());
        }
        Http.Response known = signIn(account.email(), Accounts.PASSWORD);
        Http.Response missing = signIn(unknown, Accounts.PASSWORD);
        assertThat(known.status()).isEqualTo(429);
        assertThat(missing.status()).isEqualTo(429);
        assertThat(Long.parseLong(known.header("Retry-After"))).isBetween(13 * 60L, 14 * 60L);
        assertThat(missing.json().path("detail").asText().replaceAll("\\d+", "N"))
                .isEqualTo(known.json().path("detail").asText().replaceAll("\\d+", "N"));
    }

    @Test
    @Order(3)
    void failuresOlderThanTheWindowNoLongerCountAndASuccessClearsTheAccount() {
        Accounts.Account account = Accounts.signUp(http(), "window");
        database.db().asSystem(handle -> handle.createUpdate("""
                INSERT INTO auth.sign_in_failures (email, ip_address, failed_at)
                SELECT :email, '192.0.2.2', now() - interval '16 minutes' FROM generate_series(1, 10)""")
                .bind("email", account.email()).execute());
        assertThat(signIn(account.email(), Accounts.PASSWORD).status()).isEqualTo(200);
        long left = database.db().asSystem(handle -> handle.createQuery(
                "SELECT count(*) FROM auth.sign_in_failures WHERE email = :email").bind("email", account.email())
                .mapTo(Long.class).one());
        assertThat(left).isZero();
    }

    @Test
    @Order(4)
    void manyFailuresFromOneAddressAcrossAccountsAreRefused() {
        Accounts.Account account = Accounts.signUp(http(), "sprayed");
        // 30 failures for 30 different emails from this client's address (as a password spray would make).
        for (int i = 0; i < SignInThrottle.IP_LOCK_FAILURES; i++) {
            assertThat(signIn("spray" + i + "_" + account.email(), "Spray-Password-1").status()).isIn(401, 429);
        }
        Http.Response refused = signIn(account.email(), Accounts.PASSWORD);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(14 * 60L, 15 * 60L);
    }
}
