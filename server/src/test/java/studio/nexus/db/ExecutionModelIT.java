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

    private Map<String, Object> whoAmIInOneRoundTrip(Identity identity, String marker) {
        return database.db().inOneRoundTrip(identity,
                "SELECT current_user AS role, auth.uid() AS uid, current_setting('statement_timeout') AS timeout, ?",
                (statement, first) -> statement.setString(first, marker),
                rows -> {
                    rows.next();
                    return Map.of("role", rows.getString(1), "uid", String.valueOf(rows.getObject(2)),
                            "timeout", rows.getString(3), "marker", rows.getString(4));
                });
    }

    @Test
    void aOneRoundTripReadRunsAsTheIdentityWithItsOwnParametersAndLeavesNothingBehind() {
        UUID user = UUID.randomUUID();
        Map<String, Object> me = whoAmIInOneRoundTrip(Identity.user(user, UUID.randomUUID()), "mine");
        assertThat(me).containsEntry("role", "authenticated").containsEntry("uid", user.toString())
                .containsEntry("timeout", "30s").containsEntry("marker", "mine");
        // the same (only) connection, straight after: the role and claims ended with the implicit transaction
        Map<String, Object> anonymous = whoAmI(Identity.anonymous());
        assertThat(anonymous.get("role")).isEqualTo("anon");
        assertThat(anonymous.get("uid")).isNull();
        assertThat(whoAmIInOneRoundTrip(Identity.anonymous(), "x")).containsEntry("uid", "null");
        assertRawConnectionIsClean();
    }

    @Test
    void aFailedOneRoundTripReadLeavesTheConnectionCleanAndUsableInATransaction() {
        assertThatThrownBy(() -> database.db().inOneRoundTrip(Identity.user(UUID.randomUUID(), null),
                "SELECT 1/0", Db.NO_PARAMETERS, rows -> rows.next()))
                .isInstanceOf(RuntimeException.class).hasMessageContaining("division by zero");
        assertRawConnectionIsClean();
        assertThat(whoAmI(Identity.system()).get("role")).isEqualTo("service_role");
        assertRawConnectionIsClean();
    }

    @Test
    void aOneRoundTripWriteIsCommittedAsOneTransaction() {
        UUID user = UUID.randomUUID();
        database.db().inOneRoundTrip(Identity.system(),
                "INSERT INTO auth.users (id, email) VALUES (CAST(? AS uuid), 'one@example.test') RETURNING id",
                (statement, first) -> statement.setString(first, user.toString()), rows -> rows.next());
        long count = database.db().asSystem(handle -> handle.createQuery(
                "SELECT count(*) FROM auth.users WHERE id = :id").bind("id", user).mapTo(Long.class).one());
        assertThat(count).isEqualTo(1);
    }

    private static void assertRawConnectionIsClean() {
        try (var raw = database.dataSource().getConnection(); var statement = raw.createStatement()) {
            var rows = statement.executeQuery("SELECT current_user, current_setting('request.jwt.claims', true),"
                    + " current_setting('statement_timeout')");
            rows.next();
            assertThat(rows.getString(1)).isEqualTo(TestDatabase.user());
            assertThat(rows.getString(2)).isNullOrEmpty();
            assertThat(rows.getString(3)).isEqualTo("0");
            assertThat(raw.getAutoCommit()).isTrue();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
