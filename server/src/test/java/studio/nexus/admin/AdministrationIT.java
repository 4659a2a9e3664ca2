package studio.nexus.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
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
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * Every administration endpoint: refused to a musician (403) and to an anonymous caller (401), done for an
 * administrator, and every change leaves an audit row written by the database in the same transaction.
 */
class AdministrationIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    static Musician admin, musician, subject;
    static UUID project;

    @BeforeAll
    static void cast() {
        admin = Musicians.named("the_admin").admin().signedIn(server);
        musician = Musicians.signedIn(server, "musician");
        subject = Musicians.signedIn(server, "subject");
        project = TestProjects.project(server, subject, Map.of("title", "Song", "is_public", true));
    }

    record Call(String method, String path, Object body) {}

    static List<Call> calls() {
        UUID anyId = UUID.randomUUID();
        return List.of(
                new Call("GET", "/api/v1/admin/admins", null),
                new Call("PUT", "/api/v1/admin/admins/" + subject.id(), null),
                new Call("DELETE", "/api/v1/admin/admins/" + subject.id(), null),
                new Call("PUT", "/api/v1/admin/users/" + subject.id() + "/subscription",
                        Map.of("subscription_tier", "pro")),
                new Call("GET", "/api/v1/admin/users/" + subject.id() + "/usage", null),
                new Call("PUT", "/api/v1/admin/projects/" + project + "/featured", Map.of("is_featured", true)),
                new Call("GET", "/api/v1/admin/ai-presets", null),
                new Call("POST", "/api/v1/admin/ai-presets", Map.of("name", "X", "transformation_type", "jazz",
                        "parameters", Map.of())),
                new Call("PATCH", "/api/v1/admin/ai-presets/" + anyId, Map.of("is_active", false)),
                new Call("GET", "/api/v1/admin/effects-presets", null),
                new Call("POST", "/api/v1/admin/effects-presets", Map.of("name", "X", "effects_chain", List.of())),
                new Call("PATCH", "/api/v1/admin/effects-presets/" + anyId, Map.of("is_active", false)),
                new Call("GET", "/api/v1/admin/limits", null),
                new Call("PUT", "/api/v1/admin/limits/free/exports", Map.of("limit_value", 1, "limit_unit", "count",
                        "reset_period", "daily")),
                new Call("GET", "/api/v1/admin/audit", null),
                new Call("GET", "/api/v1/admin/analytics", null),
                new Call("GET", "/api/v1/admin/errors", null),
                new Call("PATCH", "/api/v1/admin/errors/" + anyId, Map.of("resolved", true)));
    }

    static Http.Response send(Call call, String token) {
        return switch (call.method()) {
            case "GET" -> server.http().get(call.path(), token);
            case "DELETE" -> server.http().delete(call.path(), token);
            default -> server.http().sendJson(call.method(), call.path(), token, call.body());
        };
    }

    long auditCount() {
        return database.one(Long.class, "SELECT count(*) FROM public.admin_audit_log");
    }

    @Test
    void everyAdminEndpointRefusesAMusicianWith403AndAnAnonymousCallerWith401AndChangesNothing() {
        long auditBefore = auditCount();
        List<String> wrong = new ArrayList<>();
        for (Call call : calls()) {
            Http.Response asMusician = send(call, musician.token());
            if (asMusician.status() != 403 || !asMusician.contentType().startsWith("application/problem+json")) {
                wrong.add("musician " + call.method() + " " + call.path() + " -> " + asMusician);
            }
            Http.Response anonymous = send(call, null);
            if (anonymous.status() != 401) {
                wrong.add("anonymous " + call.method() + " " + call.path() + " -> " + anonymous.status());
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(auditCount()).isEqualTo(auditBefore);
    }

    @Test
    void theDatabaseItselfRefusesAdminFunctionsAndAuditWritesToAMusician() {
        var identity = studio.nexus.db.Identity.user(musician.id(), null);
        for (String sql : List.of(
                "SELECT public.admin_set_subscription('" + musician.id() + "', 'enterprise', NULL)",
                "SELECT public.admin_set_featured('" + project + "', true)",
                "SELECT public.admin_user_usage('" + subject.id() + "')",
                "INSERT INTO public.admin_audit_log (actor_role, action, target_type) VALUES ('x', 'x', 'x')",
                "INSERT INTO public.user_roles (user_id, role, granted_by) VALUES ('" + musician.id() + "', 'admin', '"
                        + musician.id() + "')")) {
            String state = database.db().as(identity, handle -> {
                try {
                    handle.execute("SAVEPOINT s");
                    handle.execute(sql);
                    return "allowed";
                } catch (org.jdbi.v3.core.JdbiException e) {
                    handle.execute("ROLLBACK TO SAVEPOINT s");
                    return sqlState(e);
                }
            });
            assertThat(state).as(sql).isEqualTo("42501");
        }
    }

    static String sqlState(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                return sql.getSQLState();
            }
        }
        return "none";
    }

    @Test
    void theAuditLogIsAppendOnlyEvenForAdministratorsAndTheSystem() {
        server.http().put("/api/v1/admin/projects/" + project + "/featured", admin.token(), Map.of("is_featured", false));
        for (var identity : List.of(studio.nexus.db.Identity.user(admin.id(), null),
                studio.nexus.db.Identity.system())) {
            String state = database.db().as(identity, handle -> {
                try {
                    handle.execute("DELETE FROM public.admin_audit_log");
                    return "allowed";
                } catch (org.jdbi.v3.core.JdbiException e) {
                    return sqlState(e);
                }
            });
            assertThat(state).isEqualTo("42501");
        }
        assertThat(auditCount()).isPositive();
    }

    JsonNode lastAudit(String action, String targetId) {
        Http.Response page = server.http().get("/api/v1/admin/audit?target_id=" + targetId + "&limit=100", admin.token());
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        for (JsonNode entry : page.json().path("items")) {
            if (entry.path("action").asText().equals(action)) {
                return entry;
            }
        }
        throw new AssertionError("no audit entry " + action + " for " + targetId + " in " + page.body());
    }

    @Test
    void grantingAndRevokingAdminWorksAndIsAudited() {
        Musician candidate = Musicians.signedIn(server, "candidate");
        assertThat(server.http().get("/api/v1/admin/limits", candidate.token()).status()).isEqualTo(403);
        Http.Response granted = server.http().put("/api/v1/admin/admins/" + candidate.id(), admin.token(), null);
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        assertThat(granted.json().path("granted_by").asText()).isEqualTo(admin.id().toString());
        assertThat(server.http().get("/api/v1/admin/limits", candidate.token()).status()).isEqualTo(200);
        JsonNode audit = lastAudit("admin_role.insert", candidate.id().toString());
        assertThat(audit.path("actor_id").asText()).isEqualTo(admin.id().toString());
        assertThat(audit.path("after").path("role").asText()).isEqualTo("admin");

        assertThat(server.http().delete("/api/v1/admin/admins/" + candidate.id(), admin.token()).status()).isEqualTo(204);
        assertThat(server.http().get("/api/v1/admin/limits", candidate.token()).status()).isEqualTo(403);
        assertThat(lastAudit("admin_role.delete", candidate.id().toString()).path("before").path("user_id").asText())
                .isEqualTo(candidate.id().toString());
        assertThat(server.http().delete("/api/v1/admin/admins/" + candidate.id(), admin.token()).status()).isEqualTo(404);
        assertThat(server.http().put("/api/v1/admin/admins/" + UUID.randomUUID(), admin.token(), null).status())
                .isEqualTo(404);
    }

    @Test
    void settingATierAndExpiryChangesTheUsersLimitsAndIsAuditedWithBeforeAndAfter() {
        Musician payer = Musicians.signedIn(server, "payer");
        Http.Response set = server.http().put("/api/v1/admin/users/" + payer.id() + "/subscription", admin.token(),
                Map.of("subscription_tier", "pro", "subscription_expires_at", "2099-01-01T00:00:00Z"));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        JsonNode usage = server.http().get("/api/v1/usage", payer.token()).json();
        assertThat(usage.path("tier").asText()).isEqualTo("pro");
        JsonNode audit = lastAudit("subscription.update", payer.id().toString());
        assertThat(audit.path("before").path("subscription_tier").asText()).isEqualTo("free");
        assertThat(audit.path("after").path("subscription_tier").asText()).isEqualTo("pro");
        assertThat(audit.path("after").path("subscription_expires_at").asText()).startsWith("2099-01-01");

        assertThat(server.http().offContract().put("/api/v1/admin/users/" + payer.id() + "/subscription", admin.token(),
                Map.of("subscription_tier", "platinum")).status()).isEqualTo(422);
        assertThat(server.http().put("/api/v1/admin/users/" + UUID.randomUUID() + "/subscription", admin.token(),
                Map.of("subscription_tier", "pro")).status()).isEqualTo(404);
    }

    @Test
    void viewingAUsersUsageShowsItAndIsAudited() {
        Http.Response usage = server.http().get("/api/v1/admin/users/" + subject.id() + "/usage", admin.token());
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        assertThat(usage.json().path("user_id").asText()).isEqualTo(subject.id().toString());
        JsonNode projects = usage.json().path("resources").get(3);
        assertThat(projects.path("resource_type").asText()).isEqualTo("projects");
        assertThat(projects.path("used").asInt()).isEqualTo(1);
        assertThat(lastAudit("usage.view", subject.id().toString()).path("actor_id").asText())
                .isEqualTo(admin.id().toString());
        assertThat(server.http().get("/api/v1/admin/users/" + UUID.randomUUID() + "/usage", admin.token()).status())
                .isEqualTo(404);
    }

    @Test
    void featuringAProjectShowsItInFeaturedAndIsAudited() {
        Http.Response set = server.http().put("/api/v1/admin/projects/" + project + "/featured", admin.token(),
                Map.of("is_featured", true));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().path("is_featured").asBoolean()).isTrue();
        assertThat(server.http().get("/api/v1/explore/featured", null).body()).contains(project.toString());
        assertThat(lastAudit("featured.update", project.toString()).path("after").path("is_featured").asBoolean())
                .isTrue();
        assertThat(server.http().put("/api/v1/admin/projects/" + UUID.randomUUID() + "/featured", admin.token(),
                Map.of("is_featured", true)).status()).isEqualTo(404);
    }

    @Test
    void aiPresetsAreCreatedEditedAndDeactivatedAndEachStepIsAudited() {
        Http.Response created = server.http().post("/api/v1/admin/ai-presets", admin.token(), Map.of("name", "Big band",
                "transformation_type", "jazz", "parameters", Map.of("swing", 0.6)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(created.json().path("created_by").asText()).isEqualTo(admin.id().toString());
        Http.Response edited = server.http().patch("/api/v1/admin/ai-presets/" + id, admin.token(),
                Map.of("description", "Swing it", "is_active", false));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.json().path("is_active").asBoolean()).isFalse();
        long visibleToMusician = database.db().as(studio.nexus.db.Identity.user(musician.id(), null), handle ->
                handle.createQuery("SELECT count(*) FROM public.ai_model_presets WHERE id = CAST(:id AS uuid)")
                        .bind("id", id).mapTo(Long.class).one());
        assertThat(visibleToMusician).isZero();
        assertThat(lastAudit("ai_preset.insert", id).path("after").path("name").asText()).isEqualTo("Big band");
        JsonNode update = lastAudit("ai_preset.update", id);
        assertThat(update.path("before").path("is_active").asBoolean()).isTrue();
        assertThat(update.path("after").path("is_active").asBoolean()).isFalse();
        assertThat(server.http().get("/api/v1/admin/ai-presets", admin.token()).body()).contains(id);
        assertThat(server.http().patch("/api/v1/admin/ai-presets/" + UUID.randomUUID(), admin.token(),
                Map.of("is_active", true)).status()).isEqualTo(404);
        assertThat(server.http().post("/api/v1/admin/ai-presets", admin.token(), Map.of("name", "No type")).status())
                .isEqualTo(422);
    }

    @Test
    void systemEffectsPresetsAreCreatedEditedAndWithdrawnAndEachStepIsAudited() {
        Http.Response created = server.http().post("/api/v1/admin/effects-presets", admin.token(), Map.of("name", "Warm vocal",
                "category", "vocal", "effects_chain", List.of(Map.of("type", "compressor"))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(created.json().path("is_system_preset").asBoolean()).isTrue();
        var asMusician = studio.nexus.db.Identity.user(musician.id(), null);
        String countSql = "SELECT count(*) FROM public.effects_presets WHERE id = CAST(:id AS uuid)";
        long visible = database.db().as(asMusician, handle -> handle.createQuery(countSql).bind("id", id)
                .mapTo(Long.class).one());
        assertThat(visible).isEqualTo(1);

        Http.Response withdrawn = server.http().patch("/api/v1/admin/effects-presets/" + id, admin.token(),
                Map.of("name", "Warm vocal 2", "is_active", false));
        assertThat(withdrawn.status()).as(withdrawn.toString()).isEqualTo(200);
        assertThat(withdrawn.json().path("is_system_preset").asBoolean()).isFalse();
        assertThat(withdrawn.json().path("name").asText()).isEqualTo("Warm vocal 2");
        long stillVisible = database.db().as(asMusician, handle -> handle.createQuery(countSql).bind("id", id)
                .mapTo(Long.class).one());
        assertThat(stillVisible).isZero();
        assertThat(lastAudit("system_effects_preset.insert", id)).isNotNull();
        assertThat(lastAudit("system_effects_preset.update", id)).isNotNull();
        assertThat(server.http().get("/api/v1/admin/effects-presets", admin.token()).body()).contains(id);

        // a musician's own preset is not a system preset and cannot be made one here
        UUID own = database.db().as(asMusician, handle -> handle.createQuery("""
                INSERT INTO public.effects_presets (user_id, name, effects_chain) VALUES (:me, 'mine', '[]')
                RETURNING id""").bind("me", musician.id()).mapTo(UUID.class).one());
        assertThat(server.http().patch("/api/v1/admin/effects-presets/" + own, admin.token(), Map.of("is_active", true))
                .status()).isIn(404, 422);
    }

    @Test
    void subscriptionLimitsAreEditedAndAudited() {
        Http.Response put = server.http().put("/api/v1/admin/limits/free/exports", admin.token(),
                Map.of("limit_value", 12, "limit_unit", "count", "reset_period", "weekly"));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.json().path("limit_value").asInt()).isEqualTo(12);
        JsonNode exports = server.http().get("/api/v1/usage", musician.token()).json().path("resources").get(1);
        assertThat(exports.path("limit").asInt()).isEqualTo(12);
        assertThat(exports.path("reset_period").asText()).isEqualTo("weekly");
        JsonNode audit = lastAudit("subscription_limit.update", put.json().path("id").asText());
        assertThat(audit.path("before").path("limit_value").asInt()).isEqualTo(10);
        assertThat(audit.path("after").path("reset_period").asText()).isEqualTo("weekly");

        Http.Response unlimited = server.http().offContract().put("/api/v1/admin/limits/free/exports", admin.token(),
                Map.of("limit_value", "lots", "limit_unit", "count", "reset_period", "hourly"));
        assertThat(unlimited.status()).isEqualTo(422);
        assertThat(server.http().put("/api/v1/admin/limits/gold/exports", admin.token(),
                Map.of("limit_value", 1, "limit_unit", "count", "reset_period", "daily")).status()).isEqualTo(404);
        assertThat(server.http().get("/api/v1/admin/limits", admin.token()).json().path("items").size()).isEqualTo(12);
        // back to the seed's value so other tests see the default
        server.http().put("/api/v1/admin/limits/free/exports", admin.token(),
                Map.of("limit_value", 10, "limit_unit", "count", "reset_period", "monthly"));
    }
}
