package studio.nexus.web;

import studio.nexus.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keyset paging, used by every list endpoint: {@code ?limit=&cursor=}. A cursor is the sort key of the last item
 * of a page, as opaque base64url JSON; the next page starts strictly after it. Pages never skip or repeat rows
 * when rows are added meanwhile, and cost the same at page 1 and page 10 000.
 */
public final class Paging {
    private Paging() {}

    /** What the caller asked for: at most {@code limit} items after {@code after} (empty for the first page). */
    public record Request(int limit, Optional<ObjectNode> after) {}

    /** A page of items and the cursor of the next page (null on the last page). */
    public record Page<T>(List<T> items, String nextCursor) {}

    public static Request request(Context ctx, int defaultLimit, int maxLimit) {
        int limit = defaultLimit;
        String rawLimit = ctx.queryParam("limit");
        if (rawLimit != null) {
            try {
                limit = Integer.parseInt(rawLimit);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid_limit", "limit must be a whole number from 1 to " + maxLimit);
            }
            if (limit < 1 || limit > maxLimit) {
                throw ApiException.badRequest("invalid_limit", "limit must be from 1 to " + maxLimit);
            }
        }
        String cursor = ctx.queryParam("cursor");
        return new Request(limit, cursor == null || cursor.isEmpty() ? Optional.empty() : Optional.of(decode(cursor)));
    }

    public static String encode(ObjectNode key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static ObjectNode decode(String cursor) {
        if (cursor.length() > 1024) {
            throw ApiException.badRequest("invalid_cursor", "The cursor is not one this server gave out");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(cursor));
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (Exception e) {
            // falls through: any undecodable cursor is the caller's mistake
        }
        throw ApiException.badRequest("invalid_cursor", "The cursor is not one this server gave out");
    }

    /** A cursor's timestamp field; a cursor without a valid one was not made by this server: 400. */
    public static java.time.Instant instant(ObjectNode cursor, String field) {
        try {
            return java.time.Instant.parse(cursor.path(field).asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest("invalid_cursor", "The cursor is not one this server gave out");
        }
    }

    public static java.util.UUID uuid(ObjectNode cursor, String field) {
        try {
            return java.util.UUID.fromString(cursor.path(field).asText());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_cursor", "The cursor is not one this server gave out");
        }
    }

    public static int integer(ObjectNode cursor, String field) {
        if (!cursor.path(field).canConvertToInt()) {
            throw ApiException.badRequest("invalid_cursor", "The cursor is not one this server gave out");
        }
        return cursor.path(field).asInt();
    }

    /**
     * Builds a page from {@code limit + 1} fetched rows: the extra row only says whether another page exists.
     */
    public static <T> Page<T> page(List<T> fetched, int limit, Function<T, ObjectNode> keyOf) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = List.copyOf(fetched.subList(0, limit));
        return new Page<>(items, encode(keyOf.apply(items.get(limit - 1))));
    }
}
