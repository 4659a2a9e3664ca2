package studio.nexus.comments;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A comment as the API shows it: where it sits on the timeline (a time range and a track, both optional), who wrote
 * it, the usernames it mentions, and its state. A thread's first comment carries its {@code replies}, oldest first
 * (a reply has none of its own). A deleted first comment that kept its replies shows as {@code deleted}: no author,
 * no body.
 */
public record Comment(
        UUID id,
        UUID projectId,
        UUID parentId,
        UUID authorId,
        String authorUsername,
        String body,
        Double atSeconds,
        Double endSeconds,
        UUID trackId,
        List<String> mentions,
        Instant createdAt,
        Instant editedAt,
        Instant resolvedAt,
        String resolvedByUsername,
        boolean deleted,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Comment> replies) {

    Comment withReplies(List<Comment> thread) {
        return new Comment(id, projectId, parentId, authorId, authorUsername, body, atSeconds, endSeconds, trackId,
                mentions, createdAt, editedAt, resolvedAt, resolvedByUsername, deleted, List.copyOf(thread));
    }
}
