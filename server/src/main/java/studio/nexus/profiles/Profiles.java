package studio.nexus.profiles;

import studio.nexus.core.Failure;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.core.Json;
import studio.nexus.web.Paging;

/**
 * Profiles and follows. Everything runs as the caller; what they may see and change is decided by row-level
 * security and the public_profiles view, never here. Thread-safe.
 */
public final class Profiles {
    /** What PATCH /me may change; a {@code set…} flag says the field was given (null then clears it). */
    public record Changes(boolean setFullName, String fullName, boolean setAvatarUrl, String avatarUrl,
                          boolean setBio, String bio, boolean setWebsiteUrl, String websiteUrl,
                          ObjectNode preferences) {}

    private final Db db;

    public Profiles(Db db) {
        this.db = db;
    }

    /** Sign-up's second half, inside its transaction, running as the new user. */
    public Me createOwn(Handle handleAsNewUser, String username, String fullName) {
        ProfileSql sql = new ProfileSql(handleAsNewUser);
        sql.createOwn(username, fullName);
        return sql.me().orElseThrow(() -> new IllegalStateException("the new profile is not visible to its owner"));
    }

    /**
     * The hottest read of the API (every page of the web studio asks who is signed in): one statement, so it runs
     * in one round trip ({@link Db#inOneRoundTrip}) with a hand-written row mapper. Measured with
     * bench/cpu-per-request.sh and bench/accounts.sh.
     */
    public Me me(Identity caller) {
        return db.inOneRoundTrip(caller, ProfileSql.ME, Db.NO_PARAMETERS,
                        rows -> rows.next() ? Optional.of(ProfileSql.ME_MAPPER.map(rows, null)) : Optional.<Me>empty())
                .orElseThrow(() -> Failure.notFound("Your profile"));
    }

    public Me update(Identity caller, Changes changes) {
        return db.as(caller, handle -> {
            ProfileSql sql = new ProfileSql(handle);
            int updated = sql.updateMe(changes.setFullName(), changes.fullName(), changes.setAvatarUrl(),
                    changes.avatarUrl(), changes.setBio(), changes.bio(), changes.setWebsiteUrl(),
                    changes.websiteUrl(), changes.preferences());
            if (updated != 1) {
                throw Failure.notFound("Your profile");
            }
            return sql.me().orElseThrow(() -> Failure.notFound("Your profile"));
        });
    }

    /** A profile the caller may see, else 404 (whether it is private or does not exist). */
    public Profile profile(Identity caller, String username) {
        return db.as(caller, handle -> visible(handle, username));
    }

    public void follow(Identity caller, String username) {
        db.as(caller, handle -> {
            Profile target = visible(handle, username);
            refuseSelf(caller, target);
            new ProfileSql(handle).follow(target.id());
            return null;
        });
    }

    public void unfollow(Identity caller, String username) {
        db.as(caller, handle -> {
            Profile target = visible(handle, username);
            refuseSelf(caller, target);
            new ProfileSql(handle).unfollow(target.id());
            return null;
        });
    }

    public Paging.Page<Follow> followers(Identity caller, String username, Paging.Request page) {
        return db.as(caller, handle -> {
            Profile target = visible(handle, username);
            return page(new ProfileSql(handle).followers(target.id(), afterTime(page), afterId(page),
                    page.limit() + 1), page);
        });
    }

    public Paging.Page<Follow> following(Identity caller, String username, Paging.Request page) {
        return db.as(caller, handle -> {
            Profile target = visible(handle, username);
            return page(new ProfileSql(handle).following(target.id(), afterTime(page), afterId(page),
                    page.limit() + 1), page);
        });
    }

    private static Profile visible(Handle handle, String username) {
        // Nothing longer than a username can be one; no need to ask the database.
        if (username.isEmpty() || username.length() > 64) {
            throw Failure.notFound("Profile");
        }
        return new ProfileSql(handle).visibleProfile(username)
                .orElseThrow(() -> Failure.notFound("Profile"));
    }

    private static void refuseSelf(Identity caller, Profile target) {
        if (target.id().equals(caller.requireUserId())) {
            throw Failure.badRequest("cannot_follow_yourself", "You cannot follow yourself");
        }
    }

    private static Paging.Page<Follow> page(List<Follow> fetched, Paging.Request page) {
        return Paging.page(fetched, page.limit(), follow -> Json.MAPPER.createObjectNode()
                .put("followed_at", follow.followedAt().toString())
                .put("id", follow.followId().toString()));
    }

    private static Instant afterTime(Paging.Request page) {
        return page.after().map(key -> parseCursor(() -> Instant.parse(key.path("followed_at").asText())))
                .orElse(null);
    }

    private static UUID afterId(Paging.Request page) {
        return page.after().map(key -> parseCursor(() -> UUID.fromString(key.path("id").asText()))).orElse(null);
    }

    static <T> T parseCursor(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (RuntimeException e) {
            throw Failure.badRequest("invalid_cursor", "The cursor is not one this server gave out");
        }
    }
}
