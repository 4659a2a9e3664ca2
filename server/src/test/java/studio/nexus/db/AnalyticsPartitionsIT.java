package studio.nexus.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.TestDatabase;

class AnalyticsPartitionsIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(4);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'analytics_events_'yyyy_MM");

    private List<String> partitions() {
        return database.list(String.class, """
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'public.analytics_events'::regclass ORDER BY 1""", TestDatabase.params());
    }

    @Test
    void analyticsEventsIsPartitionedByMonthWithPartitionsAhead() {
        String kind = database.one(String.class,
                "SELECT partstrat::text FROM pg_partitioned_table WHERE partrelid = 'public.analytics_events'::regclass");
        assertThat(kind).isEqualTo("r");
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        assertThat(partitions()).contains(now.minusMonths(1).format(NAME), now.format(NAME),
                now.plusMonths(1).format(NAME), now.plusMonths(3).format(NAME));
    }

    @Test
    void ensuringPartitionsCreatesMissingMonthsOnceAndRowsLandInTheirMonth() {
        int created = database.one(Integer.class,
                "SELECT public.ensure_analytics_partitions(2, '2031-05-20T12:00:00Z')");
        assertThat(created).isEqualTo(3);
        int again = database.one(Integer.class, "SELECT public.ensure_analytics_partitions(2, '2031-05-20T12:00:00Z')");
        assertThat(again).isZero();
        String landed = database.one(String.class, """
                INSERT INTO public.analytics_events (event_type, created_at) VALUES ('x', '2031-06-30T23:59:59Z')
                RETURNING tableoid::regclass::text""");
        assertThat(landed).isEqualTo("analytics_events_2031_06");
    }

    @Test
    void partitionsBeforeTheRetentionCutoffAreDroppedWhole() {
        database.one(Integer.class, "SELECT public.ensure_analytics_partitions(3, '2020-01-10T00:00:00Z')");
        List<String> dropped = database.list(String.class,
                "SELECT unnest(public.drop_analytics_partitions_before('2020-03-15T00:00:00Z'))");
        assertThat(dropped).containsExactlyInAnyOrder("analytics_events_2020_01", "analytics_events_2020_02");
        assertThat(partitions()).contains("analytics_events_2020_03", "analytics_events_2020_04")
                .doesNotContain("analytics_events_2020_01");
    }
}
