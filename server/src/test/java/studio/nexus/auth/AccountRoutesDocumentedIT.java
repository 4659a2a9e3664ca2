package studio.nexus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/** Every accounts and profiles route is in openapi.json under the same path template. */
class AccountRoutesDocumentedIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    @Test
    void everyAccountsRouteIsDocumented() {
        JsonNode paths = server.http().get("/api/openapi.json", null).json().path("paths");
        var routes = server.app().registeredRoutes().stream()
                .filter(route -> route.contains("/api/v1/auth") || route.endsWith(" /api/v1/me")
                        || route.contains("/api/v1/profiles"))
                .toList();
        assertThat(routes).hasSize(14);
        for (String route : routes) {
            String[] parts = route.split(" ", 2);
            assertThat(paths.path(parts[1]).has(parts[0].toLowerCase(Locale.ROOT))).as(route).isTrue();
        }
    }
}
