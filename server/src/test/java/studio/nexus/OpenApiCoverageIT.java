package studio.nexus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * The OpenAPI document matches the real routes: everything registered is documented, and nothing more; the accounts
 * and profiles routes are all there, under the same path templates.
 */
class OpenApiCoverageIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(4);
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    private JsonNode paths() {
        return server.http().get("/api/openapi.json", null).json().path("paths");
    }

    @Test
    void everyRegisteredRouteIsDocumented() {
        JsonNode paths = paths();
        List<String> undocumented = new ArrayList<>();
        for (String route : server.app().registeredRoutes()) {
            String[] parts = route.split(" ", 2);
            if (!paths.path(parts[1]).has(parts[0].toLowerCase(Locale.ROOT))) {
                undocumented.add(route);
            }
        }
        assertThat(undocumented).isEmpty();
    }

    @Test
    void everyDocumentedOperationIsARealRoute() {
        List<String> registered = server.app().registeredRoutes();
        List<String> imaginary = new ArrayList<>();
        paths().fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (List.of("get", "put", "post", "delete", "patch").contains(method)
                    && !registered.contains(method.toUpperCase(Locale.ROOT) + " " + path.getKey())) {
                imaginary.add(method + " " + path.getKey());
            }
        }));
        assertThat(imaginary).isEmpty();
    }

    @Test
    void everyAccountsRouteIsDocumented() {
        JsonNode paths = paths();
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

    @Test
    void everyOperationHasASummaryAndResponses() {
        List<String> incomplete = new ArrayList<>();
        paths().fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            if (!operation.getValue().hasNonNull("summary") || !operation.getValue().has("responses")) {
                incomplete.add(operation.getKey() + " " + path.getKey());
            }
        }));
        assertThat(incomplete).isEmpty();
    }
}
