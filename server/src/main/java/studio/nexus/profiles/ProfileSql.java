package studio.nexus.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * All SQL of profiles and follows. Every statement runs as the caller (signed-in user or anonymous): the
 * policies on profiles and user_followers and the public_profiles view decide what they see and change.
 */
final class ProfileSql {
    /**
     * Who am I. is_admin reads user_roles through the caller's own "Users see their own role" policy rather than
     * calling public.is_admin(): the same answer, without a SECURITY DEFINER call on the hottest read (V70).
     * bench/accounts.sh sends this same statement to pgbench: change both together.
     */
    static final String ME = """
            SELECT p.id, p.username, u.email, u.email_confirmed_at, p.full_name, p.avatar_url, p.bio, p.website_url,
                   coalesce(p.preferences->>'profile_public' = 'true', false) AS profile_public,
                   coalesce(p.preferences, '{}'::jsonb) AS preferences,
                   coalesce(p.subscription_tier, 'free') AS subscription_tier, p.subscription_expires_at,
                   coalesce(p.total_projects, 0) AS total_projects,
                   coalesce(p.total_transformations, 0) AS total_transformations,
                   coalesce(p.storage_used_mb, 0) AS storage_used_mb,
                   p.follower_count, p.following_count, p.created_at, p.updated_at,
                   EXISTS (SELECT 1 FROM public.user_roles r WHERE r.user_id = p.id AND r.role = 'admin') AS is_admin
              FROM public.profiles p JOIN auth.users u ON u.id = p.id
             WHERE p.id = (SELECT auth.uid())""";

    static final MeMapper ME_MAPPER = new MeMapper();
    private static final RowMapper<Profile> PROFILE = ConstructorMapper.of(Profile.class);
    private static final RowMapper<Follow> FOLLOW = ConstructorMapper.of(Follow.class);

    private final Handle handle;

    ProfileSql(Handle handle) {
        this.handle = handle;
    }

    /** As the new user, inside the sign-up transaction (V3: "Users create their own profile"). Private at first. */
    void createOwn(String username, String fullName) {
        handle.createUpdate("""
                        INSERT INTO public.profiles (id, username, full_name, preferences)
                        VALUES ((SELECT auth.uid()), :username, :fullName, '{"profile_public": false}'::jsonb)""")
                .bind("username", username).bind("fullName", fullName)
                .execute();
    }

    Optional<Me> me() {
        return handle.createQuery(ME).map(ME_MAPPER).findOne();
    }

    /**
     * Changes the fields flagged {@code set…}; {@code preferences} is merged key by key into the stored object, a
     * key given as null is removed. Only columns V3 grants to users appear here.
     */
    int updateMe(boolean setFullName, String fullName, boolean setAvatarUrl, String avatarUrl, boolean setBio,
                 String bio, boolean setWebsiteUrl, String websiteUrl, JsonNode preferences) {
        return handle.createUpdate("""
                        UPDATE public.profiles SET
                          full_name = CASE WHEN :setFullName THEN :fullName ELSE full_name END,
                          avatar_url = CASE WHEN :setAvatarUrl THEN :avatarUrl ELSE avatar_url END,
                          bio = CASE WHEN :setBio THEN :bio ELSE bio END,
                          website_url = CASE WHEN :setWebsiteUrl THEN :websiteUrl ELSE website_url END,
                          preferences = CASE WHEN CAST(:preferences AS jsonb) IS NULL THEN preferences
                            ELSE (coalesce(preferences, '{}'::jsonb) || CAST(:preferences AS jsonb))
                                 - ARRAY(SELECT key FROM jsonb_each(CAST(:preferences AS jsonb)) WHERE value = 'null'::jsonb)
                          END
                         WHERE id = (SELECT auth.uid())""")
                .bind("setFullName", setFullName).bind("fullName", fullName)
                .bind("setAvatarUrl", setAvatarUrl).bind("avatarUrl", avatarUrl)
                .bind("setBio", setBio).bind("bio", bio)
                .bind("setWebsiteUrl", setWebsiteUrl).bind("websiteUrl", websiteUrl)
                .bindByType("preferences", preferences, JsonNode.class)
                .execute();
    }

    /** A profile the caller may see (their own, a public one; administrators all), by username in any case. */
    Optional<Profile> visibleProfile(String username) {
        return handle.createQuery("""
                        SELECT pp.id, pp.username, pp.full_name, pp.avatar_url, pp.bio, pp.website_url, pp.profile_public,
                               pp.follower_count, pp.following_count, pp.created_at,
                               CASE WHEN (SELECT auth.uid()) IS NULL THEN NULL
                                    ELSE EXISTS (SELECT 1 FROM public.user_followers f
                                                  WHERE f.follower_id = (SELECT auth.uid()) AND f.following_id = pp.id)
                               END AS followed_by_me
                          FROM public.public_profiles pp
                         WHERE pp.username_key = lower(:username)""")
                .bind("username", username)
                .map(PROFILE).findOne();
    }

    /** Insert policy: only for oneself and only a profile one can see. Following twice changes nothing. */
    void follow(UUID target) {
        handle.createUpdate("""
                        INSERT INTO public.user_followers (follower_id, following_id) VALUES ((SELECT auth.uid()), :target)
                        ON CONFLICT (follower_id, following_id) DO NOTHING""")
                .bind("target", target)
                .execute();
    }

    void unfollow(UUID target) {
        handle.createUpdate("""
                        DELETE FROM public.user_followers WHERE follower_id = (SELECT auth.uid()) AND following_id = :target""")
                .bind("target", target)
                .execute();
    }

    /**
     * Who follows {@code target}, newest first: the follow rows the caller may see (V80's policy: all of them for
     * the musician themself; follows between public profiles, and their own, for others), so the list agrees with
     * the profile's {@code follower_count}. A follower whose profile the caller may not see shows only its username,
     * which is a public handle.
     */
    List<Follow> followers(UUID target, Instant afterTime, UUID afterId, int limit) {
        return follows("follower_id", "following_id", target, afterTime, afterId, limit);
    }

    /** Whom {@code target} follows, newest first: as {@link #followers}, from the other end. */
    List<Follow> following(UUID target, Instant afterTime, UUID afterId, int limit) {
        return follows("following_id", "follower_id", target, afterTime, afterId, limit);
    }

    /** One page of follow rows whose {@code of} side is {@code target}, showing the {@code shown} side. */
    private List<Follow> follows(String shown, String of, UUID target, Instant afterTime, UUID afterId, int limit) {
        return handle.createQuery("""
                        SELECT f.id AS follow_id, f.<shown> AS id,
                               coalesce(pp.username, public.username_of(f.<shown>)) AS username,
                               pp.full_name, pp.avatar_url, f.created_at AS followed_at
                          FROM public.user_followers f LEFT JOIN public.public_profiles pp ON pp.id = f.<shown>
                         WHERE f.<of> = :target
                           AND (CAST(:afterTime AS timestamptz) IS NULL
                                OR (f.created_at, f.id) < (CAST(:afterTime AS timestamptz), CAST(:afterId AS uuid)))
                         ORDER BY f.created_at DESC, f.id DESC
                         LIMIT :limit""")
                .define("shown", shown).define("of", of)
                .bind("target", target).bindByType("afterTime", afterTime, Instant.class).bind("afterId", afterId)
                .bind("limit", limit)
                .map(FOLLOW).list();
    }
}
