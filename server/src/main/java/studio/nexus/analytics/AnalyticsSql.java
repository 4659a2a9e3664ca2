package studio.nexus.analytics;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import studio.nexus.analytics.Analytics.Count;
import studio.nexus.analytics.Analytics.Event;
import studio.nexus.analytics.Analytics.GroupBy;

/** All SQL of analytics, run in the caller's transaction as the caller (the insert and read policies decide). */
final class AnalyticsSql {
    private static final String INSERT_BATCH = """
            INSERT INTO public.analytics_events (user_id, session_id, event_type, event_category, event_properties,
                                                 page_url, referrer, user_agent, ip_address)
            SELECT CAST(:user AS uuid), e.session_id, e.event_type, e.event_category,
                   coalesce(e.event_properties, '{}'::jsonb), e.page_url, e.referrer, :userAgent, CAST(:ip AS inet)
              FROM jsonb_to_recordset(CAST(:events AS jsonb))
                   AS e(session_id text, event_type text, event_category text, event_properties jsonb,
                        page_url text, referrer text)""";

    private final Handle handle;

    AnalyticsSql(Handle handle) {
        this.handle = handle;
    }

    void record(UUID userId, String type, String category, String propertiesJson) {
        handle.createUpdate("""
                        INSERT INTO public.analytics_events (user_id, event_type, event_category, event_properties)
                        VALUES (CAST(:user AS uuid), :type, :category, CAST(:properties AS jsonb))""")
                .bind("user", userId == null ? null : userId.toString())
                .bind("type", type)
                .bind("category", category)
                .bind("properties", propertiesJson)
                .execute();
    }

    int insertBatch(UUID userId, String eventsJson, String ip, String userAgent) {
        return handle.createUpdate(INSERT_BATCH)
                .bind("user", userId == null ? null : userId.toString())
                .bind("userAgent", userAgent)
                .bind("ip", ip)
                .bind("events", eventsJson)
                .execute();
    }

    /** A user's events, newest first, after the (created_at, id) cursor when given; {@code limit} at most. */
    List<Event> eventsOf(UUID user, Optional<Instant> afterAt, Optional<UUID> afterId, int limit) {
        boolean after = afterAt.isPresent();
        var query = handle.createQuery("""
                        SELECT id, event_type, event_category, event_properties, page_url, referrer, session_id,
                               created_at
                          FROM public.analytics_events
                         WHERE user_id = :me""" + (after ? " AND (created_at, id) < (:afterAt, :afterId)" : "")
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("me", user)
                .bind("limit", limit);
        if (after) {
            query.bind("afterAt", Timestamp.from(afterAt.get())).bind("afterId", afterId.get());
        }
        return query.map(ConstructorMapper.of(Event.class)).list();
    }

    /** Everyone's events in [from, to), grouped; at most 1 000 groups. */
    List<Count> counts(Instant from, Instant to, GroupBy groupBy) {
        String key = switch (groupBy) {
            case EVENT_TYPE -> "event_type";
            case EVENT_CATEGORY -> "event_category";
            case DAY -> "to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')";
        };
        String order = groupBy == GroupBy.DAY ? "1" : "2 DESC, 1";
        return handle.createQuery("SELECT " + key + " AS key, count(*) AS count FROM public.analytics_events"
                        + " WHERE created_at >= :from AND created_at < :to GROUP BY 1 ORDER BY " + order
                        + " LIMIT 1000")
                .bind("from", Timestamp.from(from))
                .bind("to", Timestamp.from(to))
                .map(ConstructorMapper.of(Count.class))
                .list();
    }
}
