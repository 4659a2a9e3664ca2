package studio.nexus.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/** GET /api/v1/usage: each resource's use this period, the tier's limit, the unit and when it resets. */
class UsageEndpointIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(6);
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    private JsonNode usage(Musician who) {
        Http.Response response = server.http().get("/api/v1/usage", who.token());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode resource(JsonNode usage, String type) {
        for (JsonNode item : usage.path("resources")) {
            if (item.path("resource_type").asText().equals(type)) {
                return item;
            }
        }
        throw new AssertionError(type + " missing from " + usage);
    }

    private void subscribe(Musician who, String tier, String expiresAt) {
        database.update("""
                UPDATE public.profiles SET subscription_tier = :tier,
                       subscription_expires_at = CAST(:expires AS timestamptz) WHERE id = :id""",
                TestDatabase.params("tier", tier, "expires", expiresAt, "id", who.id()));
    }

    @Test
    void aFreeUserSeesEveryResourceWithItsLimitUnitAndReset() {
        Musician musician = Musicians.signedIn(server, "freebie");
        server.http().post("/api/v1/projects", musician.token(), Map.of("title", "One"));
        JsonNode usage = usage(musician);
        assertThat(usage.path("tier").asText()).isEqualTo("free");
        assertThat(usage.path("resources")).hasSize(4);
        JsonNode ai = resource(usage, "ai_transformations");
        assertThat(ai.path("used").asInt()).isZero();
        assertThat(ai.path("limit").asInt()).isEqualTo(5);
        assertThat(ai.path("unit").asText()).isEqualTo("count");
        assertThat(ai.path("reset_period").asText()).isEqualTo("monthly");
        Instant nextMonth = YearMonth.now(ZoneOffset.UTC).plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        assertThat(Instant.parse(ai.path("resets_at").asText().replace("+00:00", "Z"))).isEqualTo(nextMonth);
        JsonNode storage = resource(usage, "storage_mb");
        assertThat(storage.path("unit").asText()).isEqualTo("mb");
        assertThat(storage.path("resets_at").isNull()).isTrue();
        JsonNode projects = resource(usage, "projects");
        assertThat(projects.path("used").asInt()).isEqualTo(1);
        assertThat(projects.path("limit").asInt()).isEqualTo(3);
    }

    @Test
    void aDailyLimitResetsAtTheNextUtcMidnight() {
        Musician musician = Musicians.signedIn(server, "daily");
        database.update("""
                UPDATE public.subscription_limits SET reset_period = 'daily'
                 WHERE subscription_tier = 'pro' AND resource_type = 'ai_transformations'""");
        subscribe(musician, "pro", null);
        JsonNode ai = resource(usage(musician), "ai_transformations");
        Instant tomorrow = java.time.LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(Instant.parse(ai.path("resets_at").asText().replace("+00:00", "Z"))).isEqualTo(tomorrow);
        assertThat(ai.path("limit").asInt()).isEqualTo(50);
        database.update("""
                UPDATE public.subscription_limits SET reset_period = 'monthly'
                 WHERE subscription_tier = 'pro' AND resource_type = 'ai_transformations'""");
    }

    @Test
    void anExpiredProSubscriptionGetsFreeLimitsUntilRenewed() {
        Musician lapsed = Musicians.signedIn(server, "lapsed");
        subscribe(lapsed, "pro", "2020-01-01T00:00:00Z");
        JsonNode usage = usage(lapsed);
        assertThat(usage.path("subscription_tier").asText()).isEqualTo("pro");
        assertThat(usage.path("tier").asText()).isEqualTo("free");
        assertThat(resource(usage, "ai_transformations").path("limit").asInt()).isEqualTo(5);
        assertThat(resource(usage, "projects").path("limit").asInt()).isEqualTo(3);

        subscribe(lapsed, "pro", "2099-01-01T00:00:00Z");
        JsonNode renewed = usage(lapsed);
        assertThat(renewed.path("tier").asText()).isEqualTo("pro");
        assertThat(resource(renewed, "ai_transformations").path("limit").asInt()).isEqualTo(50);
        assertThat(resource(renewed, "projects").path("limit").isNull()).isTrue();
    }

    @Test
    void enterpriseIsUnlimitedWithTheRightUnitsAndPeriods() {
        Musician big = Musicians.signedIn(server, "bigco");
        subscribe(big, "enterprise", null);
        JsonNode usage = usage(big);
        for (JsonNode item : usage.path("resources")) {
            assertThat(item.path("limit").isNull()).as(item.toString()).isTrue();
        }
        assertThat(resource(usage, "storage_mb").path("unit").asText()).isEqualTo("mb");
        assertThat(resource(usage, "storage_mb").path("reset_period").asText()).isEqualTo("lifetime");
    }

    @Test
    void aUserCannotReadAnotherUsersUsage() {
        Musician me = Musicians.signedIn(server, "nosy");
        Musician other = Musicians.signedIn(server, "private_person");
        assertThat(server.http().get("/api/v1/admin/users/" + other.id() + "/usage", me.token()).status())
                .isEqualTo(403);
        String state = database.db().as(studio.nexus.db.Identity.user(me.id(), null), handle -> {
            try {
                handle.createQuery("SELECT public.usage_summary(:u)").bind("u", other.id()).mapTo(String.class).one();
                return "allowed";
            } catch (org.jdbi.v3.core.JdbiException e) {
                return ((java.sql.SQLException) e.getCause()).getSQLState();
            }
        });
        assertThat(state).isEqualTo("42501");
        long rows = database.db().as(studio.nexus.db.Identity.user(me.id(), null), handle -> handle.createQuery(
                "SELECT count(*) FROM public.usage_tracking WHERE user_id = :u").bind("u", other.id())
                .mapTo(Long.class).one());
        assertThat(rows).isZero();
        assertThat(server.http().get("/api/v1/usage", null).status()).isEqualTo(401);
    }
}
