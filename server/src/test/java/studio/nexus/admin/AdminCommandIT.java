package studio.nexus.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/** {@code java -jar studio-nexus.jar admin grant|revoke <email>} makes the first administrator. */
class AdminCommandIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(4);
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    private int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return AdminCommand.run(database.db(), List.of(args), new PrintStream(out), new PrintStream(out));
    }

    @Test
    void adminGrantMakesAnAdministratorAndRevokeUndoesItBothAudited() {
        Musician first = Musicians.signUp(server.http(), "founder");
        assertThat(server.http().get("/api/v1/admin/admins", first.token()).status()).isEqualTo(403);
        assertThat(run("grant", first.email().toUpperCase())).isZero();
        assertThat(run("grant", first.email())).isZero(); // idempotent
        var admins = server.http().get("/api/v1/admin/admins", first.token());
        assertThat(admins.status()).isEqualTo(200);
        assertThat(admins.body()).contains(first.id().toString());
        var audit = server.http().get("/api/v1/admin/audit?target_id=" + first.id(), first.token()).json();
        assertThat(audit.path("items").get(0).path("action").asText()).isEqualTo("admin_role.insert");
        assertThat(audit.path("items").get(0).path("actor_id").isNull()).isTrue();
        assertThat(audit.path("items").get(0).path("actor_role").asText()).isEqualTo("service_role");

        assertThat(run("revoke", first.email())).isZero();
        assertThat(server.http().get("/api/v1/admin/admins", first.token()).status()).isEqualTo(403);
    }

    @Test
    void anUnknownEmailOrABadCommandChangesNothing() {
        assertThat(run("grant", "nobody@example.test")).isEqualTo(1);
        assertThat(run("promote", "x@example.test")).isEqualTo(2);
        assertThat(run("grant")).isEqualTo(2);
    }
}
