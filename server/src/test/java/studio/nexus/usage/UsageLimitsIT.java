package studio.nexus.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.core.Failure;

class UsageLimitsIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(24);
    static final Usage usage = new Usage(null);

    private boolean tryConsume(Musician user, String resource) {
        try {
            database.db().as(user.identity(), handle -> usage.consume(handle, user.id(), resource, BigDecimal.ONE, null));
            return true;
        } catch (Failure e) {
            assertThat(e.code()).isEqualTo("limit_exceeded");
            return false;
        }
    }

    @Test
    void concurrentAttemptsNeverGetMoreThroughThanTheLimit() throws Exception {
        Musician user = Musicians.named("racer").inDatabase(database);
        int attempts = 20;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            Callable<Boolean> attempt = () -> {
                start.await();
                return tryConsume(user, "ai_transformations");
            };
            results.add(pool.submit(attempt));
        }
        start.countDown();
        int allowed = 0;
        for (Future<Boolean> result : results) {
            allowed += result.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(allowed).isEqualTo(5); // the free tier's monthly AI transformations
        long recorded = database.one(Long.class,
                "SELECT count(*) FROM public.usage_tracking WHERE user_id = :u AND resource_type = 'ai_transformations'",
                TestDatabase.params("u", user.id()));
        assertThat(recorded).isEqualTo(5);
    }

    @Test
    void aRefusalSaysTheLimitTheUseAndWhenItResets() {
        Musician user = Musicians.named("capped").inDatabase(database);
        for (int i = 0; i < 5; i++) {
            assertThat(tryConsume(user, "ai_transformations")).isTrue();
        }
        assertThatThrownBy(() -> database.db().as(user.identity(),
                handle -> usage.consume(handle, user.id(), "ai_transformations", BigDecimal.ONE, null)))
                .isInstanceOfSatisfying(Failure.class, e -> {
                    assertThat(e.kind()).isEqualTo(Failure.Kind.LIMIT_REACHED);
                    assertThat((BigDecimal) e.extensions().get("limit")).isEqualByComparingTo("5");
                    assertThat(e.extensions()).containsEntry("tier", "free").containsKey("resets_at");
                });
    }

    @Test
    void unlimitedTiersAreNeverRefusedButStillRecorded() {
        Musician user = Musicians.named("pro_user").pro().inDatabase(database);
        for (int i = 0; i < 15; i++) {
            assertThat(tryConsume(user, "exports")).isTrue();
        }
    }

    @Test
    void anExpiredProSubscriptionGetsFreeLimits() {
        Musician user = Musicians.named("lapsed").inDatabase(database);
        database.update("""
                UPDATE public.profiles SET subscription_tier = 'pro', subscription_expires_at = now() - interval '1 day'
                WHERE id = :u""", TestDatabase.params("u", user.id()));
        int allowed = 0;
        for (int i = 0; i < 12; i++) {
            allowed += tryConsume(user, "exports") ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(10);
    }

    @Test
    void deletingAProjectGivesItsUnitBackToTheLimit() {
        Musician user = Musicians.named("maker").inDatabase(database);
        for (int i = 0; i < 3; i++) {
            database.db().as(user.identity(), handle -> {
                var id = handle.createQuery("INSERT INTO public.projects (user_id, title) VALUES (:u, 'p') RETURNING id")
                        .bind("u", user.id()).mapTo(java.util.UUID.class).one();
                return usage.consume(handle, user.id(), "projects", BigDecimal.ONE, id);
            });
        }
        assertThat(tryConsume(user, "projects")).isFalse();
        database.db().as(user.identity(), handle -> handle.createUpdate(
                "DELETE FROM public.projects WHERE id = (SELECT id FROM public.projects WHERE user_id = :u LIMIT 1)")
                .bind("u", user.id()).execute());
        JsonNode status = database.db().as(user.identity(), handle -> usage.status(handle, user.id(), "projects"));
        assertThat(status.path("used").decimalValue()).isEqualByComparingTo("2");
        int total = database.one(Integer.class, "SELECT total_projects FROM public.profiles WHERE id = :u",
                TestDatabase.params("u", user.id()));
        assertThat(total).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0} window of {1} starts {2} and ends {3}")
    @CsvSource({
            "daily,   2026-03-15T23:59:59Z, 2026-03-15T00:00:00Z, 2026-03-16T00:00:00Z",
            "daily,   2026-03-16T00:00:00Z, 2026-03-16T00:00:00Z, 2026-03-17T00:00:00Z",
            "weekly,  2026-03-15T12:00:00Z, 2026-03-09T00:00:00Z, 2026-03-16T00:00:00Z",
            "weekly,  2026-03-16T00:00:00Z, 2026-03-16T00:00:00Z, 2026-03-23T00:00:00Z",
            "monthly, 2026-02-28T23:59:59Z, 2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z",
            "monthly, 2026-03-01T00:00:00Z, 2026-03-01T00:00:00Z, 2026-04-01T00:00:00Z",
            "yearly,  2026-12-31T23:59:59Z, 2026-01-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "yearly,  2027-01-01T00:00:00Z, 2027-01-01T00:00:00Z, 2028-01-01T00:00:00Z",
    })
    void usageWindowsRollOverAtUtcBoundaries(String period, String at, String start, String end) {
        var window = database.db().asSystem(handle -> {
            handle.execute("SET LOCAL timezone = 'Pacific/Kiritimati'");
            return handle.createQuery("""
                SELECT public.usage_window_start(:p, :at::timestamptz) AS s, public.usage_window_end(:p, :at::timestamptz) AS e""")
                .bind("p", period).bind("at", at).mapToMap().one();
        });
        assertThat(((java.sql.Timestamp) window.get("s")).toInstant().toString()).isEqualTo(start);
        assertThat(((java.sql.Timestamp) window.get("e")).toInstant().toString()).isEqualTo(end);
    }

    @Test
    void aLifetimeWindowNeverResets() {
        var end = database.one(Boolean.class, "SELECT public.usage_window_end('lifetime', now()) IS NULL");
        assertThat(end).isTrue();
    }

    @Test
    void theBillingPeriodIsTheUtcMonthWhateverTheSessionTimeZone() {
        Musician user = Musicians.named("timezoned").inDatabase(database);
        String period = database.db().asSystem(handle -> {
            handle.execute("SET LOCAL timezone = 'Pacific/Kiritimati'"); // UTC+14: already next month near month end
            handle.createUpdate("INSERT INTO public.usage_tracking (user_id, resource_type) VALUES (:u, 'exports')")
                    .bind("u", user.id()).execute();
            return handle.createQuery("""
                    SELECT (billing_period = (date_trunc('month', created_at AT TIME ZONE 'UTC'))::date)::text
                    FROM public.usage_tracking WHERE user_id = :u""").bind("u", user.id()).mapTo(String.class).one();
        });
        assertThat(period).isEqualTo("true");
    }
}
