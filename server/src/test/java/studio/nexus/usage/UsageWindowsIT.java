package studio.nexus.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;

/** Usage windows roll over at the right UTC boundary for every reset_period, checked with explicit times. */
class UsageWindowsIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(4);

    @ParameterizedTest(name = "{0} at {1}: [{2}, {3})")
    @CsvSource(nullValues = "null", value = {
            "daily,    2026-03-10T23:59:59.999Z, 2026-03-10T00:00:00Z, 2026-03-11T00:00:00Z",
            "daily,    2026-03-11T00:00:00Z,     2026-03-11T00:00:00Z, 2026-03-12T00:00:00Z",
            "weekly,   2026-03-15T23:59:59Z,     2026-03-09T00:00:00Z, 2026-03-16T00:00:00Z", // Sunday -> Monday
            "weekly,   2026-03-16T00:00:00Z,     2026-03-16T00:00:00Z, 2026-03-23T00:00:00Z",
            "monthly,  2024-02-29T12:00:00Z,     2024-02-01T00:00:00Z, 2024-03-01T00:00:00Z",
            "monthly,  2026-12-31T23:59:59Z,     2026-12-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "yearly,   2026-12-31T23:59:59Z,     2026-01-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "yearly,   2027-01-01T00:00:00Z,     2027-01-01T00:00:00Z, 2028-01-01T00:00:00Z",
            "lifetime, 2026-06-01T00:00:00Z,     -infinity,            null"})
    void windowsStartAndEndAtUtcBoundaries(String period, String at, String start, String end) {
        var row = database.db().asSystem(handle -> handle.createQuery("""
                        SELECT public.usage_window_start(:p, CAST(:at AS timestamptz))::text AS s,
                               public.usage_window_end(:p, CAST(:at AS timestamptz)) AS e""")
                .bind("p", period).bind("at", at)
                .map((rs, ctx) -> new String[] {rs.getString("s"), rs.getTimestamp("e") == null ? null
                        : rs.getTimestamp("e").toInstant().toString()})
                .one());
        if (start.equals("-infinity")) {
            assertThat(row[0]).isEqualTo("-infinity");
        } else {
            boolean same = database.one(Boolean.class, "SELECT CAST(:s AS timestamptz) = "
                    + "public.usage_window_start(:p, CAST(:at AS timestamptz))",
                    TestDatabase.params("s", start, "p", period, "at", at));
            assertThat(same).as(row[0]).isTrue();
        }
        assertThat(row[1]).isEqualTo(end == null ? null : Instant.parse(end).toString());
    }

    private void setLimit(String resource, String period) {
        database.update("""
                UPDATE public.subscription_limits SET reset_period = :p, limit_value = 2
                 WHERE subscription_tier = 'free' AND resource_type = :r""",
                TestDatabase.params("p", period, "r", resource));
    }

    private void used(Musician user, String resource, String at) {
        database.update("""
                INSERT INTO public.usage_tracking (user_id, resource_type, quantity, created_at)
                VALUES (:u, :r, 1, CAST(:at AS timestamptz))""",
                TestDatabase.params("u", user.id(), "r", resource, "at", at));
    }

    private JsonNode status(Musician user, String resource, String at) {
        return database.one(JsonNode.class, "SELECT public.usage_status(:u, :r, CAST(:at AS timestamptz))",
                TestDatabase.params("u", user.id(), "r", resource, "at", at));
    }

    @ParameterizedTest(name = "{0}: used at {1}, counted at {2} but not at {3}")
    @CsvSource({
            "daily,   2026-03-10T23:00:00Z, 2026-03-10T23:59:59Z, 2026-03-11T00:00:00Z",
            "weekly,  2026-03-09T00:00:00Z, 2026-03-15T23:59:59Z, 2026-03-16T00:00:00Z",
            "monthly, 2026-03-31T10:00:00Z, 2026-03-31T23:59:59Z, 2026-04-01T00:00:00Z",
            "yearly,  2026-01-01T00:00:00Z, 2026-12-31T23:59:59Z, 2027-01-01T00:00:00Z"})
    void useRollsOverAtTheBoundaryOfEachResetPeriod(String period, String usedAt, String sameWindow,
                                                    String nextWindow) {
        Musician user = Musicians.named("roll_" + period).inDatabase(database);
        setLimit("exports", period);
        used(user, "exports", usedAt);
        used(user, "exports", usedAt);
        JsonNode before = status(user, "exports", sameWindow);
        assertThat(before.path("used").asInt()).isEqualTo(2);
        assertThat(before.path("reset_period").asText()).isEqualTo(period);
        JsonNode after = status(user, "exports", nextWindow);
        assertThat(after.path("used").asInt()).isZero();
        assertThat(Instant.parse(before.path("resets_at").asText().replace("+00:00", "Z")))
                .isEqualTo(Instant.parse(nextWindow));
        setLimit("exports", "monthly");
    }

    @Test
    void lifetimeUseNeverResets() {
        Musician user = Musicians.named("lifer").inDatabase(database);
        used(user, "projects", "2020-01-01T00:00:00Z");
        JsonNode later = status(user, "projects", "2035-01-01T00:00:00Z");
        assertThat(later.path("used").asInt()).isEqualTo(1);
        assertThat(later.path("reset_period").asText()).isEqualTo("lifetime");
        assertThat(later.path("resets_at").isNull()).isTrue();
    }
}
