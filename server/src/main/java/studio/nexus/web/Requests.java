package studio.nexus.web;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * What every feature reads off a request besides its body and path ids: the client's address and browser, and
 * query parameters. Malformed query parameters are 400 problem+json, never a 500.
 */
public final class Requests {
    private static final int MAX_USER_AGENT = 512;

    private Requests() {}

    /** The connection's address in a form PostgreSQL's inet accepts, or null. */
    public static String clientIp(Context ctx) {
        String ip = ctx.ip();
        if (ip == null) {
            return null;
        }
        // an IPv6 peer comes as "[::1]", which inet refuses
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        return ip.matches("[0-9A-Fa-f:.]{2,45}") ? ip.toLowerCase(Locale.ROOT) : null;
    }

    /** The browser's User-Agent without control characters, at most 512 characters, or null. */
    public static String userAgent(Context ctx) {
        String agent = ctx.userAgent();
        if (agent == null) {
            return null;
        }
        agent = agent.replaceAll("\\p{Cntrl}", "");
        return agent.length() > MAX_USER_AGENT ? agent.substring(0, MAX_USER_AGENT) : agent;
    }

    /** A whole-number query parameter in a range; 400 problem+json otherwise. */
    public static int intQuery(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw ApiException.badRequest("invalid_parameter", name + " must be a whole number from " + min + " to " + max);
    }

    /** An ISO-8601 instant ({@code 2025-01-31T12:00:00Z}) or a UTC date ({@code 2025-01-31}, its midnight). */
    public static Instant timeQuery(Context ctx, String name, Instant fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            return raw.length() == 10 ? LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_time", name + " must be an ISO-8601 time or date, e.g. "
                    + "2025-01-31T00:00:00Z or 2025-01-31");
        }
    }
}
