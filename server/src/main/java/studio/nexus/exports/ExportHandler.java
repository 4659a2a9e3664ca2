package studio.nexus.exports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.UUID;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.analysis.MasterMeter;
import studio.nexus.audio.decode.AudioFormatInfo;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.encode.ExportSpec;
import studio.nexus.audio.render.OfflineRenderer;
import studio.nexus.bounce.Bounce;
import studio.nexus.bounce.MasterSafety;
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
        try (Bounce bounce = new Bounce(storage, context, "The audio")) {
            Path source = bounce.source(sourceKey);
            AudioFormatInfo info = bounce.probe(source);
            Path output = bounce.temporaryFile("." + format.extension());
            AudioSink sink;
            try {
                sink = format.open(output, info.sampleRate(), info.channels());
            } catch (IllegalArgumentException e) {
                throw new JobFailure("unsupported_for_format", formatName + " cannot hold this audio: "
                        + e.getMessage(), false);
            }
            MasterSafety safety = MasterSafety.of(job.payload(), true);
            MasterMeter meter = new MasterMeter(info.sampleRate(), info.channels());
            bounce.render(() -> Decoders.open(source), safety.master(EffectChainParser.parse("[]").instantiate()),
                    meter.in(sink), OfflineRenderer.Options.DEFAULT, bounce.progress(0, 0.95, "encoding"));
            String key = StorageKeys.projectAudio(projectId, "export", format.extension());
            Storage.StoredObject stored = bounce.store(key, output);
            bounce.attach(key, () -> db.asSystem(handle -> Usage.chargeStorage(handle, key, stored.size(),
                    job.userId(), projectId, true, Usage.AudioFacts.NONE)));
            ObjectNode result = Json.MAPPER.createObjectNode();
            ExportOptions.describe(result, format);
            return safety.report(result
                    .put("key", key)
                    .put("format", formatName)
                    .put("source", processed ? "processed" : "original")
                    .put("content_type", format.mimeType())
                    .put("extension", format.extension())
                    .put("size_bytes", stored.size()), meter.report());
        }
    }
}
