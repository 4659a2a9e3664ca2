package studio.nexus.transformations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.db.Db;
import studio.nexus.jobs.Job;
import studio.nexus.jobs.JobContext;
import studio.nexus.jobs.JobFailure;
import studio.nexus.jobs.JobHandler;
import studio.nexus.storage.Storage;
import studio.nexus.storage.StorageKeys;
import studio.nexus.usage.Usage;
import studio.nexus.core.Json;

/**
 * Runs jobs of kind {@code transformation}: picks the transformation's provider, gives it the input as a local file,
 * stores what comes out under {@code transformations/<id>/} and answers the storage keys, model version and
 * quality score as the job's result. The queue's completion (fenced by the lease) then mirrors the result into
 * the transformation row in the same transaction (V60's trigger), so a worker that lost its lease records nothing.
 * Thread-safe.
 */
public final class TransformationHandler implements JobHandler {
    private static final Logger log = LoggerFactory.getLogger(TransformationHandler.class);
    public static final String KIND = "transformation";

    private final Db db;
    private final Storage storage;
    private final Map<String, TransformationProvider> providers;

    public TransformationHandler(Db db, Storage storage, Map<String, TransformationProvider> providers) {
        this.db = db;
        this.storage = storage;
        this.providers = Map.copyOf(providers);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public JsonNode run(Job job, JobContext context) throws Exception {
        UUID id = UUID.fromString(job.payload().path("transformation_id").asText());
        Transformation t = db.asSystem(handle -> new TransformationSql(handle).find(id))
                .orElseThrow(() -> new JobFailure("transformation_missing", "The transformation was deleted", false));
        if (t.status().equals("cancelled")) {
            throw new JobContext.JobStopped("cancelled");
        }
        TransformationProvider provider = providers.get(t.provider() == null ? "local" : t.provider());
        if (provider == null) {
            throw new JobFailure("provider_unavailable", "No provider " + t.provider() + " is configured here", false);
        }
        context.progress(0.02, "starting " + provider.name());
        TransformationProvider.Output output;
        try (Storage.LocalFile input = storage.localFile(StorageKeys.requireValid(t.inputAudioPath()))) {
            output = provider.transform(new TransformationProvider.Request(id, t.transformationType(), t.parameters(),
                    input.path(), t.replicatePredictionId()), context);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new JobFailure("input_missing", "The project's audio is no longer stored", false);
        }
        ObjectNode result = Json.MAPPER.createObjectNode();
        String audioKey = output.storedAudioKey();
        if (audioKey == null) {
            audioKey = StorageKeys.transformationFile(id, "output", output.audioExtension());
            storage.putFile(audioKey, output.audio());
        }
        result.put("output_audio_path", audioKey);
        if (output.midi() != null) {
            String midiKey = StorageKeys.transformationFile(id, "arrangement", "mid");
            storage.putFile(midiKey, output.midi());
            result.put("output_midi_path", midiKey);
        }
        // Charged to the requester now; the completion (next transaction) references the keys. Not refused at the
        // limit: the quota was spent when the transformation was requested, and outputs expire within days.
        java.util.List<String> outputs = new java.util.ArrayList<>(java.util.List.of(audioKey));
        if (result.has("output_midi_path")) {
            outputs.add(result.get("output_midi_path").asText());
        }
        if (!output.parts().isEmpty()) {
            var parts = result.putArray("output_parts");
            for (TransformationProvider.Part part : output.parts()) {
                String key = StorageKeys.transformationFile(id, "part_" + part.role(), "wav");
                storage.putFile(key, part.wav());
                parts.addObject().put("role", part.role()).put("key", key);
                outputs.add(key);
            }
        }
        for (String key : outputs) {
            long size = storage.stat(key).map(Storage.StoredObject::size)
                    .orElseThrow(() -> new JobFailure("output_missing", "The output was not stored", true));
            db.asSystem(handle -> Usage.chargeStorage(handle, key, size, t.userId(), t.projectId(), false,
                    Usage.AudioFacts.NONE));
        }
        result.put("model_version", output.modelVersion());
        if (output.qualityScore() != null) {
            result.put("quality_score", Math.max(0, Math.min(1, output.qualityScore())));
        }
        deleteQuietly(output.audio());
        deleteQuietly(output.midi());
        output.parts().forEach(part -> deleteQuietly(part.wav()));
        context.progress(1.0, "done");
        return result;
    }

    private static void deleteQuietly(java.nio.file.Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (java.io.IOException e) {
                log.debug("temporary file {} left behind", file, e);
            }
        }
    }
}
