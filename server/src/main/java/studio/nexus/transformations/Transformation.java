package studio.nexus.transformations;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** An AI transformation as the API shows it (storage keys stay inside: the audio and MIDI have their own URLs). */
public record Transformation(
        UUID id,
        UUID projectId,
        UUID userId,
        UUID jobId,
        UUID presetId,
        String status,
        String transformationType,
        String provider,
        JsonNode parameters,
        String modelVersion,
        Integer processingTimeSeconds,
        String replicatePredictionId,
        BigDecimal qualityScore,
        Integer userRating,
        String userFeedback,
        String errorCode,
        String errorMessage,
        int retryCount,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Instant expiresAt,
        Instant expiredAt,
        @JsonIgnore String inputAudioPath,
        @JsonIgnore String outputAudioPath,
        @JsonIgnore String outputMidiPath) {

    static final String COLUMNS = """
            id, project_id, user_id, job_id, preset_id, status, transformation_type, provider, parameters,
            model_version, processing_time_seconds, replicate_prediction_id, quality_score, user_rating,
            user_feedback, error_code, error_message, coalesce(retry_count, 0) AS retry_count, created_at, started_at,
            completed_at, expires_at, expired_at, input_audio_path, output_audio_path, output_midi_path""";
}
