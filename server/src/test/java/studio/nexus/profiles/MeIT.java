package studio.nexus.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Accounts;
import studio.nexus.testing.Http;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

class MeIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    private static Http http() {
        return server.http();
    }

    @Test
    void meShowsEmailPlanCountersPreferencesAndFollowCounts() {
        Accounts.Account account = Accounts.signUp(http(), "me");
        JsonNode me = http().get("/api/v1/me", account.accessToken()).json();
        assertThat(me.path("email").asText()).isEqualTo(account.email());
        assertThat(me.path("subscription_tier").asText()).isEqualTo("free");
        assertThat(me.has("subscription_expires_at")).isTrue();
        assertThat(me.path("total_projects").asInt()).isZero();
        assertThat(me.path("storage_used_mb").asInt()).isZero();
        assertThat(me.path("preferences").isObject()).isTrue();
        assertThat(me.path("follower_count").asInt()).isZero();
        assertThat(me.path("following_count").asInt()).isZero();
        assertThat(me.has("encrypted_password")).isFalse();
    }

    @Test
    void meSaysWhetherTheCallerIsAnAdministratorSoAClientCanOfferItsAdminPages() {
        Accounts.Account account = Accounts.signUp(http(), "maybe_admin");
        assertThat(http().get("/api/v1/me", account.accessToken()).json().path("is_admin").isBoolean()).isTrue();
        assertThat(http().get("/api/v1/me", account.accessToken()).json().path("is_admin").asBoolean()).isFalse();
        studio.nexus.testing.Users.makeAdmin(database.db(), account.id());
        assertThat(http().get("/api/v1/me", account.accessToken()).json().path("is_admin").asBoolean()).isTrue();
        // the flag is information, not a key: the admin endpoints still ask the database for every request
        Accounts.Account other = Accounts.signUp(http(), "not_admin");
        assertThat(http().get("/api/v1/me", other.accessToken()).json().path("is_admin").asBoolean()).isFalse();
        assertThat(http().get("/api/v1/admin/limits", other.accessToken()).status()).isEqualTo(403);
    }

    @Test
    void meWithoutATokenIs401() {
        Http.Response response = http().get("/api/v1/me", null);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void patchChangesGivenFieldsMergesPreferencesAndClearsNulls() {
        Accounts.Account account = Accounts.signUp(http(), "patch");
        Map<String, Object> change = new HashMap<>();
        change.put("full_name", "Nina Simone");
        change.put("bio", "Piano, voice.");
        change.put("website_url", "https://nina.example.test/music");
        change.put("avatar_url", "http://cdn.example.test/a.png");
        change.put("preferences", Map.of("profile_public", true, "theme", "dark"));
        Http.Response patched = http().patch("/api/v1/me", account.accessToken(), change);
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("full_name").asText()).isEqualTo("Nina Simone");
        assertThat(patched.json().path("profile_public").asBoolean()).isTrue();
        assertThat(patched.json().path("preferences").path("theme").asText()).isEqualTo("dark");

        Map<String, Object> second = new HashMap<>();
        second.put("bio", null);
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("theme", null);
        prefs.put("metronome", "on");
        second.put("preferences", prefs);
        JsonNode after = http().patch("/api/v1/me", account.accessToken(), second).json();
        assertThat(after.path("bio").isNull()).isTrue();
        assertThat(after.path("full_name").asText()).isEqualTo("Nina Simone");
        assertThat(after.path("preferences").has("theme")).isFalse();
        assertThat(after.path("preferences").path("metronome").asText()).isEqualTo("on");
        assertThat(after.path("preferences").path("profile_public").asBoolean()).isTrue();
    }

    @Test
    void patchRefusesBadUrlsOversizedFieldsUnknownFieldsAndPrivilegedColumnsAndWritesNothing() {
        Accounts.Account account = Accounts.signUp(http(), "badpatch");
        String before = http().get("/api/v1/me", account.accessToken()).body();
        check(account, Map.of("website_url", "javascript:alert(1)"), "website_url");
        check(account, Map.of("avatar_url", "ftp://example.test/a.png"), "avatar_url");
        check(account, Map.of("website_url", "https://"), "website_url");
        check(account, Map.of("website_url", "https://exa mple.test"), "website_url");
        check(account, Map.of("bio", "b".repeat(1001)), "bio");
        check(account, Map.of("full_name", "n".repeat(101)), "full_name");
        check(account, Map.of("preferences", Map.of("profile_public", "true")), "preferences");
        check(account, Map.of("preferences", Map.of("blob", "x".repeat(9000))), "preferences");
        check(account, Map.of("preferences", "not an object"), "preferences");
        check(account, Map.of("subscription_tier", "enterprise"), "subscription_tier");
        check(account, Map.of("username", "someone_else"), "username");
        check(account, Map.of("full_name", 42), "full_name");
        assertThat(http().get("/api/v1/me", account.accessToken()).body()).isEqualTo(before);
    }

    private void check(Accounts.Account account, Map<String, Object> body, String field) {
        Http.Response response = http().offContract().patch("/api/v1/me", account.accessToken(), body);
        assertThat(response.status()).as(body.toString()).isEqualTo(422);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo(field);
    }

    @Test
    void deletingTheAccountAsksForThePasswordAndRemovesEverythingTheUserOwns() {
        Accounts.Account leaving = Accounts.signUpPublic(http(), "leaving");
        Accounts.Account friend = Accounts.signUpPublic(http(), "friend");
        assertThat(http().put("/api/v1/profiles/" + friend.username() + "/follow", leaving.accessToken(), null)
                .status()).isEqualTo(204);
        assertThat(http().put("/api/v1/profiles/" + leaving.username() + "/follow", friend.accessToken(), null)
                .status()).isEqualTo(204);
        database.db().as(studio.nexus.db.Identity.user(leaving.id(), leaving.sessionId()), handle ->
                handle.createUpdate("INSERT INTO public.projects (user_id, title) VALUES (:id, 'Demo')")
                        .bind("id", leaving.id()).execute());

        Http.Response wrong = http().raw("DELETE", "/api/v1/me", leaving.accessToken(), "application/json",
                "{\"password\":\"not-my-password\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.json().path("code").asText()).isEqualTo("password_incorrect");
        Http.Response missing = http().offContract().raw("DELETE", "/api/v1/me", leaving.accessToken(), "application/json",
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(count("SELECT count(*) FROM auth.users WHERE id = '" + leaving.id() + "'")).isEqualTo(1);

        Http.Response deleted = http().raw("DELETE", "/api/v1/me", leaving.accessToken(), "application/json",
                ("{\"password\":\"" + Accounts.PASSWORD + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        for (String table : new String[] {"auth.users WHERE id", "public.profiles WHERE id",
                "public.user_sessions WHERE user_id", "public.projects WHERE user_id",
                "public.user_followers WHERE follower_id", "public.user_followers WHERE following_id"}) {
            assertThat(count("SELECT count(*) FROM " + table + " = '" + leaving.id() + "'")).as(table).isZero();
        }
        assertThat(http().get("/api/v1/me", leaving.accessToken()).status()).isEqualTo(401);
        JsonNode friendNow = http().get("/api/v1/me", friend.accessToken()).json();
        assertThat(friendNow.path("follower_count").asInt()).isZero();
        assertThat(friendNow.path("following_count").asInt()).isZero();
        assertThat(http().post("/api/v1/auth/login", null,
                Map.of("email", leaving.email(), "password", Accounts.PASSWORD)).status()).isEqualTo(401);
    }

    private long count(String sql) {
        return database.db().asSystem(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }
}
