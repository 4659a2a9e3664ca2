package studio.nexus.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

class MeIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    @Test
    void meShowsEmailPlanCountersPreferencesAndFollowCounts() {
        Musician account = Musicians.signUp(server.http(), "me");
        JsonNode me = server.http().get("/api/v1/me", account.token()).json();
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
        Musician account = Musicians.signUp(server.http(), "maybe_admin");
        assertThat(server.http().get("/api/v1/me", account.token()).json().path("is_admin").isBoolean()).isTrue();
        assertThat(server.http().get("/api/v1/me", account.token()).json().path("is_admin").asBoolean()).isFalse();
        Musicians.makeAdmin(database, account.id());
        assertThat(server.http().get("/api/v1/me", account.token()).json().path("is_admin").asBoolean()).isTrue();
        // the flag is information, not a key: the admin endpoints still ask the database for every request
        Musician other = Musicians.signUp(server.http(), "not_admin");
        assertThat(server.http().get("/api/v1/me", other.token()).json().path("is_admin").asBoolean()).isFalse();
        assertThat(server.http().get("/api/v1/admin/limits", other.token()).status()).isEqualTo(403);
    }

    @Test
    void meWithoutATokenIs401() {
        Http.Response response = server.http().get("/api/v1/me", null);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void patchChangesGivenFieldsMergesPreferencesAndClearsNulls() {
        Musician account = Musicians.signUp(server.http(), "patch");
        Map<String, Object> change = new HashMap<>();
        change.put("full_name", "Nina Simone");
        change.put("bio", "Piano, voice.");
        change.put("website_url", "https://nina.example.test/music");
        change.put("avatar_url", "http://cdn.example.test/a.png");
        change.put("preferences", Map.of("profile_public", true, "theme", "dark"));
        Http.Response patched = server.http().patch("/api/v1/me", account.token(), change);
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
        JsonNode after = server.http().patch("/api/v1/me", account.token(), second).json();
        assertThat(after.path("bio").isNull()).isTrue();
        assertThat(after.path("full_name").asText()).isEqualTo("Nina Simone");
        assertThat(after.path("preferences").has("theme")).isFalse();
        assertThat(after.path("preferences").path("metronome").asText()).isEqualTo("on");
        assertThat(after.path("preferences").path("profile_public").asBoolean()).isTrue();
    }

    @Test
    void patchRefusesBadUrlsOversizedFieldsUnknownFieldsAndPrivilegedColumnsAndWritesNothing() {
        Musician account = Musicians.signUp(server.http(), "badpatch");
        String before = server.http().get("/api/v1/me", account.token()).body();
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
        assertThat(server.http().get("/api/v1/me", account.token()).body()).isEqualTo(before);
    }

    private void check(Musician account, Map<String, Object> body, String field) {
        Http.Response response = server.http().offContract().patch("/api/v1/me", account.token(), body);
        assertThat(response.status()).as(body.toString()).isEqualTo(422);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo(field);
    }

    @Test
    void deletingTheAccountAsksForThePasswordAndRemovesEverythingTheUserOwns() {
        Musician leaving = Musicians.signUpPublic(server.http(), "leaving");
        Musician friend = Musicians.signUpPublic(server.http(), "friend");
        assertThat(server.http().put("/api/v1/profiles/" + friend.username() + "/follow", leaving.token(), null)
                .status()).isEqualTo(204);
        assertThat(server.http().put("/api/v1/profiles/" + leaving.username() + "/follow", friend.token(), null)
                .status()).isEqualTo(204);
        database.db().as(studio.nexus.db.Identity.user(leaving.id(), leaving.sessionId()), handle ->
                handle.createUpdate("INSERT INTO public.projects (user_id, title) VALUES (:id, 'Demo')")
                        .bind("id", leaving.id()).execute());

        Http.Response wrong = server.http().raw("DELETE", "/api/v1/me", leaving.token(), "application/json",
                "{\"password\":\"not-my-password\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.json().path("code").asText()).isEqualTo("password_incorrect");
        Http.Response missing = server.http().offContract().raw("DELETE", "/api/v1/me", leaving.token(), "application/json",
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(count("SELECT count(*) FROM auth.users WHERE id = '" + leaving.id() + "'")).isEqualTo(1);

        Http.Response deleted = server.http().raw("DELETE", "/api/v1/me", leaving.token(), "application/json",
                ("{\"password\":\"" + Musicians.PASSWORD + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        for (String table : new String[] {"auth.users WHERE id", "public.profiles WHERE id",
                "public.user_sessions WHERE user_id", "public.projects WHERE user_id",
                "public.user_followers WHERE follower_id", "public.user_followers WHERE following_id"}) {
            assertThat(count("SELECT count(*) FROM " + table + " = '" + leaving.id() + "'")).as(table).isZero();
        }
        assertThat(server.http().get("/api/v1/me", leaving.token()).status()).isEqualTo(401);
        JsonNode friendNow = server.http().get("/api/v1/me", friend.token()).json();
        assertThat(friendNow.path("follower_count").asInt()).isZero();
        assertThat(friendNow.path("following_count").asInt()).isZero();
        assertThat(server.http().post("/api/v1/auth/login", null,
                Map.of("email", leaving.email(), "password", Musicians.PASSWORD)).status()).isEqualTo(401);
    }

    private long count(String sql) {
        return database.one(Long.class, sql);
    }
}
