package studio.nexus.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.TestDatabase;

/** The request execution model: one transaction, one role, claims visible to auth.uid(), nothing leaks. */
class ExecutionModelIT {
    // one connection: every unit of work reuses it, so anything left behind would show in the next one
    @RegisterExtension static TestDatabase database = new TestDatabase(1);

    private Map<String, Object> whoAmI(Identity identity) {
        return database.db().as(identity, handle -> handle.createQuery(
                "SELECT current_user AS role, auth.uid() AS uid, current_setting('statement_timeout') AS timeout")
                .mapToMap().one());
    }

    @Test
    void aUserRunsAsAuthenticatedWithTheirIdFromTheClaims() {
        UUID user = UUID.randomUUID();
        Map<String, Object> me = whoAmI(Identity.user(user, UUID.randomUUID()));
        assertThat(me.get("role")).isEqualTo("authenticated");
        assertThat(me.get("uid")).isEqualTo(user);
        assertThat(me.get("timeout")).isEqualTo("30s");
    }

    @Test
    void identityNeverLeaksIntoTheNextUnitOfWorkOnTheSameConnection() {
        whoAmI(Identity.user(UUID.randomUUID(), null));
        Map<String, Object> anonymous = whoAmI(Identity.anonymous());
        assertThat(anonymous.get("role")).isEqualTo("anon");
        assertThat(anonymous.get("uid")).isNull();
        Map<String, Object> system = whoAmI(Identity.system());
        assertThat(system.get("role")).isEqualTo("service_role");
        assertThat(system.get("uid")).isNull();
    }

    @Test
    void afterAFailedUnitOfWorkTheConnectionIsCleanToo() {
        UUID user = UUID.randomUUID();
        assertThatThrownBy(() -> database.db().as(Identity.user(user, null), handle -> {
            handle.createQuery("SELECT 1/0").mapTo(Integer.class).one();
            return null;
        })).isInstanceOf(RuntimeException.class);
        assertThat(whoAmI(Identity.anonymous()).get("uid")).isNull();
        try (var raw = database.dataSource().getConnection(); var statement = raw.createStatement()) {
            var rows = statement.executeQuery("SELECT current_user, current_setting('request.jwt.claims', true)");
            rows.next();
            assertThat(rows.getString(1)).isEqualTo(TestDatabase.user());
            assertThat(rows.getString(2)).isNullOrEmpty();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aUnitOfWorkIsOneTransaction() {
        UUID user = UUID.randomUUID();
        assertThatThrownBy(() -> database.db().asSystem(handle -> {
            handle.createUpdate("INSERT INTO auth.users (id, email) VALUES (:id, 'tx@example.test')")
                    .bind("id", user).execute();
            throw new IllegalStateException("changed my mind");
        })).hasMessage("changed my mind");
        long count = database.db().asSystem(handle -> handle.createQuery(
                "SELECT count(*) FROM auth.users WHERE id = :id").bind("id", user).mapTo(Long.class).one());
        assertThat(count).isZero();
    }
}
