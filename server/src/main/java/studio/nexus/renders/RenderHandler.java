package studio.nexus.renders;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.UUID;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.AudioSourceFactory;
import studio.nexus.audio.analysis.MasterMeter;
import studio.nexus.audio.decode.AudioFormatInfo;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.effects.ChainDefinition;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.effects.InvalidEffectChainException;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.audio.metronome.ClickMixing;
import studio.nexus.audio.render.OfflineRenderer;
import studio.nexus.bounce.Bounce;
import studio.nexus.bounce.MasterSafety;
import studio.nexus.db.Db;
import studio.nexus.effects.Effects;
import studio.nexus.jobs.Job;
import studio.nexus.jobs.JobContext;
import studio.nexus.jobs.JobFailure;
import studio.nexus.jobs.JobHandler;
import studio.nexus.storage.Storage;
import studio.nexus.storage.StorageKeys;
import studio.nexus.usage.Usage;
import studio.nexus.core.Json;

/**
 * Renders a project's original through its effects chain (optionally after a count-in of clicks at the project's
 * tempo, plus a tail for reverb and delay) to a new 24-bit WAV, which becomes the project's processed audio. The
 * master's figures (peaks, loudness, clipped samples; {@link MasterSafety}) are measured while it is written and the
 * safety limiter runs only when the request asks for it. The project is 'processing' meanwhile (set by the system);
 * the status and processed path it had are kept in the job's payload so that {@link #onGiveUp} restores them when the
 * render fails or is cancelled. Thread-safe (no state).
 */
public final class RenderHandler implements JobHandler {
    public static final String KIND = "render";
    static final double CLICK_GAIN = 0.8;
    static final int COUNT_IN_BEATS_PER_BAR = 4;

    private final Db db;
    private final Storage storage;

    public RenderHandler(Db db, Storage storage) {
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
        int countInBars = Math.max(0, Math.min(4, job.payload().path("count_in_bars").asInt(0)));
        double tailSeconds = Math.max(0, Math.min(30, job.payload().path("tail_seconds").asDouble(0)));
        MasterSafety safety = MasterSafety.of(job.payload(), false);
        RenderSql.RenderSource project = db.asSystem(handle -> {
            RenderSql sql = new RenderSql(handle);
            String[] before = sql.startRenderAsSystem(projectId).orElse(null);
            if (before == null) {
                return null;
            }
            sql.rememberAsSystem(job.id(), before[0], before[1]);
            return sql.find(projectId).orElse(null);
        });
        if (project == null) {
            throw new JobFailure("project_gone", "The project no longer exists", false);
        }
        if (project.originalAudioPath() == null) {
            throw new JobFailure("no_audio", "The project has no audio to render", false);
        }
        ChainDefinition chain;
        try {
            chain = EffectChainParser.parse(Effects.chainOf(project.effectsSettings()));
        } catch (InvalidEffectChainException e) {
            throw new JobFailure("invalid_effect_chain", e.getMessage(), false);
        }
        context.progress(0.01, "rendering");
        try (Bounce bounce = new Bounce(storage, context, "The project's audio")) {
            Path original = bounce.source(project.originalAudioPath());
            AudioFormatInfo info = bounce.probe(original);
            double bpm = project.metronomeBpm();
            AudioSourceFactory input = () -> {
                AudioSource song = Decoders.open(original);
                return countInBars == 0 ? song
                        : ClickMixing.prependCountIn(song, bpm, COUNT_IN_BEATS_PER_BAR, countInBars, CLICK_GAIN);
            };
            Path output = bounce.temporaryFile(".wav");
            MasterMeter meter = new MasterMeter(info.sampleRate(), info.channels());
            OfflineRenderer.Result result = bounce.render(input, safety.master(chain.instantiate()), meter.in(
                            WavEncoder.create(output, info.sampleRate(), info.channels(), WavEncoder.SampleFormat.PCM_24)),
                    new OfflineRenderer.Options(4096, tailSeconds), bounce.progress(0.01, 0.94, "rendering"));
            String key = StorageKeys.projectAudio(projectId, "processed", "wav");
            Storage.StoredObject stored = bounce.store(key, output);
            long size = stored.size();
            boolean attached = bounce.attach(key, () -> db.asSystem(handle -> {
                Usage.chargeStorage(handle, key, size, job.userId(), projectId, true, Usage.AudioFacts.NONE);
                return new RenderSql(handle).finishRenderAsSystem(projectId, key);
            }));
            if (!attached) {
                throw new JobFailure("project_gone", "The project was deleted during the render", false);
            }
            return safety.report(Json.MAPPER.createObjectNode()
                    .put("key", key)
                    .put("frames", result.framesWritten())
                    .put("passes", result.passes())
                    .put("sample_rate", info.sampleRate())
                    .put("channels", info.channels())
                    .put("duration_seconds", (double) result.framesWritten() / info.sampleRate())
                    .put("size_bytes", stored.size())
                    .put("count_in_bars", countInBars)
                    .put("tail_seconds", tailSeconds), meter.report());
        }
    }

    @Override
    public void onGiveUp(Job job, String status, String errorCode, String errorMessage) {
        db.asSystem(handle -> {
            RenderSql sql = new RenderSql(handle);
            JsonNode restore = sql.jobPayloadAsSystem(job.id()).map(p -> p.path("restore")).orElse(null);
            if (restore != null && restore.isObject()) {
                String previousStatus = restore.path("status").asText("draft");
                String previousProcessed = restore.path("processed_audio_path").isNull() ? null
                        : restore.path("processed_audio_path").asText(null);
                sql.restoreAsSystem(job.projectId(), previousStatus, previousProcessed);
            }
            return null;
        });
    }
}
