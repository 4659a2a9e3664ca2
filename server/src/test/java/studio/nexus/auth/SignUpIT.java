package studio.nexus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
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
 * Sign-up as the default per-client limit allows it (the test kit otherwise turns the limit off): the tests that
 * are not about the limit sign up from localhost, well under it; those about it speak from addresses of their own.
 */
class SignUpIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database)
            .with("STUDIO_SIGNUPS_PER_HOUR_PER_CLIENT", ""); // blank: the default

    private static Map<String, Object> body(String email, String password, String username) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", email);
        body.put("password", password);
        body.put("username", username);
        return body;
    }

    private long count(String sql) {
        return database.one(Long.class, sql);
    }

    @Test
    void signUpCreatesAccountProfileAndSessionAndAnswersTokens() {
        String username = Musicians.uniqueName("ada");
        Map<String, Object> body = body("  " + username.toUpperCase() + "@Example.TEST ", Musicians.PASSWORD, username);
        body.put("full_name", "Ada Lovelace");
        Http.Response response = server.http().offContract().post("/api/v1/auth/signup", null, body);

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        var json = response.json();
        assertThat(json.path("profile").path("email").asText()).isEqualTo(username + "@example.test");
        assertThat(json.path("profile").path("username").asText()).isEqualTo(username);
        assertThat(json.path("profile").path("full_name").asText()).isEqualTo("Ada Lovelace");
        assertThat(json.path("profile").path("profile_public").asBoolean()).isFalse();
        assertThat(json.path("profile").path("subscription_tier").asText()).isEqualTo("free");
        assertThat(json.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(json.path("expires_in").asLong()).isEqualTo(15 * 60);
        assertThat(json.path("access_token").asText()).isNotEmpty();
        assertThat(json.path("refresh_token").asText()).hasSizeGreaterThanOrEqualTo(43);

        Http.Response me = server.http().get("/api/v1/me", json.path("access_token").asText());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("id").asText()).isEqualTo(json.path("profile").path("id").asText());

        String id = json.path("profile").path("id").asText();
        String stored = database.one(String.class,
                "SELECT encrypted_password FROM auth.users WHERE id = CAST(:id AS uuid)",
                TestDatabase.params("id", id));
        assertThat(stored).startsWith("$2a$10$").doesNotContain(Musicians.PASSWORD);
        String sessionToken = database.one(String.class,
                "SELECT session_token FROM public.user_sessions WHERE user_id = CAST(:id AS uuid)",
                TestDatabase.params("id", id));
        assertThat(sessionToken).hasSize(64).isNotEqualTo(json.path("refresh_token").asText());
    }

    @Test
    void usernameIsStoredLowercaseAndUniqueWhateverItsCase() {
        String username = Musicians.uniqueName("case");
        assertThat(server.http().post("/api/v1/auth/signup", null,
                body(username + "@example.test", Musicians.PASSWORD, username.toUpperCase())).status()).isEqualTo(201);
        Http.Response again = server.http().post("/api/v1/auth/signup", null,
                body("other_" + username + "@example.test", Musicians.PASSWORD, username));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("code").asText()).isEqualTo("username_taken");
    }

    @Test
    void aUsernameTakenInAnotherCaseByAnyMeansIsRefusedByTheDatabase() {
        String username = Musicians.uniqueName("mixed");
        Musicians.named(username.toUpperCase()).inDatabase(database);
        Http.Response response = server.http().post("/api/v1/auth/signup", null,
                body("another_" + username + "@example.test", Musicians.PASSWORD, username));
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().path("code").asText()).isEqualTo("username_taken");
    }

    @Test
    void duplicateEmailIs409EmailTakenWhateverItsCaseAndWritesNothing() {
        Musician first = Musicians.signUp(server.http(), "dup");
        long users = count("SELECT count(*) FROM auth.users");
        long profiles = count("SELECT count(*) FROM public.profiles");
        long sessions = count("SELECT count(*) FROM public.user_sessions");
        Http.Response response = server.http().post("/api/v1/auth/signup", null,
                body(first.email().toUpperCase(), Musicians.PASSWORD, Musicians.uniqueName("dup2")));
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().path("code").asText()).isEqualTo("email_taken");
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(count("SELECT count(*) FROM auth.users")).isEqualTo(users);
        assertThat(count("SELECT count(*) FROM public.profiles")).isEqualTo(profiles);
        assertThat(count("SELECT count(*) FROM public.user_sessions")).isEqualTo(sessions);
    }

    @Test
    void aTakenUsernameRollsBackTheAccountCreatedInTheSameTransaction() {
        Musician first = Musicians.signUp(server.http(), "roll");
        long users = count("SELECT count(*) FROM auth.users");
        String email = Musicians.uniqueName("roll") + "@example.test";
        Http.Response response = server.http().post("/api/v1/auth/signup", null,
                body(email, Musicians.PASSWORD, first.username()));
        assertThat(response.json().path("code").asText()).isEqualTo("username_taken");
        assertThat(count("SELECT count(*) FROM auth.users")).isEqualTo(users);
        assertThat(count("SELECT count(*) FROM auth.users WHERE email = '" + email + "'")).isZero();
    }

    @Test
    void weakPasswordsAreRefusedWithTheReason() {
        check("short7!", "at least 8");
        check("password123", "most common");
        check("QWERTY123", "most common");
        check("iloveyou1", "most common");
        check("x".repeat(129), "at most 128");
    }

    private void check(String password, String reason) {
        String username = Musicians.uniqueName("weak");
        Http.Response response = server.http().offContract().post("/api/v1/auth/signup", null,
                body(username + "@example.test", password, username));
        assertThat(response.status()).as(password).isEqualTo(422);
        assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo("password");
        assertThat(response.json().path("errors").get(0).path("message").asText()).contains(reason);
    }

    @Test
    void thePasswordMayNotBeTheUsername() {
        String username = Musicians.uniqueName("same");
        Http.Response response = server.http().post("/api/v1/auth/signup", null,
                body(username + "@example.test", username, username));
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.body()).contains("email or username");
    }

    @Test
    void usernamesAndEmailsOutsideTheRulesAreRefused() {
        for (String username : new String[] {"ab", "a".repeat(31), "has space", "dash-ed", "émile", "semi;colon"}) {
            Http.Response response = server.http().offContract().post("/api/v1/auth/signup", null,
                    body(Musicians.uniqueName("u") + "@example.test", Musicians.PASSWORD, username));
            assertThat(response.status()).as(username).isEqualTo(422);
            assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo("username");
        }
        for (String email : new String[] {"no-at-sign", "a@b", "two@@example.test", "sp ace@example.test"}) {
            Http.Response response = server.http().offContract().post("/api/v1/auth/signup", null,
                    body(email, Musicians.PASSWORD, Musicians.uniqueName("e")));
            assertThat(response.status()).as(email).isEqualTo(422);
            assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo("email");
        }
    }

    private static Http.Response signUpFrom(Http client, String prefix) {
        String username = Musicians.uniqueName(prefix);
        return client.post("/api/v1/auth/signup", null, body(username + "@example.test", Musicians.PASSWORD, username));
    }

    /** Issue 13: 93 accounts in 10 s from one address. */
    @Test
    void signUpsFromOneClientAreLimitedPerHourWith429AndRetryAfterWhileOthersSignUp() {
        Http client = server.http().from("127.0.7.1");
        for (int i = 0; i < SignUpLimit.DEFAULT_PER_HOUR; i++) {
            assertThat(signUpFrom(client, "many").status()).isEqualTo(201);
        }
        long users = count("SELECT count(*) FROM auth.users");
        Http.Response refused = signUpFrom(client, "many");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("code").asText()).isEqualTo("rate_limited");
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(3500L, 3600L);
        assertThat(refused.json().path("retry_after_seconds").asLong()).isEqualTo(retryAfter);
        assertThat(count("SELECT count(*) FROM auth.users")).isEqualTo(users);
        assertThat(signUpFrom(server.http().from("127.0.7.2"), "other").status()).isEqualTo(201);
    }

    @Test
    void parallelSignUpsFromOneClientStopExactlyAtTheLimit() throws Exception {
        for (int trial = 0; trial < 3; trial++) {
            Http client = server.http().from("127.0.8." + (trial + 1));
            int created = 0;
            for (Http.Response response : AllAtOnce.times(40, () -> signUpFrom(client, "burst"))) {
                if (response.status() == 201) {
                    created++;
                } else {
                    assertThat(response.status()).as(response.toString()).isEqualTo(429);
                }
            }
            assertThat(created).as("trial %d", trial).isEqualTo(SignUpLimit.DEFAULT_PER_HOUR);
        }
    }
}
