package studio.nexus.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

class OperationsEndpointsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    private static final String METRICS_TOKEN = "scraper-token-0123456789";

    @RegisterExtension @Order(2) static TestServer server = new TestServer(database)
            .with("STUDIO_METRICS_TOKEN", METRICS_TOKEN);
    @RegisterExtension @Order(3) static TestServer withoutMetricsToken = new TestServer(database);

    @Test
    void healthSaysUpWithoutTouchingTheDatabase() {
        Http.Response response = server.http().get("/health", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("up");
    }

    @Test
    void readySaysTheDatabaseIsReachableAndMigrationsAreCurrent() {
        Http.Response response = server.http().get("/ready", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("migrations").asText()).isEqualTo("current");
    }

    @Test
    void metricsArePrometheusTextIncludingRequestTimingsForTheMetricsToken() {
        server.http().get("/health", null);
        Http.Response response = server.http().get("/metrics", METRICS_TOKEN);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        assertThat(response.body()).contains("http_server_requests_seconds_count").contains("route=\"/health\"");
    }

    @Test
    void metricsWithoutTheRightBearerTokenAre401AndShowNoNumbers() {
        for (String token : new String[] {null, "", "scraper-token-012345678", "scraper-token-0123456789x",
                "not-even-close"}) {
            Http.Response response = server.http().get("/metrics", token);
            assertThat(response.status()).as(String.valueOf(token)).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(response.body()).doesNotContain("http_server_requests");
        }
        Http.Response basic = server.http().send(server.http().request("/metrics", null)
                .header("Authorization", "Basic " + METRICS_TOKEN).GET());
        assertThat(basic.status()).isEqualTo(401);
    }

    @Test
    void withoutAMetricsTokenConfiguredMetricsAreNotServedAtAll() {
        withoutMetricsToken.http().get("/health", null);
        for (String token : new String[] {null, METRICS_TOKEN, ""}) {
            Http.Response response = withoutMetricsToken.http().get("/metrics", token);
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.body()).doesNotContain("http_server_requests");
        }
    }

    @Test
    void everyResponseCarriesARequestIdAndEchoesASaneOne() {
        Http.Response generated = server.http().get("/health", null);
        assertThat(generated.header("X-Request-Id")).matches("[0-9a-f-]{36}");
        Http.Response echoed = server.http().send(server.http().request("/health", null)
                .header("X-Request-Id", "trace-42").GET());
        assertThat(echoed.header("X-Request-Id")).isEqualTo("trace-42");
        Http.Response hostile = server.http().send(server.http().request("/health", null)
                .header("X-Request-Id", "bad id with spaces and \u00e9").GET());
        assertThat(hostile.header("X-Request-Id")).matches("[0-9a-f-]{36}");
    }

    @Test
    void unknownRoutesAreProblemJson404() {
        Http.Response response = server.http().offContract().get("/api/v1/no-such-thing", null);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("code").asText()).isEqualTo("route_not_found");
        assertThat(response.json().path("request_id").asText()).isNotEmpty();
    }

    @Test
    void aBrokenBearerTokenIs401EvenOnAnUnknownRoute() {
        Http.Response response = server.http().offContract().get("/api/v1/anything", "not-a-jwt");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @Test
    void docsPageAndOpenApiDocumentAreServed() {
        assertThat(server.http().get("/docs", null).body()).contains("swagger-ui");
        Http.Response spec = server.http().get("/api/openapi.json", null);
        assertThat(spec.json().path("openapi").asText()).isEqualTo("3.1.0");
    }
}
