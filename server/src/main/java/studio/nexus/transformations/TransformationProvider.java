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
                  Double qualityScore) {}

    static JobFailure unsupported(String detail) {
        return new JobFailure("unsupported_transformation", detail, false);
    }
}
