package studio.nexus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.db.Identity;
import studio.nexus.testing.Accounts;
import studio.nexus.testing.Http;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

class SessionsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    private static Http http() {
        return server.http();
    }

    @Test
    void theSessionListShowsEveryLiveSessionMarksTheCurrentOneAndNeverATokenHash() {
        Accounts.Account account = Accounts.signUp(http(), "list");
        Accounts.Account phone = Accounts.signIn(http(), account);
        Http.Response response = http().send(http().request("/api/v1/auth/sessions", phone.accessToken())
                .header("User-Agent", "StudioNexus-Phone/1.0").GET());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode items = response.json().path("items");
        assertThat(items).hasSize(2);
        for (JsonNode session : items) {
            assertThat(session.path("current").asBoolean())
                    .isEqualTo(session.path("id").asText().equals(phone.sessionId().toString()));
            assertThat(session.has("session_token")).isFalse();
            assertThat(session.path("ip_address").asText()).isIn("127.0.0.1", "::1", "0:0:0:0:0:0:0:1");
            assertThat(session.has("last_activity")).isTrue();
        }
        assertThat(response.body()).doesNotContain(account.refreshToken()).doesNotContain(phone.refreshToken())
                .doesNotContain(Secrets.sha256(phone.refreshToken()));
        assertThat(response.json().path("next_cursor").isNull()).isTrue();
    }

    @Test
    void sessionsPageByKeysetWithoutRepeatsOrGaps() {
        Accounts.Account account = Accounts.signUp(http(), "pages");
        for (int i = 0; i < 4; i++) {
            Accounts.signIn(http(), account);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = http().get("/api/v1/auth/sessions?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    account.accessToken());
            assertThat(page.status()).isEqualTo(200);
            page.json().path("items").forEach(item -> seen.add(item.path("id").asText()));
            cursor = page.json().path("next_cursor").isNull() ? null : page.json().path("next_cursor").asText();
        } while (cursor != null);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
    }

    @Test
    void revokingOneSessionEndsItAndLeavesTheOthers() {
        Accounts.Account laptop = Accounts.signUp(http(), "revoke");
        Accounts.Account phone = Accounts.signIn(http(), laptop);
        assertThat(http().get("/api/v1/me", phone.accessToken()).status()).isEqualTo(200);
        Http.Response revoke = http().delete("/api/v1/auth/sessions/" + phone.sessionId(), laptop.accessToken());
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(204);
        assertThat(http().get("/api/v1/me", phone.accessToken()).status()).isEqualTo(401);
        assertThat(http().post("/api/v1/auth/refresh", null, Map.of("refresh_token", phone.refreshToken())).status())
                .isEqualTo(401);
        assertThat(http().get("/api/v1/me", laptop.accessToken()).status()).isEqualTo(200);
        JsonNode items = http().get("/api/v1/auth/sessions", laptop.accessToken()).json().path("items");
        assertThat(items).hasSize(1);
        // A second revoke of the same session: it is gone from the caller's view.
        assertThat(http().delete("/api/v1/auth/sessions/" + phone.sessionId(), laptop.accessToken()).status())
                .isEqualTo(404);
    }

    @Test
    void anotherUsersSessionIs404AndStaysLive() {
        Accounts.Account owner = Accounts.signUp(http(), "owner");
        Accounts.Account stranger = Accounts.signUp(http(), "stranger");
        Http.Response response = http().delete("/api/v1/auth/sessions/" + owner.sessionId(), stranger.accessToken());
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("code").asText()).isEqualTo("not_found");
        assertThat(http().get("/api/v1/me", owner.accessToken()).status()).isEqualTo(200);
        assertThat(http().offContract().delete("/api/v1/auth/sessions/not-a-uuid", stranger.accessToken()).status())
                .isEqualTo(404);
        assertThat(http().get("/api/v1/auth/sessions", null).status()).isEqualTo(401);
    }

    @Test
    void nobodyCanReadAnotherUsersSessionsNorAnyTokenHashEvenWithRawSql() {
        Accounts.Account owner = Accounts.signUp(http(), "rawowner");
        Accounts.Account stranger = Accounts.signUp(http(), "rawstranger");
        Identity strangerIdentity = Identity.user(stranger.id(), stranger.sessionId());
        long visible = database.db().as(strangerIdentity, handle -> handle.createQuery(
                "SELECT count(*) FROM public.user_sessions WHERE user_id = :owner").bind("owner", owner.id())
                .mapTo(Long.class).one());
        assertThat(visible).isZero();
        // Not even their own session_token column, nor the refresh token history, is readable by a user.
        assertThat(sqlState(strangerIdentity, "SELECT session_token FROM public.user_sessions")).isEqualTo("42501");
        assertThat(sqlState(strangerIdentity, "SELECT token_hash FROM auth.refresh_tokens")).isEqualTo("42501");
        assertThat(sqlState(Identity.anonymous(), "SELECT id FROM public.user_sessions")).isEqualTo("42501");
        // A user may end a session, never bring one back.
        database.db().as(Identity.user(owner.id(), owner.sessionId()), handle -> handle.createUpdate(
                "UPDATE public.user_sessions SET revoked_at = now() WHERE id = :id").bind("id", owner.sessionId())
                .execute());
        assertThat(sqlState(Identity.user(owner.id(), owner.sessionId()),
                "UPDATE public.user_sessions SET revoked_at = NULL")).isEqualTo("23514");
        assertThat(sqlState(Identity.user(owner.id(), owner.sessionId()),
                "UPDATE public.user_sessions SET expires_at = now() + interval '10 years'")).isEqualTo("42501");
    }

    @Test
    void lastActivityIsRecordedAtMostOnceAMinute() {
        Accounts.Account account = Accounts.signUp(http(), "activity");
        database.db().asSystem(handle -> handle.createUpdate(
                "UPDATE public.user_sessions SET last_activity = now() - interval '10 minutes' WHERE id = :id")
                .bind("id", account.sessionId()).execute());
        Instant before = lastActivity(account);
        assertThat(http().get("/api/v1/me", account.accessToken()).status()).isEqualTo(200);
        Instant touched = lastActivity(account);
        assertThat(touched).isAfter(before.plusSeconds(500));
        database.db().asSystem(handle -> handle.createUpdate(
                "UPDATE public.user_sessions SET last_activity = now() - interval '30 seconds' WHERE id = :id")
                .bind("id", account.sessionId()).execute());
        Instant recent = lastActivity(account);
        http().get("/api/v1/me", account.accessToken());
        assertThat(lastActivity(account)).isEqualTo(recent);
    }

    private Instant lastActivity(Accounts.Account account) {
        return database.db().asSystem(handle -> handle.createQuery(
                "SELECT last_activity FROM public.user_sessions WHERE id = :id").bind("id", account.sessionId())
                .mapTo(Instant.class).one());
    }

    private String sqlState(Identity identity, String sql) {
        try {
            database.db().as(identity, handle -> handle.createUpdate(sql).execute());
            return "ok";
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.sql.SQLException sqlException) {
                    return sqlException.getSQLState();
                }
            }
            throw e;
        }
    }
}
