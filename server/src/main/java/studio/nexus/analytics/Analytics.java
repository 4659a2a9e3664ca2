package studio.nexus.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import studio.nexus.admin.AdminCheck;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.core.Json;
import studio.nexus.web.Paging;

/**
 * Analytics events: what clients send in batches, what the server records about itself ({@link #record}), what a
 * user may read back (their own), and what administrators count. All SQL of the feature is here. Thread-safe.
 */
public final class Analytics {
    /** An event as stored, as its owner reads it back. */
    public record Event(UUID id, String eventType, String eventCategory, JsonNode eventProperties, String pageUrl,
                        String referrer, String sessionId, Instant createdAt) {}

    /** One group of an aggregate: its key (an event type, a category or a UTC day) and how many events. */
    public record Count(String key, long count) {}

    public enum GroupBy { EVENT_TYPE, EVENT_CATEGORY, DAY }

    private static final String INSERT_BATCH = """
            INSERT INTO public.analytics_events (user_id, session_id, event_type, event_category, event_properties,
                                                 page_url, referrer, user_agent, ip_address)
            SELECT CAST(:user AS uuid), e.session_id, e.event_type, e.event_category,
                   coalesce(e.event_properties, '{}'::jsonb), e.page_url, e.referrer, :userAgent, CAST(:ip AS inet)
              FROM jsonb_to_recordset(CAST(:events AS jsonb))
                   AS e(session_id text, event_type text, event_category text, event_properties jsonb,
                        page_url text, referrer text)""";

    private final Db db;

    public Analytics(Db db) {
        this.db = db;
    }

    /**
     * Records one server-side event (sign-up, project created, upload, render, transformation, export…) in the
     * caller's own transaction, so the event exists if and only if what it describes committed. Runs as whoever
     * the handle runs as: a user may record only their own events (the insert policy), the system anyone's.
     */
    public static void record(Handle handle, UUID userId, String type, String category, Map<String, ?> properties) {
        handle.createUpdate("""
                        INSERT INTO public.analytics_events (user_id, event_type, event_category, event_properties)
                        VALUES (CAST(:user AS uuid), :type, :category, CAST(:properties AS jsonb))""")
                .bind("user", userId == null ? null : userId.toString())
                .bind("type", type)
                .bind("category", category)
                .bind("properties", Json.MAPPER.valueToTree(properties == null ? Map.of() : properties).toString())
                .execute();
    }

    /**
     * Stores a validated batch in one multi-row insert, as the caller (the insert policy lets a caller write only
     * their own or anonymous events); the server's own facts (user, address, user agent) come from the request.
     */
    public int ingest(Identity who, ArrayNode events, String ip, String userAgent) {
        return db.as(who, handle -> handle.createUpdate(INSERT_BATCH)
                .bind("user", who.userId().map(UUID::toString).orElse(null))
                .bind("userAgent", userAgent)
                .bind("ip", ip)
                .bind("events", events.toString())
                .execute());
    }

    /** The caller's own events, newest first. */
    public Paging.Page<Event> mine(Identity who, Paging.Request page) {
        UUID me = who.requireUserId();
        List<Event> rows = db.as(who, handle -> {
            boolean after = page.after().isPresent();
            var query = handle.createQuery("""
                            SELECT id, event_type, event_category, event_properties, page_url, referrer, session_id,
                                   created_at
                              FROM public.analytics_events
                             WHERE user_id = :me""" + (after ? " AND (created_at, id) < (:afterAt, :afterId)" : "")
                            + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                    .bind("me", me)
                    .bind("limit", page.limit() + 1);
            if (after) {
                query.bind("afterAt", java.sql.Timestamp.from(Paging.instant(page.after().get(), "created_at")))
                        .bind("afterId", Paging.uuid(page.after().get(), "id"));
            }
            return query.map(ConstructorMapper.of(Event.class)).list();
        });
        return Paging.page(rows, page.limit(), e -> Json.MAPPER.createObjectNode()
                .put("created_at", e.createdAt().toString()).put("id", e.id().toString()));
    }

    /** Counts of everyone's events in [from, to), grouped; administrators only. At most 1 000 groups. */
    public List<Count> counts(Identity who, Instant from, Instant to, GroupBy groupBy) {
        String key = switch (groupBy) {
            case EVENT_TYPE -> "event_type";
            case EVENT_CATEGORY -> "event_category";
            case DAY -> "to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')";
        };
        String order = groupBy == GroupBy.DAY ? "1" : "2 DESC, 1";
        return db.as(who, handle -> {
            AdminCheck.require(handle);
            return handle.createQuery("SELECT " + key + " AS key, count(*) AS count FROM public.analytics_events"
                            + " WHERE created_at >= :from AND created_at < :to GROUP BY 1 ORDER BY " + order
                            + " LIMIT 1000")
                    .bind("from", java.sql.Timestamp.from(from))
                    .bind("to", java.sql.Timestamp.from(to))
                    .map(ConstructorMapper.of(Count.class))
                    .list();
        });
    }

    static final Duration MAX_RANGE = Duration.ofDays(366);
}
