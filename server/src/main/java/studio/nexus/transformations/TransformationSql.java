package studio.nexus.transformations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;
import studio.nexus.web.Paging;

/** All SQL of the transformations feature, on a handle of whoever runs it (RLS decides). Not thread-safe. */
final class TransformationSql {
    private final Handle handle;

    TransformationSql(Handle handle) {
        this.handle = handle;
        handle.registerRowMapper(ConstructorMapper.factory(Transformation.class));
        handle.registerRowMapper(ConstructorMapper.factory(Preset.class));
    }

    List<Preset> presets() {
        return handle.createQuery("""
                        SELECT id, name, description, transformation_type, parameters, preview_audio_url, thumbnail_url,
                               coalesce(is_premium, false) AS is_premium, coalesce(usage_count, 0) AS usage_count,
                               created_at
                        FROM public.ai_model_presets WHERE is_active ORDER BY is_premium, name, id""")
                .mapTo(Preset.class).list();
    }

    record Requested(UUID transformationId, UUID jobId) {}

    Requested request(UUID project, UUID preset, String type, JsonNode parameters, String provider, int maxAttempts) {
        return handle.createQuery("""
                        SELECT transformation_id, job_id
                        FROM public.request_transformation(:project, :preset, :type, :parameters, :provider, :max)""")
                .bind("project", project).bind("preset", preset).bind("type", type)
                .bindByType("parameters", parameters, JsonNode.class).bind("provider", provider)
                .bind("max", maxAttempts)
                .map((rs, ctx) -> new Requested(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))).one();
    }

    Optional<Transformation> find(UUID id) {
        return handle.createQuery("SELECT " + Transformation.COLUMNS + " FROM public.ai_transformations WHERE id = :id")
                .bind("id", id).mapTo(Transformation.class).findOne();
    }

    Optional<Transformation> findByPrediction(String predictionId) {
        return handle.createQuery("SELECT " + Transformation.COLUMNS
                        + " FROM public.ai_transformations WHERE replicate_prediction_id = :p")
                .bind("p", predictionId).mapTo(Transformation.class).findOne();
    }

    /** What the external provider last said about a transformation (as the system). */
    record ProviderState(String status, String predictionId, String providerStatus, String providerOutputPath) {}

    Optional<ProviderState> providerState(UUID id) {
        return handle.createQuery("""
                        SELECT status, replicate_prediction_id, provider_status, provider_output_path
                        FROM public.ai_transformations WHERE id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new ProviderState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .findOne();
    }

    /** A new prediction for this transformation (forgets the previous attempt's status and output). */
    void recordPrediction(UUID id, String predictionId, String providerStatus) {
        handle.createUpdate("""
                        UPDATE public.ai_transformations SET replicate_prediction_id = :p, provider_status = :s,
                               provider_output_path = NULL
                        WHERE id = :id""")
                .bind("id", id).bind("p", predictionId).bind("s", providerStatus).execute();
    }

    /** The prediction's latest status, and our copy of its output when there is one; false for an unknown id. */
    boolean recordProviderOutcome(String predictionId, String providerStatus, String outputPath) {
        return handle.createUpdate("""
                        UPDATE public.ai_transformations SET provider_status = :s,
                               provider_output_path = coalesce(:o, provider_output_path)
                        WHERE replicate_prediction_id = :p""")
                .bind("p", predictionId).bind("s", providerStatus).bind("o", outputPath).execute() == 1;
    }

    /** Records a webhook delivery id; false when it was seen before (a replay). */
    boolean recordDelivery(String deliveryId, String provider) {
        return handle.createUpdate("""
                        INSERT INTO public.webhook_deliveries (id, provider) VALUES (:id, :provider)
                        ON CONFLICT (id) DO NOTHING""")
                .bind("id", deliveryId).bind("provider", provider).execute() == 1;
    }

    boolean deliverySeen(String deliveryId) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM public.webhook_deliveries WHERE id = :id)")
                .bind("id", deliveryId).mapTo(Boolean.class).one();
    }

    /** Newest first, keyset on (created_at, id); {@code projectId} null = the caller's own across projects. */
    List<Transformation> list(UUID userId, UUID projectId, Optional<ObjectNode> after, int limit) {
        String where = projectId != null ? "project_id = :project" : "user_id = :user";
        String keyset = after.isPresent() ? " AND (created_at, id) < (:at, :afterId)" : "";
        Query query = handle.createQuery("SELECT " + Transformation.COLUMNS + " FROM public.ai_transformations WHERE "
                        + where + keyset + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("project", projectId).bind("user", userId).bind("limit", limit + 1);
        after.ifPresent(cursor -> query.bind("at", Paging.instant(cursor, "created_at"))
                .bind("afterId", Paging.uuid(cursor, "id")));
        return query.mapTo(Transformation.class).list();
    }

    /** As the user: V3's guard allows pending/processing -> cancelled; V60's trigger cancels the job. */
    boolean cancel(UUID id) {
        return handle.createUpdate("""
                        UPDATE public.ai_transformations SET status = 'cancelled'
                        WHERE id = :id AND status IN ('pending', 'processing')""")
                .bind("id", id).execute() == 1;
    }

    boolean rate(UUID id, int rating, String feedback) {
        return handle.createUpdate("""
                        UPDATE public.ai_transformations SET user_rating = :rating, user_feedback = :feedback
                        WHERE id = :id AND status = 'completed'""")
                .bind("id", id).bind("rating", rating).bind("feedback", feedback).execute() == 1;
    }

    /** Whether the caller may change the project's audio (empty: the project is not visible to them). */
    Optional<Boolean> mayEdit(UUID project) {
        return handle.createQuery("SELECT public.can_edit_project(p.id) FROM public.projects p WHERE p.id = :p")
                .bind("p", project).mapTo(Boolean.class).findOne();
    }

    /** A part of a transformation's result: the instrument's role and its stored WAV. */
    record PartKey(String role, String key) {}

    /** The parts of a transformation's result (V89), in the order the arranger made them; empty when it has none. */
    List<PartKey> parts(UUID id) {
        return handle.createQuery("""
                        SELECT part->>'role' AS role, part->>'key' AS key
                          FROM public.ai_transformations t,
                               jsonb_array_elements(coalesce(t.output_parts, '[]'::jsonb)) WITH ORDINALITY AS p(part, n)
                         WHERE t.id = :id ORDER BY n""")
                .bind("id", id).map((rs, ctx) -> new PartKey(rs.getString("role"), rs.getString("key"))).list();
    }

    Optional<String> projectAccess(UUID project) {
        return Optional.ofNullable(handle.createQuery("SELECT public.project_access(:p)").bind("p", project)
                .mapTo(String.class).one());
    }

    // The sweeper's work, as the system

    /** A transformation whose output is past its expiry, and the files it holds. */
    record Expired(UUID id, String outputAudioPath, String outputMidiPath, String providerOutputPath,
                   List<String> partPaths) {}

    /** Up to 500 transformations whose output expired by {@code now} and is still stored, oldest first. */
    List<Expired> expiredOutputs(java.time.Instant now) {
        return handle.createQuery("""
                        SELECT id, output_audio_path, output_midi_path, provider_output_path,
                               ARRAY(SELECT part->>'key' FROM jsonb_array_elements(
                                   coalesce(output_parts, '[]'::jsonb)) part) AS parts
                        FROM public.ai_transformations
                        WHERE expires_at <= :now AND output_audio_path IS NOT NULL AND expired_at IS NULL
                        ORDER BY expires_at LIMIT 500""")
                .bind("now", now)
                .map((rs, ctx) -> new Expired(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), List.of((String[]) rs.getArray(5).getArray()))).list();
    }

    /** Forgets the files of an expired transformation; the row stays. Answers 1 when it expired now, else 0. */
    int markExpired(UUID id, java.time.Instant now) {
        return handle.createUpdate("""
                        UPDATE public.ai_transformations SET output_audio_path = NULL, output_midi_path = NULL,
                               provider_output_path = NULL, output_parts = NULL, expired_at = :now
                        WHERE id = :id AND expired_at IS NULL""")
                .bind("id", id).bind("now", now).execute();
    }

    /** Forgets webhook deliveries received before {@code cutoff}. */
    int forgetWebhookDeliveries(java.time.Instant cutoff) {
        return handle.createUpdate("DELETE FROM public.webhook_deliveries WHERE received_at < :cutoff")
                .bind("cutoff", cutoff).execute();
    }
}
