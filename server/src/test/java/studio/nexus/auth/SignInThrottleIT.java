package studio.nexus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.AllAtOnce;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * The throttle keys on the client's address, so each test speaks from loopback addresses of its own
 * ({@link Http#from}); the attacker and the owner of an account are two of them.
 */
class SignInThrottleIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    private static Http from(String address) {
        return server.http().from(address);
    }

    private static Http.Response signIn(Http client, String email, String password) {
        return client.post("/api/v1/auth/login", null, Map.of("email", email, "password", password));
    }

    private static long attempts(String email) {
        return database.one(Long.class, "SELECT count(*) FROM auth.sign_in_failures WHERE email = :email",
                TestDatabase.params("email", email));
    }

    /** Failed attempts on this email, made {@code minutesAgo}, each from a network of its own (192.0.2.x, …). */
    private static void failedEarlier(String email, int count, int minutesAgo, String fromAddress) {
        database.update("""
                INSERT INTO auth.sign_in_failures (email, ip_address, failed_at)
                SELECT :email, coalesce(CAST(:address AS inet), CAST('10.13.0.0' AS inet) + i),
                       now() - make_interval(mins => :minutesAgo)
                  FROM generate_series(1, :count) AS i""",
                TestDatabase.params("email", email, "address", fromAddress, "count", count, "minutesAgo", minutesAgo));
    }

    private static void assertRateLimited(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(429);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("code").asText()).isEqualTo("rate_limited");
        assertThat(response.json().path("retry_after_seconds").asLong())
                .isEqualTo(Long.parseLong(response.header("Retry-After")));
    }

    /**
     * Issue 13: 50 parallel guesses got 48 passwords checked. Now exactly the per-client budget is, in every trial
     * (each trial a new account and attacker address), and the owner still signs in from elsewhere.
     */
    @Test
    void fiftyParallelWrongGuessesGetExactlyTheClientBudgetCheckedAndTheOwnerStillSignsIn() throws Exception {
        for (int trial = 0; trial < 5; trial++) {
            Musician account = Musicians.signUp(server.http(), "guessed");
            Http attacker = from("127.0.1." + (trial + 1));
            List<Callable<Http.Response>> guesses = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String guess = "Wrong-Guess-" + i;
                guesses.add(() -> signIn(attacker, account.email(), guess));
            }
            int checked = 0;
            int refused = 0;
            for (Http.Response response : AllAtOnce.run(guesses)) {
                if (response.status() == 401) {
                    checked++;
                } else {
                    assertRateLimited(response);
                    refused++;
                }
            }
            assertThat(checked).as("trial %d: passwords checked", trial).isEqualTo(SignInThrottle.PER_CLIENT);
            assertThat(refused).as("trial %d", trial).isEqualTo(50 - SignInThrottle.PER_CLIENT);
            assertThat(attempts(account.email())).as("trial %d", trial).isEqualTo(SignInThrottle.PER_CLIENT);

            // The attacker is refused even with the right password (the throttle answers before checking) …
            Http.Response blocked = signIn(attacker, account.email(), Musicians.PASSWORD);
            assertRateLimited(blocked);
            assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(14 * 60L, 15 * 60L);
            // … while the owner, from another address, signs in.
            Http owner = from("127.0.2." + (trial + 1));
            assertThat(signIn(owner, account.email(), Musicians.PASSWORD).status()).as("trial %d", trial)
                    .isEqualTo(200);
            // The owner's success gives the attacker nothing back.
            assertRateLimited(signIn(attacker, account.email(), Musicians.PASSWORD));
        }
    }

    @Test
    void pastTheAccountWideBudgetEachClientGetsOnlyAFewAttemptsAndTheOwnerStillGetsIn() {
        Musician account = Musicians.signUp(server.http(), "besieged");
        // A distributed attack has spent the account-wide budget, from as many networks as attempts.
        failedEarlier(account.email(), SignInThrottle.PER_ACCOUNT, 1, null);
        Http newcomer = from("127.0.3.1");
        for (int i = 0; i < SignInThrottle.PER_CLIENT_UNDER_ATTACK; i++) {
            assertThat(signIn(newcomer, account.email(), "Wrong-Guess-" + i).status()).isEqualTo(401);
        }
        assertRateLimited(signIn(newcomer, account.email(), "Wrong-Guess-x"));
        assertThat(signIn(from("127.0.3.2"), account.email(), Musicians.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void anUnknownEmailIsThrottledExactlyLikeAnAccount() {
        Musician account = Musicians.signUp(server.http(), "locked");
        String unknown = "nobody_" + account.email();
        Http client = from("127.0.4.1");
        failedEarlier(account.email(), SignInThrottle.PER_CLIENT, 1, "127.0.4.1");
        failedEarlier(unknown, SignInThrottle.PER_CLIENT, 1, "127.0.4.1");
        Http.Response known = signIn(client, account.email(), Musicians.PASSWORD);
        Http.Response missing = signIn(client, unknown, Musicians.PASSWORD);
        assertRateLimited(known);
        assertRateLimited(missing);
        assertThat(Long.parseLong(known.header("Retry-After"))).isBetween(13 * 60L, 14 * 60L);
        assertThat(missing.json().path("detail").asText().replaceAll("\\d+", "N"))
                .isEqualTo(known.json().path("detail").asText().replaceAll("\\d+", "N"));
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCountAndASuccessClearsOnlyThatClientsAttempts() {
        Musician account = Musicians.signUp(server.http(), "window");
        failedEarlier(account.email(), SignInThrottle.PER_CLIENT, 16, "127.0.5.1");
        failedEarlier(account.email(), 4, 1, "127.0.5.2");
        Http owner = from("127.0.5.1");
        assertThat(signIn(owner, account.email(), "Wrong-Guess-1").status()).isEqualTo(401);
        assertThat(signIn(owner, account.email(), Musicians.PASSWORD).status()).isEqualTo(200);
        // The owner's address starts afresh; the other address's failures still count against it.
        assertThat(attempts(account.email())).isEqualTo(4);
    }

    @Test
    void manyFailuresFromOneNetworkAcrossAccountsAreRefused() {
        Musician account = Musicians.signUp(server.http(), "sprayed");
        Http sprayer = from("127.0.6.1");
        // One guess at each of 30 different emails (as a password spray would make).
        for (int i = 0; i < SignInThrottle.PER_NETWORK; i++) {
            assertThat(signIn(sprayer, "spray" + i + "_" + account.email(), "Spray-Password-1").status())
                    .isEqualTo(401);
        }
        Http.Response refused = signIn(sprayer, account.email(), Musicians.PASSWORD);
        assertRateLimited(refused);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(14 * 60L, 15 * 60L);
        assertThat(signIn(from("127.0.6.2"), account.email(), Musicians.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void anIpv6ClientIsItsSlash64() {
        boolean sameHost = database.one(Boolean.class,
                "SELECT auth.client_network('2001:db8:1:2::1') = auth.client_network('2001:db8:1:2:ffff::9')");
        boolean otherHost = database.one(Boolean.class,
                "SELECT auth.client_network('2001:db8:1:2::1') = auth.client_network('2001:db8:1:3::1')");
        boolean ipv4 = database.one(Boolean.class,
                "SELECT auth.client_network('192.0.2.1') = auth.client_network('192.0.2.2')");
        assertThat(sameHost).isTrue();
        assertThat(otherHost).isFalse();
        assertThat(ipv4).isFalse();
    }
}
