package studio.nexus.exports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.analysis.MasterMeter;
import studio.nexus.audio.decode.AudioDecodeException;
import studio.nexus.audio.decode.AudioFormatInfo;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.encode.ExportSpec;
import studio.nexus.audio.render.OfflineRenderer;
import studio.nexus.audio.render.RenderCancelledException;
import studio.nexus.bounce.MasterSafety;
import studio.nexus.db.Db;
import studio.nexus.renders.RenderHandler;
import studio.nexus.jobs.Job;
import studio.nexus.jobs.JobContext;
import studio.nexus.jobs.JobFailure;
import studio.nexus.jobs.JobHandler;
import studio.nexus.storage.Storage;
import studio.nexus.storage.StorageKeys;
import studio.nexus.usage.Usage;
import studio.nexus.core.Failure;
import studio.nexus.core.Json;

/**
 * Encodes a project's original or processed audio in a download format. The file is stored under the project
 * ({@code projects/<id>/export-…}), charged to the requester (registered here; the job's result then references it,
 * and a registration no result ever referenced is released by the storage sweeper). The safety limiter is on unless
 * the request turns it off, and the result carries the file's figures ({@link MasterSafety}). Thread-safe.
 */
public final class ExportHandler implements JobHandler {
    public static final String KIND = "export";

    private final Db db;
    private final Storage storage;

    public ExportHandler(Db db, Storage storage) {
        this.db = db;
        this.storage = storage;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public JsonNode run(Job job, JobContext context) throws Exception {
        UUID projectId = job.projectId();
        String formatName = job.payload().path("format").asText();
        ExportSpec format = ExportOptions.spec(job.payload());
        boolean processed = "processed".equals(job.payload().path("source").asText());
        ExportSql.ExportSource project = db.asSystem(handle -> new ExportSql(handle).find(projectId))
                .orElseThrow(() -> new JobFailure("project_gone", "The project no longer exists", false));
        String sourceKey = project.path(processed);
        if (sourceKey == null) {
            throw new JobFailure("no_audio", "The project has no " + (processed ? "processed " : "") + "audio", false);
        }
        Path output = storage.newTempFile("." + format.extension());
        String key = null;
        try (Storage.LocalFile source = storage.localFile(sourceKey)) {
            AudioFormatInfo info;
            try (DecodedAudio probe = Decoders.open(source.path())) {
                info = probe.info();
            }
            AudioSink sink;
            try {
                sink = format.open(output, info.sampleRate(), info.channels());
            } catch (IllegalArgumentException e) {
                throw new JobFailure("unsupported_for_format", formatName + " cannot hold this audio: "
                        + e.getMessage(), false);
            }
            MasterSafety safety = MasterSafety.of(job.payload(), true);
            MasterMeter meter = new MasterMeter(info.sampleRate(), info.channels());
            String[] stopped = new String[1];
            try {
                OfflineRenderer.render(() -> Decoders.open(source.path()),
                        safety.master(EffectChainParser.parse("[]").instantiate()), meter.in(sink),
                        OfflineRenderer.Options.DEFAULT,
                        (fraction, frames) -> {
                            if (fraction >= 0 && stopped[0] == null && frames % (1 << 18) < 4096) {
                                try {
                                    context.progress(fraction * 0.95, "encoding");
                                } catch (JobContext.JobStopped e) {
                                    stopped[0] = e.reason();
                                }
                            }
                        },
                        () -> stopped[0] != null || context.shouldStop());
            } catch (RenderCancelledException e) {
                throw new JobContext.JobStopped(stopped[0] != null ? stopped[0] : "cancelled");
            }
            key = StorageKeys.projectAudio(projectId, "export", format.extension());
            Storage.StoredObject stored = storage.putFile(key, output);
            String done = key;
            try {
                db.asSystem(handle -> Usage.chargeStorage(handle, done, stored.size(), job.userId(), projectId, true,
                        Usage.AudioFacts.NONE));
            } catch (Failure e) {
                throw RenderHandler.storageFull(e);
            }
            key = null;
            ObjectNode result = Json.MAPPER.createObjectNode();
            ExportOptions.describe(result, format);
            return safety.report(result
                    .put("key", done)
                    .put("format", formatName)
                    .put("source", processed ? "processed" : "original")
                    .put("content_type", format.mimeType())
                    .put("extension", format.extension())
                    .put("size_bytes", stored.size()), meter.report());
        } catch (NoSuchFileException e) {
            throw new JobFailure("audio_missing", "The project's audio file is missing from storage", false);
        } catch (AudioDecodeException e) {
            throw new JobFailure("decode_failed", "The audio could not be decoded: " + e.getMessage(), false);
        } finally {
            Files.deleteIfExists(output);
            if (key != null) {
                try {
                    storage.delete(key);
                } catch (IOException ignored) {
                    // the sweeper removes it
                }
            }
        }
    }
}
