package studio.nexus.projects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;
import studio.nexus.web.Paging;

/**
 * All SQL of the projects feature. Every method runs in the caller's transaction, as the caller: row-level
 * security decides which rows exist for them, so "not found" here means "not yours to see".
 */
final class ProjectSql {
    private static final String PROJECT_COLUMNS = """
            p.id, p.user_id, public.username_of(p.user_id) AS owner_username, p.title, p.description, p.genre,
            p.tags, p.original_audio_path, p.processed_audio_path, p.duration_seconds, p.sample_rate, p.channels::integer AS channels,
            p.effects_settings, p.metronome_bpm, p.project_settings, p.status, p.is_public, p.comments_allowed,
            p.is_featured, p.play_count, p.like_count, p.download_count, p.created_at, p.updated_at, p.last_played_at,
            p.settings_version, p.chain_version,
            CASE WHEN (SELECT auth.uid()) IS NULL THEN NULL ELSE public.project_access(p.id) END AS my_role,
            EXISTS (SELECT 1 FROM public.project_likes l
                    WHERE l.project_id = p.id AND l.user_id = (SELECT auth.uid())) AS liked_by_me
            """;

    private final Handle handle;

    ProjectSql(Handle handle) {
        this.handle = handle;
        handle.registerRowMapper(Project.class, ProjectMapper.INSTANCE);
        handle.registerRowMapper(ConstructorMapper.factory(Version.class));
        handle.registerRowMapper(ConstructorMapper.factory(Collaborator.class));
        handle.registerRowMapper(ConstructorMapper.factory(Invitation.class));
        handle.registerRowMapper(ConstructorMapper.factory(TransferOffer.class));
    }

    /** The fields a musician sets, as validated by {@link ProjectInput}; absent ones are left alone. */
    UUID insert(UUID owner, ProjectInput input) {
        return handle.createQuery("""
                        INSERT INTO public.projects (user_id, title, description, genre, tags, metronome_bpm,
                                                     effects_settings, project_settings, is_public)
                        VALUES (:owner, :title, :description, :genre, coalesce(:tags, '{}'::text[]),
                                coalesce(:bpm, 120), coalesce(:effects, '{}'::jsonb), coalesce(:settings, '{}'::jsonb),
                                coalesce(:public, false))
                        RETURNING id""")
                .bind("owner", owner)
                .bind("title", input.title().orElse(null))
                .bind("description", input.description().orElse(null))
                .bind("genre", input.genre().orElse(null))
                .bindArray("tags", String.class, input.tags().orElse(null))
                .bind("bpm", input.metronomeBpm().orElse(null))
                .bindByType("effects", input.effectsSettings().orElse(null), JsonNode.class)
                .bindByType("settings", input.projectSettings().orElse(null), JsonNode.class)
                .bind("public", input.isPublic().orElse(null))
                .mapTo(UUID.class)
                .one();
    }

    Optional<Project> find(UUID id) {
        return handle.createQuery("SELECT " + PROJECT_COLUMNS + " FROM public.projects p WHERE p.id = :id")
                .bind("id", id).mapTo(Project.class).findOne();
    }

    /**
     * Owner, collaborator admin or site administrator: those who see every invitation of the project. Asked of the
     * database only to choose 404 over 403 after a policy refused; the policy is the authority.
     */
    boolean managesCollaborators(UUID id) {
        return handle.createQuery("""
                        SELECT coalesce(public.project_access(:id) IN ('owner', 'admin'), false) OR public.is_admin()""")
                .bind("id", id).mapTo(Boolean.class).one();
    }

    boolean isVisible(UUID id) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM public.projects WHERE id = :id)")
                .bind("id", id).mapTo(Boolean.class).one();
    }

    /** Updates the given fields; false when RLS let no row be updated. */
    /** A project's settings and chain versions. */
    record Versions(long settings, long chain) {}

    /**
     * Locks the project for a change of its settings and answers their versions; empty when the caller may not
     * change it (a row the caller may not update is not locked: the update that follows finds nothing).
     */
    Optional<Versions> lockVersions(UUID id) {
        return handle.createQuery("""
                        SELECT settings_version, chain_version FROM public.projects WHERE id = :id FOR NO KEY UPDATE""")
                .bind("id", id).map((rs, ctx) -> new Versions(rs.getLong(1), rs.getLong(2))).findOne();
    }

    boolean update(UUID id, ProjectInput input) {
        List<String> sets = new ArrayList<>();
        Map<String, Object> values = new java.util.HashMap<>();
        input.title().ifPresent(v -> { sets.add("title = :title"); values.put("title", v); });
        if (input.has("description")) { sets.add("description = :description"); values.put("description", input.description().orElse(null)); }
        if (input.has("genre")) { sets.add("genre = :genre"); values.put("genre", input.genre().orElse(null)); }
        input.metronomeBpm().ifPresent(v -> { sets.add("metronome_bpm = :bpm"); values.put("bpm", v); });
        input.isPublic().ifPresent(v -> { sets.add("is_public = :public"); values.put("public", v); });
        input.commentsAllowed().ifPresent(v -> { sets.add("comments_allowed = :comments"); values.put("comments", v); });
        input.status().ifPresent(v -> { sets.add("status = :status"); values.put("status", v); });
        input.tags().ifPresent(v -> sets.add("tags = :tags"));
        input.effectsSettings().ifPresent(v -> sets.add("effects_settings = :effects"));
        input.projectSettings().ifPresent(v -> sets.add("project_settings = :settings"));
        if (sets.isEmpty()) {
            return isVisible(id);
        }
        Update update = handle.createUpdate("UPDATE public.projects SET " + String.join(", ", sets) + " WHERE id = :id")
                .bind("id", id);
        values.forEach(update::bind);
        input.tags().ifPresent(v -> update.bindArray("tags", String.class, v));
        input.effectsSettings().ifPresent(v -> update.bindByType("effects", v, JsonNode.class));
        input.projectSettings().ifPresent(v -> update.bindByType("settings", v, JsonNode.class));
        return update.execute() == 1;
    }

    boolean delete(UUID id) {
        return handle.createUpdate("DELETE FROM public.projects WHERE id = :id").bind("id", id).execute() == 1;
    }

    /** The caller's own projects and those shared with them (accepted), newest first. */
    List<Project> listMine(UUID me, String role, Optional<ObjectNode> after, int limit) {
        String who = switch (role) {
            case "owner" -> "p.user_id = :me";
            case "collaborator" -> "EXISTS (SELECT 1 FROM public.project_collaborators c WHERE c.project_id = p.id "
                    + "AND c.user_id = :me AND c.status = 'accepted')";
            default -> "(p.user_id = :me OR EXISTS (SELECT 1 FROM public.project_collaborators c "
                    + "WHERE c.project_id = p.id AND c.user_id = :me AND c.status = 'accepted'))";
        };
        String keyset = after.isPresent() ? " AND (p.created_at, p.id) < (:createdAt, :lastId)" : "";
        Query query = handle.createQuery("SELECT " + PROJECT_COLUMNS + " FROM public.projects p WHERE " + who + keyset
                        + " ORDER BY p.created_at DESC, p.id DESC LIMIT :limit")
                .bind("me", me).bind("limit", limit + 1);
        after.ifPresent(cursor -> query.bind("createdAt", Paging.instant(cursor, "created_at"))
                .bind("lastId", Paging.uuid(cursor, "id")));
        return query.mapTo(Project.class).list();
    }

    /** Public projects matching the filters, in the order asked for, after the cursor. */
    List<Project> explore(ExploreFilter filter, Optional<ObjectNode> after, int limit) {
        List<String> where = new ArrayList<>(List.of("p.is_public"));
        if (!filter.tags().isEmpty()) {
            where.add("p.tags @> CAST(:tags AS text[])");
        }
        filter.genre().ifPresent(g -> where.add("lower(p.genre) = lower(:genre)"));
        filter.text().ifPresent(q -> where.add("p.search_vector @@ plainto_tsquery('simple', :q)"));
        filter.username().ifPresent(u -> where.add("p.user_id = (SELECT public.user_id_by_username(:username))"));
        if (filter.featuredOnly()) {
            where.add("p.is_featured");
        }
        String order;
        if (filter.popular()) {
            after.ifPresent(c -> where.add("(p.like_count, p.created_at, p.id) < (:likes, :createdAt, :lastId)"));
            order = "p.like_count DESC, p.created_at DESC, p.id DESC";
        } else {
            after.ifPresent(c -> where.add("(p.created_at, p.id) < (:createdAt, :lastId)"));
            order = "p.created_at DESC, p.id DESC";
        }
        // Two steps: the page's ids from an index-only scan of the ordering's covering index, then the full rows
        // of just those ids (RLS applies to both).
        Query query = handle.createQuery("WITH page AS (SELECT p.id, p.like_count, p.created_at FROM public.projects p"
                + " WHERE " + String.join(" AND ", where) + " ORDER BY " + order + " LIMIT :limit) SELECT "
                + PROJECT_COLUMNS + " FROM page JOIN public.projects p ON p.id = page.id ORDER BY "
                + order.replace("p.", "page.")).bind("limit", limit + 1);
        if (!filter.tags().isEmpty()) {
            query.bindArray("tags", String.class, filter.tags());
        }
        filter.genre().ifPresent(g -> query.bind("genre", g));
        filter.text().ifPresent(q -> query.bind("q", q));
        filter.username().ifPresent(u -> query.bind("username", u));
        after.ifPresent(cursor -> {
            query.bind("createdAt", Paging.instant(cursor, "created_at"))
                    .bind("lastId", Paging.uuid(cursor, "id"));
            if (filter.popular()) {
                query.bind("likes", Paging.integer(cursor, "like_count"));
            }
        });
        return query.mapTo(Project.class).list();
    }

    // Likes and plays

    /** Likes as the caller; the insert policy refuses projects the caller cannot see (SQLSTATE 42501). */
    void like(UUID project, UUID me) {
        handle.createUpdate("""
                INSERT INTO public.project_likes (project_id, user_id) VALUES (:p, :me)
                ON CONFLICT (project_id, user_id) DO NOTHING""").bind("p", project).bind("me", me).execute();
    }

    void unlike(UUID project, UUID me) {
        handle.createUpdate("DELETE FROM public.project_likes WHERE project_id = :p AND user_id = :me")
                .bind("p", project).bind("me", me).execute();
    }

    Optional<Integer> recordPlay(UUID project) {
        return Optional.ofNullable(handle.createQuery("SELECT public.record_play(:p)").bind("p", project)
                .mapTo(Integer.class).one());
    }

    // Versions

    Optional<String> takeKey(UUID project) {
        return handle.createQuery("SELECT original_audio_path FROM public.projects WHERE id = :p")
                .bind("p", project).mapTo(String.class).findOne();
    }

    boolean versionHoldsTake(UUID project, String key) {
        return handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM public.project_versions
                                       WHERE project_id = :p AND audio_file_path = :a)""")
                .bind("p", project).bind("a", key).mapTo(Boolean.class).one();
    }

    /** Makes {@code key} the project's take; its render and waveform no longer match, so they go. */
    boolean replaceTake(UUID project, String key) {
        return handle.createUpdate("""
                        UPDATE public.projects SET original_audio_path = :a, processed_audio_path = NULL,
                               waveform_data = NULL
                        WHERE id = :p""")
                .bind("p", project).bind("a", key).execute() == 1;
    }

    /** A new version of the project as it is now, answered as the version list shows one. */
    JsonNode snapshotSummary(UUID project, String title, String description) {
        return handle.createQuery("""
                        INSERT INTO public.project_versions (project_id, title, description)
                        VALUES (:p, :title, :description)
                        RETURNING to_jsonb(project_versions.*) - 'effects_settings' - 'audio_file_path' - 'processed_audio_path'
                                  - 'arrangement'
                                  || jsonb_build_object('has_audio', audio_file_path IS NOT NULL)""")
                .bind("p", project).bind("title", title).bind("description", description)
                .mapTo(JsonNode.class).one();
    }

    Version snapshot(UUID project, String title, String description) {
        return handle.createQuery("""
                        INSERT INTO public.project_versions (project_id, title, description)
                        VALUES (:p, :title, :description)
                        RETURNING id, project_id, version_number, title, description, audio_file_path,
                                  effects_settings, created_at""")
                .bind("p", project).bind("title", title).bind("description", description)
                .mapTo(Version.class).one();
    }

    List<Version> versions(UUID project, Optional<ObjectNode> after, int limit) {
        String keyset = after.isPresent() ? " AND version_number < :before" : "";
        Query query = handle.createQuery("""
                        SELECT id, project_id, version_number, title, description, audio_file_path, effects_settings,
                               created_at
                        FROM public.project_versions WHERE project_id = :p""" + keyset
                        + " ORDER BY version_number DESC LIMIT :limit")
                .bind("p", project).bind("limit", limit + 1);
        after.ifPresent(cursor -> query.bind("before", Paging.integer(cursor, "version_number")));
        return query.mapTo(Version.class).list();
    }

    Optional<Version> version(UUID project, int number) {
        return handle.createQuery("""
                        SELECT id, project_id, version_number, title, description, audio_file_path, effects_settings,
                               created_at
                        FROM public.project_versions WHERE project_id = :p AND version_number = :n""")
                .bind("p", project).bind("n", number).mapTo(Version.class).findOne();
    }

    /**
     * Makes the project's take, render and effects those of a version; the take's length, rate, channels and
     * waveform follow from its stored object (V83). False when RLS let no row be updated.
     */
    boolean restore(UUID project, Version version) {
        return handle.createUpdate("""
                        UPDATE public.projects p
                        SET original_audio_path = v.audio_file_path, processed_audio_path = v.processed_audio_path,
                            effects_settings = v.effects_settings
                        FROM public.project_versions v
                        WHERE p.id = :p AND v.id = :version AND v.project_id = p.id""")
                .bind("p", project)
                .bind("version", version.id())
                .execute() == 1;
    }

    /**
     * Puts the version's tracks and clips (V88), master fader, tempo and time signature (V92) back exactly; refused
     * (42501) to whoever may not change them.
     */
    void restoreArrangement(UUID version) {
        handle.createQuery("SELECT public.restore_arrangement(:v)").bind("v", version).mapTo(String.class).one();
    }

    /** The project's status as the caller sees it (empty when invisible). */
    Optional<String> status(UUID project) {
        return handle.createQuery("SELECT status FROM public.projects WHERE id = :p")
                .bind("p", project).mapTo(String.class).findOne();
    }

    boolean deleteVersion(UUID project, int number) {
        return handle.createUpdate("DELETE FROM public.project_versions WHERE project_id = :p AND version_number = :n")
                .bind("p", project).bind("n", number).execute() == 1;
    }

    // Collaboration

    Optional<String> access(UUID project) {
        return Optional.ofNullable(handle.createQuery("SELECT public.project_access(:p)").bind("p", project)
                .mapTo(String.class).one());
    }

    Optional<UUID> userIdByUsername(String username) {
        return Optional.ofNullable(handle.createQuery("SELECT public.user_id_by_username(:u)").bind("u", username)
                .mapTo(UUID.class).one());
    }

    Collaborator invite(UUID project, UUID user, String role) {
        UUID id = handle.createQuery("""
                        INSERT INTO public.project_collaborators (project_id, user_id, role) VALUES (:p, :u, :role)
                        RETURNING id""")
                .bind("p", project).bind("u", user).bind("role", role).mapTo(UUID.class).one();
        return collaborator(id).orElseThrow();
    }

    private static final String COLLABORATOR_COLUMNS = """
            c.id, c.project_id, c.user_id, public.username_of(c.user_id) AS username, c.role, c.status,
            c.invited_by, c.invited_at, c.accepted_at""";

    Optional<Collaborator> collaborator(UUID id) {
        return handle.createQuery("SELECT " + COLLABORATOR_COLUMNS + " FROM public.project_collaborators c WHERE c.id = :id")
                .bind("id", id).mapTo(Collaborator.class).findOne();
    }

    List<Collaborator> collaborators(UUID project) {
        return handle.createQuery("SELECT " + COLLABORATOR_COLUMNS
                        + " FROM public.project_collaborators c WHERE c.project_id = :p ORDER BY c.invited_at, c.id")
                .bind("p", project).mapTo(Collaborator.class).list();
    }

    boolean changeRole(UUID project, UUID user, String role) {
        return handle.createUpdate("UPDATE public.project_collaborators SET role = :role WHERE project_id = :p AND user_id = :u")
                .bind("p", project).bind("u", user).bind("role", role).execute() == 1;
    }

    boolean removeCollaborator(UUID project, UUID user) {
        return handle.createUpdate("DELETE FROM public.project_collaborators WHERE project_id = :p AND user_id = :u")
                .bind("p", project).bind("u", user).execute() == 1;
    }

    List<Invitation> myInvitations() {
        return handle.createQuery("SELECT * FROM public.my_invitations()").mapTo(Invitation.class).list();
    }

    /** Answers the caller's own invitation; false when it is not theirs (RLS) or does not exist. */
    boolean answerInvitation(UUID invitation, String status) {
        return handle.createUpdate("UPDATE public.project_collaborators SET status = :s WHERE id = :id")
                .bind("id", invitation).bind("s", status).execute() == 1;
    }

    // Transfer offers: rows readable by their two parties (RLS); every change through a definer function

    private static final String OFFER_COLUMNS = """
            o.id, o.project_id, public.offered_project_title(o.id) AS project_title,
            o.from_user_id, public.username_of(o.from_user_id) AS from_username,
            o.to_user_id, public.username_of(o.to_user_id) AS to_username, o.status, o.created_at, o.answered_at""";

    /** Offers the project to a user; the database refuses anyone but the owner (42501). Answers the offer's id. */
    UUID offerTransfer(UUID project, UUID to) {
        return handle.createQuery("SELECT public.offer_project_transfer(:p, :to)").bind("p", project).bind("to", to)
                .mapTo(UUID.class).one();
    }

    Optional<TransferOffer> transferOffer(UUID id) {
        return handle.createQuery("SELECT " + OFFER_COLUMNS + " FROM public.project_transfer_offers o WHERE o.id = :id")
                .bind("id", id).mapTo(TransferOffer.class).findOne();
    }

    /**
     * The caller's offers, newest first: made to them ({@code received}), by them ({@code sent}) or both; in one
     * status or any ({@code status} null); of one project or any.
     */
    List<TransferOffer> transferOffers(UUID me, String direction, String status, UUID project,
                                       Optional<ObjectNode> after, int limit) {
        List<String> where = new ArrayList<>();
        where.add(switch (direction) {
            case "received" -> "o.to_user_id = :me";
            case "sent" -> "o.from_user_id = :me";
            default -> "(o.to_user_id = :me OR o.from_user_id = :me)";
        });
        if (status != null) {
            where.add("o.status = :status");
        }
        if (project != null) {
            where.add("o.project_id = :project");
        }
        after.ifPresent(c -> where.add("(o.created_at, o.id) < (:createdAt, :lastId)"));
        Query query = handle.createQuery("SELECT " + OFFER_COLUMNS + " FROM public.project_transfer_offers o WHERE "
                        + String.join(" AND ", where) + " ORDER BY o.created_at DESC, o.id DESC LIMIT :limit")
                .bind("me", me).bind("limit", limit + 1);
        if (status != null) {
            query.bind("status", status);
        }
        if (project != null) {
            query.bind("project", project);
        }
        after.ifPresent(cursor -> query.bind("createdAt", Paging.instant(cursor, "created_at"))
                .bind("lastId", Paging.uuid(cursor, "id")));
        return query.mapTo(TransferOffer.class).list();
    }

    /** Accepts or declines as the caller; answers consume_usage's JSON with the offer's new {@code status}. */
    JsonNode answerTransferOffer(UUID offer, boolean accept) {
        return handle.createQuery("SELECT public.answer_transfer_offer(:o, :accept)").bind("o", offer)
                .bind("accept", accept).mapTo(JsonNode.class).one();
    }

    void withdrawTransferOffer(UUID offer) {
        handle.createQuery("SELECT public.withdraw_transfer_offer(:o)").bind("o", offer).mapTo(String.class).one();
    }
}
