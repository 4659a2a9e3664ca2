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
import studio.nexus.db.Roles;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.core.Json;
import studio.nexus.web.Paging;

/**
 * Analytics events: what clients send in batches, what the server records about itself ({@link #record}), what a
 * user may read back (their own), and what administrators count. Its SQL is in {@link AnalyticsSql}. Thread-safe.
 */
public final class Analytics {
    /** An event as stored, as its owner reads it back. */
    public record Event(UUID id, String eventType, String eventCategory, JsonNode eventProperties, String pageUrl,
                        String referrer, String sessionId, Instant createdAt) {}

    /** One group of an aggregate: its key (an event type, a category or a UTC day) and how many events. */
    public record Count(String key, long count) {}

    public enum GroupBy { EVENT_TYPE, EVENT_CATEGORY, DAY }

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
        new AnalyticsSql(handle).record(userId, type, category,
                Json.MAPPER.valueToTree(properties == null ? Map.of() : properties).toString());
    }

    /**
     * Stores a validated batch in one multi-row insert, as the caller (the insert policy lets a caller write only
     * their own or anonymous events); the server's own facts (user, address, user agent) come from the request.
     */
    public int ingest(Identity who, ArrayNode events, String ip, String userAgent) {
        return db.as(who, handle -> new AnalyticsSql(handle)
                .insertBatch(who.userId().orElse(null), events.toString(), ip, userAgent));
    }

    /** The caller's own events, newest first. */
    public Paging.Page<Event> mine(Identity who, Paging.Request page) {
        UUID me = who.requireUserId();
        List<Event> rows = db.as(who, handle -> new AnalyticsSql(handle).eventsOf(me,
                page.after().map(a -> Paging.instant(a, "created_at")), page.after().map(a -> Paging.uuid(a, "id")),
                page.limit() + 1));
        return Paging.page(rows, page.limit(), e -> Json.MAPPER.createObjectNode()
                .put("created_at", e.createdAt().toString()).put("id", e.id().toString()));
    }

    /** Counts of everyone's events in [from, to), grouped; administrators only. At most 1 000 groups. */
    public List<Count> counts(Identity who, Instant from, Instant to, GroupBy groupBy) {
        return db.as(who, handle -> {
            Roles.requireAdmin(handle);
            return new AnalyticsSql(handle).counts(from, to, groupBy);
        });
    }

    static final Duration MAX_RANGE = Duration.ofDays(366);
}
