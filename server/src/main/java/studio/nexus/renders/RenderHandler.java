package studio.nexus.renders;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.AudioSourceFactory;
import studio.nexus.audio.analysis.MasterMeter;
import studio.nexus.audio.decode.AudioDecodeException;
import studio.nexus.audio.decode.AudioFormatInfo;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.effects.ChainDefinition;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.effects.InvalidEffectChainException;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.audio.metronome.ClickMixing;
import studio.nexus.audio.render.OfflineRenderer;
import studio.nexus.audio.render.RenderCancelledException;
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
import studio.nexus.core.Failure;
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
        Path output = storage.newTempFile(".wav");
        String key = null;
        try (Storage.LocalFile original = storage.localFile(project.originalAudioPath())) {
            AudioFormatInfo info;
            try (DecodedAudio probe = Decoders.open(original.path())) {
                info = probe.info();
            }
            double bpm = project.metronomeBpm();
            AudioSourceFactory input = () -> {
                AudioSource song = Decoders.open(original.path());
                return countInBars == 0 ? song
                        : ClickMixing.prependCountIn(song, bpm, COUNT_IN_BEATS_PER_BAR, countInBars, CLICK_GAIN);
            };
            String[] stopped = new String[1];
            long[] lastReport = {System.nanoTime()};
            OfflineRenderer.Result result;
            MasterMeter meter = new MasterMeter(info.sampleRate(), info.channels());
            try {
                result = OfflineRenderer.render(input, safety.master(chain.instantiate()), meter.in(
                        WavEncoder.create(output, info.sampleRate(), info.channels(), WavEncoder.SampleFormat.PCM_24)),
                        new OfflineRenderer.Options(4096, tailSeconds),
                        (fraction, frames) -> {
                            long now = System.nanoTime();
                            if (fraction >= 0 && stopped[0] == null && now - lastReport[0] > 200_000_000L) {
                                lastReport[0] = now;
                                try {
                                    context.progress(0.01 + fraction * 0.94, "rendering");
                                } catch (JobContext.JobStopped e) {
                                    stopped[0] = e.reason();
                                }
                            }
                        },
                        () -> stopped[0] != null || context.shouldStop());
            } catch (RenderCancelledException e) {
                throw new JobContext.JobStopped(stopped[0] != null ? stopped[0] : "cancelled");
            }
            key = StorageKeys.projectAudio(projectId, "processed", "wav");
            Storage.StoredObject stored = storage.putFile(key, output);
            String processedKey = key;
            long size = stored.size();
            boolean attached;
            try {
                attached = db.asSystem(handle -> {
                    Usage.chargeStorage(handle, processedKey, size, job.userId(), projectId, true,
                            Usage.AudioFacts.NONE);
                    return new RenderSql(handle).finishRenderAsSystem(projectId, processedKey);
                });
            } catch (Failure e) {
                throw storageFull(e);
            }
            if (!attached) {
                throw new JobFailure("project_gone", "The project was deleted during the render", false);
            }
            key = null;
            return safety.report(Json.MAPPER.createObjectNode()
                    .put("key", processedKey)
                    .put("frames", result.framesWritten())
                    .put("passes", result.passes())
                    .put("sample_rate", info.sampleRate())
                    .put("channels", info.channels())
                    .put("duration_seconds", (double) result.framesWritten() / info.sampleRate())
                    .put("size_bytes", stored.size())
                    .put("count_in_bars", countInBars)
                    .put("tail_seconds", tailSeconds), meter.report());
        } catch (NoSuchFileException e) {
            throw new JobFailure("audio_missing", "The project's audio file is missing from storage", false);
        } catch (AudioDecodeException e) {
            throw new JobFailure("decode_failed", "The project's audio could not be decoded: " + e.getMessage(), false);
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

    /** A render or export that would pass its requester's storage limit fails for good (402 as a job failure). */
    public static JobFailure storageFull(Failure refusal) {
        if (refusal.kind() != Failure.Kind.LIMIT_REACHED) {
            throw refusal;
        }
        return new JobFailure("storage_full", "Not enough storage left on your plan for this file: "
                + refusal.getMessage(), false);
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
