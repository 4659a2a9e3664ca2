package studio.nexus.projects;

import studio.nexus.core.Expected;
import studio.nexus.core.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.Roles;
import studio.nexus.db.SqlStates;
import studio.nexus.analytics.Analytics;
import studio.nexus.usage.Usage;
import studio.nexus.core.Json;
import studio.nexus.web.Paging;

/**
 * Projects, versions, collaboration, likes and plays. Every operation runs as the caller, so the database's
 * policies decide access; this class only turns "nothing happened" into the right answer: 404 when the caller
 * cannot see the project, 403 when they can see it but may not do this. Thread-safe.
 */
public final class Projects {
    private final Db db;
    private final Usage usage;

    public Projects(Db db, Usage usage) {
        this.db = db;
        this.usage = usage;
    }

    /** The collaborator roles a project side may give. */
    static boolean isCollaboratorRole(String role) {
        return "viewer".equals(role) || "editor".equals(role) || "admin".equals(role);
    }

    public Project create(Identity who, ProjectInput input) {
        UUID me = who.requireUserId();
        return db.as(who, handle -> {
            ProjectSql store = new ProjectSql(handle);
            UUID id = store.insert(me, input);
            usage.consume(handle, me, "projects", BigDecimal.ONE, id);
            Analytics.record(handle, me, "project_created", "projects", java.util.Map.of("project_id", id));
            return store.find(id).orElseThrow();
        });
    }

    public Project get(Identity who, UUID id) {
        return db.as(who, handle -> new ProjectSql(handle).find(id)).orElseThrow(() -> Failure.notFound("Project"));
    }

    public Paging.Page<Project> listMine(Identity who, String role, Paging.Request page) {
        UUID me = who.requireUserId();
        List<Project> rows = db.as(who, handle -> new ProjectSql(handle).listMine(me, role, page.after(), page.limit()));
        return Paging.page(rows, page.limit(), p -> Json.MAPPER.createObjectNode()
                .put("created_at", p.createdAt().toString()).put("id", p.id().toString()));
    }

    public Paging.Page<Project> explore(Identity who, ExploreFilter filter, Paging.Request page) {
        List<Project> rows = db.as(who, handle -> new ProjectSql(handle).explore(filter, page.after(), page.limit()));
        return Paging.page(rows, page.limit(), p -> Json.MAPPER.createObjectNode()
                .put("like_count", p.likeCount()).put("created_at", p.createdAt().toString())
                .put("id", p.id().toString()));
    }

    /**
     * Changes the project's settings (and its chain when given), as the caller. A write made against an older
     * reading of the part it changes is refused as stale with the project as it is now.
     */
    public Project update(Identity who, UUID id, ProjectInput input, Expected expected) {
        boolean updated = refusalAware(who, id, () -> db.as(who, handle -> {
            ProjectSql sql = new ProjectSql(handle);
            sql.lockVersions(id).ifPresent(current -> expected.requireParts("The project", current.settings(),
                    current.chain(), input.changesSettings(), input.effectsSettings().isPresent(),
                    () -> sql.find(id).orElseThrow()));
            return sql.update(id, input);
        }));
        if (!updated) {
            throw deniedOrNotFound(who, id);
        }
        return get(who, id);
    }

    public void delete(Identity who, UUID id) {
        boolean deleted = refusalAware(who, id, () -> db.as(who, handle -> new ProjectSql(handle).delete(id)));
        if (!deleted) {
            throw deniedOrNotFound(who, id);
        }
    }

    // Likes and plays

    public Project like(Identity who, UUID id, boolean liked) {
        UUID me = who.requireUserId();
        refusalAware(who, id, () -> db.as(who, handle -> {
            ProjectSql store = new ProjectSql(handle);
            if (!store.isVisible(id)) {
                throw Failure.notFound("Project");
            }
            if (liked) {
                store.like(id, me);
            } else {
                store.unlike(id, me);
            }
            return null;
        }));
        return get(who, id);
    }

    public int play(Identity who, UUID id) {
        return db.as(who, handle -> new ProjectSql(handle).recordPlay(id))
                .orElseThrow(() -> Failure.notFound("Project"));
    }

    // Versions

    public Version snapshot(Identity who, UUID id, String title, String description) {
        return refusalAware(who, id, () -> db.as(who, handle -> {
            ProjectSql store = new ProjectSql(handle);
            if (!store.isVisible(id)) {
                throw Failure.notFound("Project");
            }
            return store.snapshot(id, title, description);
        }));
    }

    public Paging.Page<Version> versions(Identity who, UUID id, Paging.Request page) {
        List<Version> rows = db.as(who, handle -> {
            ProjectSql store = new ProjectSql(handle);
            if (!store.isVisible(id)) {
                throw Failure.notFound("Project");
            }
            return store.versions(id, page.after(), page.limit());
        });
        return Paging.page(rows, page.limit(), v -> Json.MAPPER.createObjectNode().put("version_number", v.versionNumber()));
    }

    public Version version(Identity who, UUID id, int number) {
        return db.as(who, handle -> new ProjectSql(handle).version(id, number))
                .orElseThrow(() -> Failure.notFound("Version " + number));
    }

    /**
     * Makes version n current again: its take, render, effects and arrangement (tracks and clips, master fader, tempo
     * and time signature, exactly: V88, V92; a version saved before V92 brings the fader back to 0 dB). What
     * was current is first saved as a new version, which this answers, so a restore is itself undone by restoring
     * that one. Refused while a render runs (it would attach its result to the restored take).
     */
    public Version restore(Identity who, UUID id, int number) {
        return refusalAware(who, id, () -> db.as(who, handle -> {
            ProjectSql store = new ProjectSql(handle);
            Version version = store.version(id, number).orElseThrow(() -> Failure.notFound("Version " + number));
            if ("processing".equals(store.status(id).orElse(null))) {
                throw Failure.conflict("render_in_progress",
                        "A render of this project is running; restore when it has finished");
            }
            Version kept = store.snapshot(id, "Before restoring version " + number,
                    "What was current before version " + number + " (" + version.title() + ") was restored");
            if (!store.restore(id, version)) {
                if (store.version(id, number).filter(v -> v.id().equals(version.id())).isEmpty()) {
                    throw Failure.notFound("Version " + number); // deleted while we restored it
                }
                throw Failure.forbidden("Only the owner and editors restore versions");
            }
            try {
                store.restoreArrangement(version.id());
            } catch (RuntimeException e) {
                if (SqlStates.is(e, SqlStates.NO_DATA_FOUND)) {
                    throw Failure.notFound("Version " + number); // deleted while we restored it: nothing changes
                }
                throw e;
            }
            return kept;
        }));
    }

    public void deleteVersion(Identity who, UUID id, int number) {
        refusalAware(who, id, () -> db.as(who, handle -> {
            ProjectSql store = new ProjectSql(handle);
            store.version(id, number).orElseThrow(() -> Failure.notFound("Version " + number));
            if (!store.deleteVersion(id, number)) {
                throw Failure.forbidden("Only the owner and editors delete versions");
            }
            return null;
        }));
    }

    // Collaboration

    public Collaborator invite(Identity who, UUID id, String username, String role) {
        try {
            return refusalAware(who, id, () -> db.as(who, handle -> {
                ProjectSql store = new ProjectSql(handle);
                if (!store.isVisible(id)) {
                    throw Failure.notFound("Project");
                }
                UUID invitee = store.userIdByUsername(username).orElseThrow(() -> Failure.notFound("User " + username));
                return store.invite(id, invitee, role);
            }));
        } catch (RuntimeException e) {
            if (SqlStates.is(e, SqlStates.UNIQUE_VIOLATION)) {
                throw Failure.conflict("already_invited", username + " is already invited to this project");
            }
            if (SqlStates.is(e, SqlStates.CHECK_VIOLATION)) {
                throw Failure.unprocessable("invalid_invitee", "You cannot invite yourself or the project's owner");
            }
            throw e;
        }
    }

    public List<Collaborator> collaborators(Identity who, UUID id) {
        return db.as(who, handle -> {
            ProjectSql store = new ProjectSql(handle);
            if (!store.isVisible(id)) {
                throw Failure.notFound("Project");
            }
            if (store.access(id).isEmpty() && !Roles.callerIsAdmin(handle)) {
                throw Failure.forbidden("Only the project's owner and collaborators see its collaborators");
            }
            return store.collaborators(id);
        });
    }

    public Collaborator changeRole(Identity who, UUID id, UUID user, String role) {
        return refusalAware(who, id, () -> db.as(who, handle -> {
            ProjectSql store = new ProjectSql(handle);
            if (!store.isVisible(id)) {
                throw Failure.notFound("Project");
            }
            if (!store.changeRole(id, user, role)) {
                throw store.managesCollaborators(id) ? Failure.notFound("Collaborator")
                        : Failure.forbidden("Only the owner and collaborator admins change roles");
            }
            return store.collaborators(id).stream().filter(c -> c.userId().equals(user)).findFirst().orElseThrow();
        }));
    }

    public void removeCollaborator(Identity who, UUID id, UUID user) {
        refusalAware(who, id, () -> db.as(who, handle -> {
            ProjectSql store = new ProjectSql(handle);
            if (!store.isVisible(id) && !user.equals(who.requireUserId())) {
                throw Failure.notFound("Project");
            }
            if (!store.removeCollaborator(id, user)) {
                throw store.managesCollaborators(id) || user.equals(who.requireUserId())
                        ? Failure.notFound("Collaborator")
                        : Failure.forbidden("Only the owner and collaborator admins remove collaborators");
            }
            return null;
        }));
    }

    public List<Invitation> invitations(Identity who) {
        return db.as(who, handle -> new ProjectSql(handle).myInvitations());
    }

    public void answerInvitation(Identity who, UUID invitation, boolean accept) {
        try {
            boolean answered = db.as(who, handle -> new ProjectSql(handle)
                    .answerInvitation(invitation, accept ? "accepted" : "declined"));
            if (!answered) {
                throw Failure.notFound("Invitation");
            }
        } catch (RuntimeException e) {
            if (SqlStates.is(e, SqlStates.CHECK_VIOLATION)) {
                throw Failure.conflict("invitation_already_answered", "This invitation was already answered");
            }
            if (SqlStates.is(e, SqlStates.INSUFFICIENT_PRIVILEGE)) {
                throw Failure.notFound("Invitation");
            }
            throw e;
        }
    }

    // Answers

    /** Runs work whose refusal by a policy, grant or guard (42501) means 403 if the caller sees the project, else 404. */
    private <T> T refusalAware(Identity who, UUID id, Supplier<T> work) {
        try {
            return SqlStates.onRefusal(work, () -> deniedOrNotFound(who, id));
        } catch (RuntimeException e) {
            if (SqlStates.is(e, SqlStates.CHECK_VIOLATION) && "status_transition".equals(SqlStates.hint(e))) {
                throw Failure.unprocessable("invalid_status_transition", firstLine(e));
            }
            throw e;
        }
    }

    private Failure deniedOrNotFound(Identity who, UUID id) {
        boolean visible = db.as(who, handle -> new ProjectSql(handle).isVisible(id));
        return visible ? Failure.forbidden("You may see this project but not do that")
                : Failure.notFound("Project");
    }


    /**
     * Makes a stored object the project's take in the caller's transaction, keeping history: the take it replaces
     * is first saved as a version ("Before …") unless a version already holds it, then the new state is saved as a
     * version named {@code title}. Answers that version, or empty when the policies did not let the caller change
     * the project. For other features (an AI transformation that is kept) so that projects' rows are written here.
     */
    public static Optional<JsonNode> replaceTakeKeepingHistory(Handle handle, UUID project, String key,
                                                              String beforeTitle, String beforeDescription,
                                                              String title, String description) {
        ProjectSql sql = new ProjectSql(handle);
        Optional<String> current = sql.takeKey(project);
        boolean saved = current.isEmpty() || current.get() == null || sql.versionHoldsTake(project, current.get());
        if (!saved) {
            sql.snapshot(project, beforeTitle, beforeDescription);
        }
        if (!sql.replaceTake(project, key)) {
            return Optional.empty();
        }
        return Optional.of(sql.snapshotSummary(project, title, description));
    }

    private static String firstLine(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql) {
                return Optional.ofNullable(sql.getMessage()).orElse("").lines().findFirst().orElse("")
                        .replaceFirst("^ERROR: ", "");
            }
        }
        return "invalid change";
    }
}
