package studio.nexus.web;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import studio.nexus.core.Expected;

/**
 * The {@code If-Match} header of a write, read into what the write {@link Expected expects}, and the {@code ETag} of
 * an answer. Strong comparison (RFC 9110 13.1.1): a weak tag, or text that is no entity tag, names no version, so a
 * write sent with only such tags is refused as stale rather than applied blindly.
 */
public final class IfMatch {
    private IfMatch() {}

    public static Expected of(Context ctx) {
        String header = ctx.header("If-Match");
        if (header == null || header.isBlank()) {
            return Expected.UNCHECKED;
        }
        if (header.strip().equals("*")) {
            return Expected.anyExisting();
        }
        List<String> tags = new ArrayList<>();
        for (String part : header.split(",")) {
            String tag = part.strip();
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tags.add(tag.substring(1, tag.length() - 1));
            }
        }
        return Expected.oneOf(tags);
    }

    /** Sets the answer's {@code ETag} to {@code version}, quoted. */
    public static void tag(Context ctx, String version) {
        ctx.header("ETag", Expected.quoted(version));
    }
}
