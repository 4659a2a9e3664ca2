package studio.nexus.profiles;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import studio.nexus.web.Caller;
import studio.nexus.db.Identity;
import studio.nexus.web.JsonInput;
import studio.nexus.web.Paging;

/** HTTP handlers of /api/v1/me and /api/v1/profiles: parse, call {@link Profiles}, answer. */
public final class ProfileRoutes {
    static final long MAX_BODY_BYTES = 32 * 1024;
    static final int MAX_PREFERENCES_BYTES = 8 * 1024;
    static final int MAX_URL = 2048;

    private final Profiles profiles;

    public ProfileRoutes(Profiles profiles) {
        this.profiles = profiles;
    }

    public void me(Context ctx) {
        ctx.json(profiles.me(Caller.signedIn(ctx)));
    }

    public void updateMe(Context ctx) {
        Identity caller = Caller.signedIn(ctx);
        JsonInput input = JsonInput.of(ctx, MAX_BODY_BYTES)
                .allowOnly("full_name", "avatar_url", "bio", "website_url", "preferences");
        Optional<String> fullName = input.text("full_name", 0, 100, false);
        Optional<String> avatarUrl = input.text("avatar_url", 1, MAX_URL, false);
        Optional<String> bio = input.text("bio", 0, 1000, false);
        Optional<String> websiteUrl = input.text("website_url", 1, MAX_URL, false);
        Optional<ObjectNode> preferences = input.object("preferences", MAX_PREFERENCES_BYTES, false);
        avatarUrl.filter(url -> !isWebUrl(url)).ifPresent(url -> input.reject("avatar_url", "must be an http(s) URL"));
        websiteUrl.filter(url -> !isWebUrl(url)).ifPresent(url -> input.reject("website_url", "must be an http(s) URL"));
        preferences.map(prefs -> prefs.get("profile_public"))
                .filter(value -> !value.isBoolean())
                .ifPresent(value -> input.reject("preferences", "profile_public must be true or false"));
        input.done();
        ctx.json(profiles.update(caller, new Profiles.Changes(
                input.has("full_name"), fullName.orElse(null),
                input.has("avatar_url"), avatarUrl.orElse(null),
                input.has("bio"), bio.orElse(null),
                input.has("website_url"), websiteUrl.orElse(null),
                preferences.orElse(null))));
    }

    public void profile(Context ctx) {
        ctx.json(profiles.profile(Caller.identity(ctx), ctx.pathParam("username")));
    }

    public void follow(Context ctx) {
        profiles.follow(Caller.signedIn(ctx), ctx.pathParam("username"));
        ctx.status(204);
    }

    public void unfollow(Context ctx) {
        profiles.unfollow(Caller.signedIn(ctx), ctx.pathParam("username"));
        ctx.status(204);
    }

    public void followers(Context ctx) {
        ctx.json(profiles.followers(Caller.identity(ctx), ctx.pathParam("username"),
                Paging.request(ctx, 20, 100)));
    }

    public void following(Context ctx) {
        ctx.json(profiles.following(Caller.identity(ctx), ctx.pathParam("username"),
                Paging.request(ctx, 20, 100)));
    }

    /** An absolute http or https URL with a host, and nothing a browser would reinterpret (spaces, controls). */
    static boolean isWebUrl(String text) {
        if (text.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return false;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && !uri.getHost().isEmpty() && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
