package studio.nexus.mixdown;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.UUID;
import studio.nexus.audio.analysis.MasterMeter;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.audio.mix.Arrangement;
import studio.nexus.audio.mix.Mixer;
import studio.nexus.bounce.Bounce;
import studio.nexus.bounce.MasterSafety;
import studio.nexus.core.Json;
import studio.nexus.db.Db;
import studio.nexus.jobs.Job;
import studio.nexus.jobs.JobContext;
import studio.nexus.jobs.JobFailure;
import studio.nexus.jobs.JobHandler;
import studio.nexus.storage.Storage;
import studio.nexus.storage.StorageKeys;
import studio.nexus.usage.Usage;

/**
 * Mixes a project's arrangement ({@link Songs}: its tracks and clips, the master bus chain) with the {@link Mixer}
 * into a 24-bit stereo WAV at the project's rate (plus a tail for reverb and delay when asked), which becomes the
 * project's processed audio, charged to the requester as a render's is. The master's figures (peaks, loudness,
 * clipped samples; {@link MasterSafety}) are measured while it is written, and the safety limiter runs only when the
 * request asks for it. As during a render the project is 'processing'; the status and processed path it had are kept
 * in the job's payload so {@link #onGiveUp} restores them when the mixdown fails or is cancelled. A take at another
 * rate than the project's is converted as it plays (audio/resample); one the mixer cannot play at all (more than
 * two channels) fails the job before anything is mixed. Thread-safe (no state).
 */
public final class MixdownHandler implements JobHandler {
    public static final String KIND = "mixdown";

    private final Db db;
    private final Storage storage;

    public MixdownHandler(Db db, Storage storage) {
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
        double tailSeconds = Mixdowns.tailOf(job.payload());
        MasterSafety safety = MasterSafety.of(job.payload(), false);
        MixdownSql.Song song = db.asSystem(handle -> {
            MixdownSql sql = new MixdownSql(handle);
            MixdownSql.Before before = sql.startMixdownAsSystem(projectId).orElse(null);
            if (before == null) {
                return null;
            }
            sql.rememberAsSystem(job.id(), before.status(), before.processedAudioPath());
            return sql.songAsSystem(projectId).orElse(null);
        });
        if (song == null) {
            throw new JobFailure("project_gone", "The project no longer exists", false);
        }
        Songs.Mixable mixable = Songs.of(projectId, song);
        Arrangement arrangement = mixable.arrangement();
        if (arrangement.lengthFrames() == 0) {
            throw new JobFailure("empty_arrangement", "The arrangement has no clips to mix", false);
        }
        context.progress(0.01, "mixing");
        try (Bounce bounce = new Bounce(storage, context, "A take of the arrangement")) {
            StoredTakes takes = StoredTakes.fetch(bounce, mixable.takeKeys());
            int rate = song.sampleRate();
            Path output = bounce.temporaryFile(".wav");
            MasterMeter meter = new MasterMeter(rate, 2);
            Mixer.Result result = bounce.mixdown(arrangement, takes,
                    meter.in(WavEncoder.create(output, rate, 2, WavEncoder.SampleFormat.PCM_24)),
                    Mixdowns.mixerOptions(tailSeconds, safety), bounce.progress(0.01, 0.94, "mixing"));
            String key = StorageKeys.projectAudio(projectId, "mixdown", "wav");
            Storage.StoredObject stored = bounce.store(key, output);
            long size = stored.size();
            boolean attached = bounce.attach(key, () -> db.asSystem(handle -> {
                Usage.chargeStorage(handle, key, size, job.userId(), projectId, true, Usage.AudioFacts.NONE);
                return new MixdownSql(handle).finishMixdownAsSystem(projectId, key);
            }));
            if (!attached) {
                throw new JobFailure("project_gone", "The project was deleted during the mixdown", false);
            }
            return safety.report(Json.MAPPER.createObjectNode()
                    .put("key", key)
                    .put("frames", result.framesWritten())
                    .put("passes", result.passes())
                    .put("sample_rate", rate)
                    .put("channels", 2)
                    .put("duration_seconds", (double) result.framesWritten() / rate)
                    .put("size_bytes", size)
                    .put("tracks", arrangement.tracks().size())
                    .put("clips", mixable.clips())
                    .put("tail_seconds", tailSeconds), meter.report());
        }
    }

    @Override
    public void onGiveUp(Job job, String status, String errorCode, String errorMessage) {
        db.asSystem(handle -> {
            MixdownSql sql = new MixdownSql(handle);
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
