package studio.nexus.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/** Client error reports in, administrators list, filter, page and resolve them. */
class ErrorLogsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(6);
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    static Musician admin, musician;

    @BeforeAll
    static void cast() {
        admin = Musicians.named("ops_admin").admin().signedIn(server);
        musician = Musicians.signedIn(server, "reporter");
    }

    static long count(String where) {
        return database.one(Long.class, "SELECT count(*) FROM public.error_logs WHERE " + where);
    }

    @Test
    void signedInAndAnonymousClientsReportErrorsAttributedByTheServer() {
        Http.Response mine = server.http().post("/api/v1/errors", musician.token(), Map.of("error_message", "boom-signed",
                "error_stack", "at x.js:1", "error_code", "E1", "context", Map.of("view", "mixer"),
                "severity", "warning"));
        assertThat(mine.status()).as(mine.toString()).isEqualTo(202);
        assertThat(count("error_message = 'boom-signed' AND user_id = '" + musician.id()
                + "' AND error_type = 'client_error' AND severity = 'warning' AND context->>'view' = 'mixer'"
                + " AND context->>'request_id' = '" + mine.json().path("request_id").asText() + "'")).isEqualTo(1);
        Http.Response anonymous = server.http().post("/api/v1/errors", null, Map.of("error_message", "boom-anon"));
        assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(202);
        assertThat(count("error_message = 'boom-anon' AND user_id IS NULL AND severity = 'error'")).isEqualTo(1);
    }

    @Test
    void oversizedOrMalformedReportsAre4xxAndStoreNothing() {
        List<Object> bodies = new ArrayList<>();
        bodies.add(Map.of("error_message", "x".repeat(2001)));
        bodies.add(Map.of("error_message", "bad-stack", "error_stack", "s".repeat(16_001)));
        bodies.add(Map.of("error_message", "bad-context", "context", Map.of("x", "c".repeat(8200))));
        bodies.add(Map.of("error_message", "bad-context", "context", List.of(1, 2)));
        bodies.add(Map.of("error_message", "bad-severity", "severity", "critical"));
        bodies.add(Map.of("error_message", "bad-type", "error_type", "server_error"));
        bodies.add(Map.of("error_message", 42));
        bodies.add(List.of(Map.of("error_message", "array")));
        bodies.add(Map.of());
        List<String> wrong = new ArrayList<>();
        for (Object body : bodies) {
            Http.Response response = server.http().offContract().post("/api/v1/errors", null, body);
            if (response.status() < 400 || response.status() >= 500) {
                wrong.add(body.toString().substring(0, Math.min(80, body.toString().length())) + " -> " + response);
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(count("error_message LIKE 'bad-%' OR error_message = 'array' OR length(error_message) > 2000"))
                .isZero();
    }

    @Test
    void serverErrorsRecordedByTheServerAreListedWithTheirStackForAdministrators() {
        // ServerErrorLog records unhandled errors as the system; here one such row, then the admin view of it
        database.update("""
                INSERT INTO public.error_logs (error_type, error_message, error_stack, context, severity)
                VALUES ('server_error', 'NullPointerException', 'at studio.nexus.X', '{"request_id": "r-1"}', 'critical')
                """);
        Http.Response list = server.http().get("/api/v1/admin/errors?type=server_error&severity=critical", admin.token());
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.json().path("items").get(0).path("error_stack").asText()).contains("studio.nexus.X");
        assertThat(list.json().path("items").get(0).path("context").path("request_id").asText()).isEqualTo("r-1");
    }

    @Test
    void administratorsFilterPageAndResolveErrors() {
        for (int i = 0; i < 5; i++) {
            Map<String, Object> body = new HashMap<>();
            body.put("error_message", "paged-" + i);
            body.put("severity", "info");
            assertThat(server.http().post("/api/v1/errors", musician.token(), body).status()).isEqualTo(202);
        }
        List<String> messages = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = server.http().get("/api/v1/admin/errors?type=client_error&severity=info&resolved=false&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), admin.token());
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().path("items").forEach(item -> messages.add(item.path("error_message").asText()));
            cursor = page.json().path("next_cursor").isNull() ? null : page.json().path("next_cursor").asText();
        } while (cursor != null);
        assertThat(messages).containsExactly("paged-4", "paged-3", "paged-2", "paged-1", "paged-0");

        UUID id = database.one(UUID.class, "SELECT id FROM public.error_logs WHERE error_message = 'paged-2'");
        Http.Response resolved = server.http().patch("/api/v1/admin/errors/" + id, admin.token(), Map.of("resolved", true));
        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
        assertThat(resolved.json().path("resolved").asBoolean()).isTrue();
        JsonNode open = server.http().get("/api/v1/admin/errors?severity=info&resolved=false", admin.token()).json();
        assertThat(open.path("items").size()).isEqualTo(4);
        JsonNode done = server.http().get("/api/v1/admin/errors?resolved=true", admin.token()).json();
        assertThat(done.path("items").get(0).path("id").asText()).isEqualTo(id.toString());
        long audited = database.one(Long.class, """
                SELECT count(*) FROM public.admin_audit_log
                 WHERE action = 'error_log.update' AND target_id = :id AND actor_id = :admin""",
                TestDatabase.params("id", id.toString(), "admin", admin.id()));
        assertThat(audited).isEqualTo(1);

        assertThat(server.http().get("/api/v1/admin/errors?from=2000-01-01&to=2000-01-02", admin.token()).json()
                .path("items").size()).isZero();
        assertThat(server.http().offContract().get("/api/v1/admin/errors?severity=fatal", admin.token()).status()).isEqualTo(400);
        assertThat(server.http().offContract().get("/api/v1/admin/errors?resolved=maybe", admin.token()).status()).isEqualTo(400);
        assertThat(server.http().patch("/api/v1/admin/errors/" + UUID.randomUUID(), admin.token(),
                Map.of("resolved", true)).status()).isEqualTo(404);
        assertThat(server.http().offContract().patch("/api/v1/admin/errors/" + id, admin.token(), Map.of("resolved", "yes")).status())
                .isEqualTo(422);
        assertThat(server.http().patch("/api/v1/admin/errors/" + id, musician.token(), Map.of("resolved", false)).status())
                .isEqualTo(403);
        assertThat(server.http().get("/api/v1/admin/errors", musician.token()).status()).isEqualTo(403);
    }
}
