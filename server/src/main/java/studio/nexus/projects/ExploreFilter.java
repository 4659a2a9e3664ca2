package studio.nexus.projects;

import studio.nexus.core.Failure;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/** What a listener filters public projects by: tags (all must match), genre, text, maker; sorted recent or popular. */
record ExploreFilter(List<String> tags, Optional<String> genre, Optional<String> text, Optional<String> username,
                     boolean popular, boolean featuredOnly) {

    static ExploreFilter from(Context ctx, boolean featuredOnly) {
        List<String> rawTags = ctx.queryParams("tag");
        if (rawTags.size() > 20 || rawTags.stream().anyMatch(t -> t.isBlank() || t.length() > 40)) {
            throw Failure.badRequest("invalid_filter", "tag: at most 20 tags of 1–40 characters");
        }
        String sort = Optional.ofNullable(ctx.queryParam("sort")).orElse("recent");
        if (!sort.equals("recent") && !sort.equals("popular")) {
            throw Failure.badRequest("invalid_filter", "sort must be recent or popular");
        }
        return new ExploreFilter(ProjectInput.normalizeTags(rawTags), bounded(ctx, "genre", 50), bounded(ctx, "q", 200),
                bounded(ctx, "user", 30), sort.equals("popular"), featuredOnly);
    }

    private static Optional<String> bounded(Context ctx, String name, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (value.length() > max || value.indexOf('\0') >= 0) {
            throw Failure.badRequest("invalid_filter", name + " must be at most " + max + " characters");
        }
        return Optional.of(value.strip());
    }
}
