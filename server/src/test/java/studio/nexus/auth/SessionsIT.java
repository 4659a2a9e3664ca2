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
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

class SessionsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    @Test
    void theSessionListShowsEveryLiveSessionMarksTheCurrentOneAndNeverATokenHash() {
        Musician account = Musicians.signUp(server.http(), "list");
        Musician phone = Musicians.signIn(server.http(), account);
        Http.Response response = server.http().send(server.http().request("/api/v1/auth/sessions", phone.token())
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
        Musician account = Musicians.signUp(server.http(), "pages");
        for (int i = 0; i < 4; i++) {
            Musicians.signIn(server.http(), account);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = server.http().get("/api/v1/auth/sessions?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    account.token());
            assertThat(page.status()).isEqualTo(200);
            page.json().path("items").forEach(item -> seen.add(item.path("id").asText()));
            cursor = page.json().path("next_cursor").isNull() ? null : page.json().path("next_cursor").asText();
        } while (cursor != null);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
    }

    @Test
    void revokingOneSessionEndsItAndLeavesTheOthers() {
        Musician laptop = Musicians.signUp(server.http(), "revoke");
        Musician phone = Musicians.signIn(server.http(), laptop);
        assertThat(server.http().get("/api/v1/me", phone.token()).status()).isEqualTo(200);
        Http.Response revoke = server.http().delete("/api/v1/auth/sessions/" + phone.sessionId(), laptop.token());
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(204);
        assertThat(server.http().get("/api/v1/me", phone.token()).status()).isEqualTo(401);
        assertThat(server.http().post("/api/v1/auth/refresh", null, Map.of("refresh_token", phone.refreshToken())).status())
                .isEqualTo(401);
        assertThat(server.http().get("/api/v1/me", laptop.token()).status()).isEqualTo(200);
        JsonNode items = server.http().get("/api/v1/auth/sessions", laptop.token()).json().path("items");
        assertThat(items).hasSize(1);
        // A second revoke of the same session: it is gone from the caller's view.
        assertThat(server.http().delete("/api/v1/auth/sessions/" + phone.sessionId(), laptop.token()).status())
                .isEqualTo(404);
    }

    @Test
    void anotherUsersSessionIs404AndStaysLive() {
        Musician owner = Musicians.signUp(server.http(), "owner");
        Musician stranger = Musicians.signUp(server.http(), "stranger");
        Http.Response response = server.http().delete("/api/v1/auth/sessions/" + owner.sessionId(), stranger.token());
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("code").asText()).isEqualTo("not_found");
        assertThat(server.http().get("/api/v1/me", owner.token()).status()).isEqualTo(200);
        assertThat(server.http().offContract().delete("/api/v1/auth/sessions/not-a-uuid", stranger.token()).status())
                .isEqualTo(404);
        assertThat(server.http().get("/api/v1/auth/sessions", null).status()).isEqualTo(401);
    }

    @Test
    void nobodyCanReadAnotherUsersSessionsNorAnyTokenHashEvenWithRawSql() {
        Musician owner = Musicians.signUp(server.http(), "rawowner");
        Musician stranger = Musicians.signUp(server.http(), "rawstranger");
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
        Musician account = Musicians.signUp(server.http(), "activity");
        database.update("UPDATE public.user_sessions SET last_activity = now() - interval '10 minutes' WHERE id = :id",
                TestDatabase.params("id", account.sessionId()));
        Instant before = lastActivity(account);
        assertThat(server.http().get("/api/v1/me", account.token()).status()).isEqualTo(200);
        Instant touched = lastActivity(account);
        assertThat(touched).isAfter(before.plusSeconds(500));
        database.update("UPDATE public.user_sessions SET last_activity = now() - interval '30 seconds' WHERE id = :id",
                TestDatabase.params("id", account.sessionId()));
        Instant recent = lastActivity(account);
        server.http().get("/api/v1/me", account.token());
        assertThat(lastActivity(account)).isEqualTo(recent);
    }

    private Instant lastActivity(Musician account) {
        return database.one(Instant.class, "SELECT last_activity FROM public.user_sessions WHERE id = :id",
                TestDatabase.params("id", account.sessionId()));
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
