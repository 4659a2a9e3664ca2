package studio.nexus.analytics;

import studio.nexus.web.Requests;
import studio.nexus.web.Caller;
import studio.nexus.core.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import studio.nexus.web.ApiException;
import studio.nexus.core.Json;
import studio.nexus.web.JsonInput;
import studio.nexus.web.Paging;

/** HTTP handlers of analytics: parse and validate, call {@link Analytics}, answer. */
public final class AnalyticsRoutes {
    static final int MAX_BATCH = 100;
    static final int MAX_PROPERTIES_BYTES = 8 * 1024;
    private static final String[] FIELDS = {"event_type", "event_category", "event_properties", "page_url", "referrer",
            "session_id"};

    private final Analytics analytics;
    private final long maxBody;
    private final Clock clock;

    public AnalyticsRoutes(Analytics analytics, long maxBody, Clock clock) {
        this.analytics = analytics;
        this.maxBody = maxBody;
        this.clock = clock;
    }

    /** POST /api/v1/events {"events": [...]}: 1–100 events, all valid or none stored. 202 {"accepted": n}. */
    public void ingest(Context ctx) {
        JsonInput body = JsonInput.of(ctx, maxBody).allowOnly("events");
        JsonNode events = body.raw().get("events");
        if (events == null || events.isNull()) {
            body.reject("events", "is required");
        } else if (!events.isArray()) {
            body.reject("events", "must be an array of event objects");
        } else if (events.isEmpty() || events.size() > MAX_BATCH) {
            body.reject("events", "must hold 1–" + MAX_BATCH + " events (got " + events.size() + ")");
        }
        body.done();
        List<Failure.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < events.size() && errors.size() < 20; i++) {
            validate(events.get(i), "events[" + i + "]", errors);
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        int stored = analytics.ingest(Caller.identity(ctx), (ArrayNode) events, Requests.clientIp(ctx),
                Requests.userAgent(ctx));
        ctx.status(202).json(Map.of("accepted", stored));
    }

    static void validate(JsonNode event, String at, List<Failure.FieldError> errors) {
        if (!event.isObject()) {
            errors.add(new Failure.FieldError(at, "must be an object"));
            return;
        }
        JsonInput in = JsonInput.of((ObjectNode) event).allowOnly(FIELDS);
        in.text("event_type", 1, 100, true);
        in.text("event_category", 1, 50, false);
        in.text("page_url", 0, 2048, false);
        in.text("referrer", 0, 2048, false);
        in.text("session_id", 1, 128, false);
        JsonNode properties = event.get("event_properties");
        if (properties != null && !properties.isNull()) {
            if (!properties.isObject()) {
                in.reject("event_properties", "must be a JSON object");
            } else if (properties.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PROPERTIES_BYTES) {
                in.reject("event_properties", "must be at most " + MAX_PROPERTIES_BYTES + " bytes of JSON");
            }
        }
        try {
            in.done();
        } catch (ApiException e) {
            @SuppressWarnings("unchecked")
            List<Failure.FieldError> found = (List<Failure.FieldError>) e.extensions().get("errors");
            for (Failure.FieldError error : found) {
                errors.add(new Failure.FieldError(at + "." + error.field(), error.message()));
            }
        }
    }

    /** GET /api/v1/events: the caller's own events, newest first. */
    public void mine(Context ctx) {
        ctx.json(analytics.mine(Caller.signedIn(ctx), Paging.request(ctx, 50, 100)));
    }

    /** GET /api/v1/admin/analytics?from=&to=&group_by=: counts over at most 366 days (default the last 30). */
    public void counts(Context ctx) {
        var me = Caller.signedIn(ctx);
        String rawGroup = ctx.queryParam("group_by") == null ? "event_type" : ctx.queryParam("group_by");
        Analytics.GroupBy groupBy = switch (rawGroup) {
            case "event_type" -> Analytics.GroupBy.EVENT_TYPE;
            case "event_category" -> Analytics.GroupBy.EVENT_CATEGORY;
            case "day" -> Analytics.GroupBy.DAY;
            default -> throw ApiException.badRequest("invalid_group_by", "group_by must be event_type, event_category or day");
        };
        Instant to = Requests.timeQuery(ctx, "to", clock.instant());
        Instant from = Requests.timeQuery(ctx, "from", to.minus(java.time.Duration.ofDays(30)));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("invalid_range", "from must be before to");
        }
        if (java.time.Duration.between(from, to).compareTo(Analytics.MAX_RANGE) > 0) {
            throw ApiException.badRequest("invalid_range", "from–to may span at most 366 days");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("from", from.toString());
        answer.put("to", to.toString());
        answer.put("group_by", rawGroup);
        answer.put("items", analytics.counts(me, from, to, groupBy));
        ctx.json(answer);
    }
}
