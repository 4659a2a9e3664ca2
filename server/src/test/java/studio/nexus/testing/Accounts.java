package studio.nexus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;

/** Signs musicians up and in through the HTTP API, for end-to-end tests of accounts and everything behind them. */
public final class Accounts {
    public static final String PASSWORD = "Correct-Horse-Battery-9";

    private Accounts() {}

    /** A signed-up musician: their ids, the tokens of their first session, and their email. */
    public record Account(UUID id, String username, String email, String accessToken, String refreshToken,
                          UUID sessionId) {}

    /** A unique username with the given prefix (3–30 of a–z, 0–9, _). */
    public static String uniqueName(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)).toLowerCase();
    }

    public static Account signUp(Http http, String prefix) {
        String username = uniqueName(prefix);
        String email = username + "@example.test";
        Http.Response response = http.post("/api/v1/auth/signup", null,
                Map.of("email", email, "password", PASSWORD, "username", username));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return account(response.json(), response.json().path("profile"), email);
    }

    /** Signs up and makes the profile public. */
    public static Account signUpPublic(Http http, String prefix) {
        Account account = signUp(http, prefix);
        Http.Response response = http.patch("/api/v1/me", account.accessToken(),
                Map.of("preferences", Map.of("profile_public", true)));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return account;
    }

    /** A new session of an existing account. */
    public static Account signIn(Http http, Account account) {
        Http.Response response = http.post("/api/v1/auth/login", null,
                Map.of("email", account.email(), "password", PASSWORD));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode tokens = response.json();
        return new Account(account.id(), account.username(), account.email(), tokens.path("access_token").asText(),
                tokens.path("refresh_token").asText(), UUID.fromString(tokens.path("session_id").asText()));
    }

    private static Account account(JsonNode tokens, JsonNode profile, String email) {
        return new Account(UUID.fromString(profile.path("id").asText()), profile.path("username").asText(), email,
                tokens.path("access_token").asText(), tokens.path("refresh_token").asText(),
                UUID.fromString(tokens.path("session_id").asText()));
    }
}
