package studio.nexus.transformations;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.UUID;
import studio.nexus.jobs.JobContext;
import studio.nexus.jobs.JobFailure;

/**
 * Something that turns a project's audio into another style: the local arranger, or an external model. Called by
 * {@link TransformationHandler} on a worker thread; reports progress through the job context (which also renews
 * the lease and says when to stop). Implementations are thread-safe.
 */
public interface TransformationProvider {
    String name();

    Output transform(Request request, JobContext context) throws Exception;

    /** What to transform: the input as a local file, the style, the merged preset + request parameters. */
    record Request(UUID transformationId, String transformationType, JsonNode parameters, Path input,
                   String existingPredictionId) {}

    /**
     * What came out. Either local files ({@code audio}, optional {@code midi}) that the handler stores, or
     * {@code storedAudioKey} when the provider already copied its output into our storage (webhooks).
     */
    record Output(Path audio, String audioExtension, Path midi, String storedAudioKey, String modelVersion,
                  Double qualityScore, java.util.List<Part> parts) {
        public Output {
            parts = parts == null ? java.util.List.of() : java.util.List.copyOf(parts);
        }

        public Output(Path audio, String audioExtension, Path midi, String storedAudioKey, String modelVersion,
                      Double qualityScore) {
            this(audio, audioExtension, midi, storedAudioKey, modelVersion, qualityScore, java.util.List.of());
        }
    }

    /**
     * One instrument of the result on its own (a WAV as long as the whole result, starting where it starts), so it
     * can be kept as a track: {@code role} is a lowercase word ("melody", "bass", "drums" …).
     */
    record Part(String role, Path wav) {}

    static JobFailure unsupported(String detail) {
        return new JobFailure("unsupported_transformation", detail, false);
    }
}
