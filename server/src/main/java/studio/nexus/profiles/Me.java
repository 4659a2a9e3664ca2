package studio.nexus.profiles;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/**
 * The signed-in musician's own account and profile: what only they see (email, plan, usage, preferences), and
 * whether they are an administrator (so a client can offer its admin pages; every admin endpoint checks again).
 */
public record Me(
        UUID id,
        String username,
        String email,
        Instant emailConfirmedAt,
        String fullName,
        String avatarUrl,
        String bio,
        String websiteUrl,
        boolean profilePublic,
        @JsonRawValue String preferences, // jsonb as PostgreSQL printed it: passed through, not parsed and re-written
        String subscriptionTier,
        Instant subscriptionExpiresAt,
        int totalProjects,
        int totalTransformations,
        int storageUsedMb,
        int followerCount,
        int followingCount,
        Instant createdAt,
        Instant updatedAt,
        boolean isAdmin) {}
