package studio.nexus.profiles;

import java.time.Instant;
import java.util.UUID;

/**
 * A profile as others see it: never email, plan, usage or preferences. {@code followed_by_me} is null for an
 * anonymous caller.
 */
public record Profile(
        UUID id,
        String username,
        String fullName,
        String avatarUrl,
        String bio,
        String websiteUrl,
        boolean profilePublic,
        int followerCount,
        int followingCount,
        Instant createdAt,
        Boolean followedByMe) {}
