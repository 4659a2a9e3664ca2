package studio.nexus.mixdown;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.analysis.MasterMeter;
import studio.nexus.audio.effects.Chain;
import studio.nexus.audio.effects.Effect;
import studio.nexus.audio.effects.Spec;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.audio.mix.Arrangement;
import studio.nexus.audio.mix.Mixer;
import studio.nexus.audio.mix.Track;
import studio.nexus.audio.render.OfflineRenderer;
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
 * Exports a project's arrangement as stems: one 24-bit stereo WAV per track (after its chain, fader and pan, alone;
 * silence for a track that is not heard, so a muted track still gets its file), all from frame 0 and of one length,
 * made by the {@link Mixer} in one pass over the arrangement; then {@code mix.wav}, the stems' sum through the master
 * bus chain and the master fader (and the safety limiter when asked), measured while it is written; then a zip of them all
 * ({@link StemFiles}), stored under the project and charged to the requester while the job exists (its result names
 * the zip, V87), downloaded like an export. Thread-safe (no state).
 */
public final class StemsHandler implements JobHandler {
    public static final String KIND = "stems";
    static final String CONTENT_TYPE = "application/zip";

    private final Db db;
    private final Storage storage;

    public StemsHandler(Db db, Storage storage) {
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
            return sql.lockForReadingAsSystem(projectId) ? sql.songAsSystem(projectId).orElse(null) : null;
        });
        if (song == null) {
            throw new JobFailure("project_gone", "The project no longer exists", false);
        }
        Songs.Mixable mixable = Songs.of(projectId, song);
        Arrangement arrangement = mixable.arrangement();
        if (arrangement.lengthFrames() == 0) {
            throw new JobFailure("empty_arrangement", "The arrangement has no clips to export", false);
        }
        context.progress(0.01, "mixing stems");
        try (Bounce bounce = new Bounce(storage, context, "A take of the arrangement")) {
            StoredTakes takes = StoredTakes.fetch(bounce, mixable.takeKeys());
            int rate = song.sampleRate();
            List<Track> tracks = arrangement.tracks();
            List<StemFiles.Entry> entries = new ArrayList<>();
            List<Path> stems = new ArrayList<>();
            for (int i = 0; i < tracks.size(); i++) {
                Path file = bounce.temporaryFile(".wav");
                stems.add(file);
                entries.add(new StemFiles.Entry(StemFiles.stemName(i + 1, tracks.size(), tracks.get(i).name()), file));
            }
            Mixer.Result result = bounce.stems(arrangement, takes, encoders(stems, rate),
                    Mixer.Options.DEFAULT.withTail(tailSeconds),
                    bounce.progress(0.01, 0.74, "mixing stems"));

            Path mix = bounce.temporaryFile(".wav");
            entries.add(new StemFiles.Entry(StemFiles.MIX, mix));
            MasterMeter meter = new MasterMeter(rate, 2);
            bounce.render(() -> StemFiles.sum(stems), safety.master(new Chain(List.of(
                            arrangement.masterChain().instantiate(), new MasterFader(arrangement.masterGain())))),
                    meter.in(WavEncoder.create(mix, rate, 2, WavEncoder.SampleFormat.PCM_24)),
                    OfflineRenderer.Options.DEFAULT, bounce.progress(0.75, 0.12, "mixing"));

            Path zip = bounce.temporaryFile(".zip");
            StemFiles.zip(zip, entries, bounce.progress(0.87, 0.1, "packing"));
            String key = StorageKeys.projectAudio(projectId, "stems", "zip");
            Storage.StoredObject stored = bounce.store(key, zip);
            long size = stored.size();
            bounce.attach(key, () -> db.asSystem(handle -> Usage.chargeStorage(handle, key, size, job.userId(),
                    projectId, true, Usage.AudioFacts.NONE)));
            ObjectNode answer = Json.MAPPER.createObjectNode()
                    .put("key", key)
                    .put("content_type", CONTENT_TYPE)
                    .put("extension", "zip")
                    .put("size_bytes", size)
                    .put("frames", result.framesWritten())
                    .put("sample_rate", rate)
                    .put("channels", 2)
                    .put("duration_seconds", (double) result.framesWritten() / rate)
                    .put("tracks", tracks.size())
                    .put("clips", mixable.clips())
                    .put("tail_seconds", tailSeconds);
            ArrayNode files = answer.putArray("files");
            entries.forEach(entry -> files.add(entry.name()));
            return safety.report(answer, meter.report());
        }
    }

    /** One 24-bit stereo WAV writer per stem; those already opened are closed again if one cannot be. */
    private static List<AudioSink> encoders(List<Path> files, int rate) throws IOException {
        List<AudioSink> sinks = new ArrayList<>();
        try {
            for (Path file : files) {
                sinks.add(WavEncoder.create(file, rate, 2, WavEncoder.SampleFormat.PCM_24));
            }
            return sinks;
        } catch (IOException | RuntimeException e) {
            for (AudioSink sink : sinks) {
                try {
                    sink.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    /** The master fader after the master chain, as the mixer applies it to a mixdown: a fixed gain (0 for −∞). */
    private static final class MasterFader implements Effect {
        private final float gain;

        MasterFader(double gain) {
            this.gain = (float) gain;
        }

        @Override
        public void prepare(Spec spec) {}

        @Override
        public void process(float[][] channels, int offset, int frames) {
            if (gain == 1f) {
                return;
            }
            for (float[] x : channels) {
                for (int i = offset; i < offset + frames; i++) {
                    x[i] *= gain;
                }
            }
        }

        @Override
        public void reset() {}
    }
}
