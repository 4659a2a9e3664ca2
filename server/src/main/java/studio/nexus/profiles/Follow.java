package studio.nexus.profiles;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.UUID;

/** One entry of a followers or following list: the other musician and since when. */
public record Follow(
        @JsonIgnore UUID followId,
        UUID id,
        String username,
        String fullName,
        String avatarUrl,
        Instant followedAt) {}
