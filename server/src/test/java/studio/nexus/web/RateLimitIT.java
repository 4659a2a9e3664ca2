package studio.nexus.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.SettableClock;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * Rate limits with low limits, on two server processes sharing one database (the counters are in PostgreSQL, so
 * they add up across processes), on a clock the test moves.
 */
class RateLimitIT {
    static final SettableClock clock = new SettableClock();
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(8);
    @RegisterExtension @Order(2) static TestServer one = limited(new TestServer(database));
    @RegisterExtension @Order(3) static TestServer two = limited(new TestServer(database));

    static TestServer limited(TestServer server) {
        return server.withClock(clock)
                .with("STUDIO_RATE_LIMIT_ANON_PER_MINUTE", "10")
                .with("STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", "6")
                .with("STUDIO_RATE_LIMIT_EVENTS_PER_MINUTE", "3")
                .with("STUDIO_RATE_LIMIT_ERRORS_PER_MINUTE", "2");
    }

    static void nextMinute() {
        clock.advance(java.time.Duration.ofSeconds(60));
    }

    @Test
    void anonymousRequestsPastTheLimitAre429WithRetryAfterAcrossServersUntilTheWindowEnds() {
        nextMinute();
        for (int i = 0; i < 10; i++) {
            Http http = i % 2 == 0 ? one.http() : two.http();
            assertThat(http.get("/api/v1/explore", null).status()).as("request " + i).isEqualTo(200);
        }
        Http.Response refused = one.http().get("/api/v1/explore", null);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("code").asText()).isEqualTo("rate_limited");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(two.http().get("/api/v1/explore", null).status()).isEqualTo(429);
        // operations endpoints are not limited
        assertThat(one.http().get("/health", null).status()).isEqualTo(200);
        nextMinute();
        assertThat(one.http().get("/api/v1/explore", null).status()).isEqualTo(200);
    }

    @Test
    void signedInReadsAreNotLimitedButWritesAreLimitedPerUser() {
        nextMinute();
        Musician writer = Musicians.signedIn(one, "writer");
        Musician bystander = Musicians.signedIn(one, "bystander");
        for (int i = 0; i < 20; i++) {
            assertThat(one.http().get("/api/v1/me", writer.token()).status()).isEqualTo(200);
        }
        for (int i = 0; i < 6; i++) {
            assertThat(one.http().patch("/api/v1/me", writer.token(), Map.of("bio", "v" + i)).status())
                    .as("write " + i).isEqualTo(200);
        }
        Http.Response refused = two.http().patch("/api/v1/me", writer.token(), Map.of("bio", "too many"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(one.http().patch("/api/v1/me", bystander.token(), Map.of("bio", "fine")).status()).isEqualTo(200);
    }

    @Test
    void eventsAndErrorReportsHaveTheirOwnTighterLimits() {
        nextMinute();
        Musician client = Musicians.signedIn(one, "client");
        Map<String, Object> batch = Map.of("events", List.of(Map.of("event_type", "limited")));
        for (int i = 0; i < 3; i++) {
            assertThat(one.http().post("/api/v1/events", client.token(), batch).status()).isEqualTo(202);
        }
        assertThat(two.http().post("/api/v1/events", client.token(), batch).status()).isEqualTo(429);
        for (int i = 0; i < 2; i++) {
            assertThat(one.http().post("/api/v1/errors", client.token(), Map.of("error_message", "e")).status())
                    .isEqualTo(202);
        }
        assertThat(one.http().post("/api/v1/errors", client.token(), Map.of("error_message", "e")).status())
                .isEqualTo(429);
        long stored = database.one(Long.class,
                "SELECT count(*) FROM public.analytics_events WHERE event_type = 'limited'");
        assertThat(stored).isEqualTo(3);
    }
}
