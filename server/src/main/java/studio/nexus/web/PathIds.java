package studio.nexus.web;

import io.javalin.http.Context;
import java.util.UUID;

/** Path parameters that name things. A malformed id names nothing the caller can see: 404, never 500. */
public final class PathIds {
    private PathIds() {}

    public static UUID uuid(Context ctx, String parameter, String what) {
        String raw = ctx.pathParam(parameter);
        try {
            if (raw.length() == 36) {
                UUID id = UUID.fromString(raw);
                if (id.toString().equalsIgnoreCase(raw)) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw ApiException.notFound(what);
    }

    public static int positiveInt(Context ctx, String parameter, String what) {
        String raw = ctx.pathParam(parameter);
        try {
            int value = Integer.parseInt(raw);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw ApiException.notFound(what);
    }
}
