package studio.nexus.notifications;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * Something a musician is told, as the API shows it: what happened ({@code kind}), who did it, what it is about (ids,
 * and the project's title only when the recipient may read it: null otherwise), an excerpt of the comment it is about
 * when the recipient can read that comment, and the same in readable words.
 */
public record Notification(
        UUID id,
        String kind,
        UUID actorId,
        String actorUsername,
        UUID projectId,
        String projectTitle,
        UUID commentId,
        UUID invitationId,
        UUID offerId,
        UUID jobId,
        String excerpt,
        @JsonIgnore JsonNode details,
        Instant createdAt,
        Instant readAt) {

    /** What a project is called in words: its title in quotes, or "a private project" when the reader may not know. */
    static final String UNSEEN_PROJECT = "a private project";

    @JsonProperty("words")
    public String words() {
        String who = actorUsername == null ? "Someone" : "@" + actorUsername;
        String project = projectTitle == null ? UNSEEN_PROJECT : "'" + projectTitle + "'";
        return switch (kind) {
            case "invitation_received" -> who + " invited you to " + project + role(" as ");
            case "invitation_accepted" -> who + " accepted your invitation to " + project + role(" as ");
            case "invitation_declined" -> who + " declined your invitation to " + project;
            case "transfer_offer_received" -> who + " offered you " + project;
            case "transfer_offer_accepted" -> who + " accepted your offer of " + project;
            case "transfer_offer_declined" -> who + " declined your offer of " + project;
            case "comment" -> who + (details.path("reply").asBoolean() ? " replied to a comment on " : " commented on ")
                    + project;
            case "comment_reply" -> who + ("joined".equals(details.path("thread").asText())
                    ? " replied in a thread you joined on " : " replied to your comment on ") + project;
            case "comment_mention" -> who + " mentioned you on " + project;
            case "project_liked" -> who + " liked " + project;
            case "project_forked" -> who + " forked " + project;
            case "followed" -> who + " followed you";
            case "job_succeeded" -> "Your " + job() + " of " + project + " finished";
            case "job_failed" -> "Your " + job() + " of " + project + " failed";
            default -> who + " did something on " + project;
        };
    }

    private String role(String prefix) {
        String role = details.path("role").asText("");
        return role.isEmpty() ? "" : prefix + role;
    }

    private String job() {
        return switch (details.path("job_kind").asText("")) {
            case "render" -> "render";
            case "export" -> "export";
            case "mixdown" -> "mixdown";
            case "stems" -> "stems";
            case "transformation" -> "AI transformation";
            default -> "job";
        };
    }
}
