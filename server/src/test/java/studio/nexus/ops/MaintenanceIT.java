package studio.nexus.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.TestDatabase;

/** The scheduled task, run at a chosen "now": partitions made ahead, dropped after retention, old windows pruned. */
class MaintenanceIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(4);

    private List<String> partitions() {
        return database.list(String.class, """
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'public.analytics_events'::regclass ORDER BY 1""", TestDatabase.params());
    }

    @Test
    void partitionsAreCreatedAheadAndDroppedAfterTheRetention() {
        Maintenance maintenance = new Maintenance(database.db(), 13, Clock.systemUTC());
        Maintenance.Outcome first = maintenance.runOnce(Instant.parse("2040-03-15T10:00:00Z"));
        assertThat(partitions()).contains("analytics_events_2040_03", "analytics_events_2040_04",
                "analytics_events_2040_05", "analytics_events_2040_06");
        assertThat(first.partitionsCreated()).isEqualTo(4);
        // everything ending on or before 2039-02-01 (13 whole months before March 2040) is gone: today's too
        assertThat(first.partitionsDropped()).isNotEmpty();
        assertThat(partitions()).allMatch(name -> name.compareTo("analytics_events_2039_02") >= 0);

        // a year later: 2040-03 is still within 13 months of 2041-03; 2040-01 would not be
        database.one(Integer.class, "SELECT public.ensure_analytics_partitions(0, '2040-01-10T00:00:00Z')");
        Maintenance.Outcome later = maintenance.runOnce(Instant.parse("2041-03-01T00:00:00Z"));
        assertThat(later.partitionsDropped()).containsExactly("analytics_events_2040_01");
        assertThat(partitions()).contains("analytics_events_2040_03", "analytics_events_2041_06");
        assertThat(maintenance.runOnce(Instant.parse("2041-03-01T00:00:00Z")).partitionsCreated()).isZero();

        // leave the database usable for now
        maintenance.runOnce(Instant.now());
    }

    @Test
    void rateLimitWindowsThatEndedArePruned() {
        database.db().asSystem(handle -> handle.execute("""
                INSERT INTO public.rate_limit_counters (bucket, window_start, hits) VALUES
                  ('anon:ip:1', '2030-01-01T10:00:00Z', 5), ('anon:ip:1', '2030-01-01T10:59:00Z', 5)"""));
        Maintenance.Outcome outcome = new Maintenance(database.db(), 13, Clock.systemUTC())
                .runOnce(Instant.parse("2030-01-01T11:00:00Z"));
        assertThat(outcome.rateLimitRowsPruned()).isEqualTo(1);
    }
}
