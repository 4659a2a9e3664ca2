package studio.nexus.mixdown;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.decode.AudioDecodeException;
import studio.nexus.audio.effects.ChainDefinition;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.effects.InvalidEffectChainException;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.audio.mix.Arrangement;
import studio.nexus.audio.mix.Clip;
import studio.nexus.audio.mix.Mixer;
import studio.nexus.audio.mix.TakeFormat;
import studio.nexus.audio.mix.TakeFormatException;
import studio.nexus.audio.mix.Track;
import studio.nexus.audio.render.OfflineRenderer;
import studio.nexus.audio.render.RenderCancelledException;
import studio.nexus.core.Failure;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.jobs.JobFailure;
import studio.nexus.storage.Storage;

/**
 * A track's preview: its clips through its effects chain, before its fader and pan (the browser plays those, and
 * mute and solo, live), from timeline frame 0 to the end of its last clip, as a 16-bit WAV at the song's rate, mono
 * for a track of mono takes and stereo otherwise (the channels the mixer processes the track in, so the browser's
 * panner applies the same law as the mixdown). Rendered on request by the mixdown's own engine: the track alone in an
 * {@link Arrangement} with no master chain, at 0 dB, through {@link Mixer#mixdown}, so what the browser plays is what
 * the mixdown mixes. Pre-pan falls out of the documented pan law exactly: a stereo track in the centre passes both
 * sides untouched, a mono track hard left puts all of it, times exactly 1, on the left (which is the one channel
 * written). Streamed while it renders (memory is the mixer's few blocks per track and the encoder's buffer, whatever
 * the length); nothing is stored.
 *
 * <p>Who may hear it is the database's answer: the project, the track and its clips are read in the caller's
 * transaction (whoever sees the project sees its arrangement, V85), the stored takes after it. The strong ETag is a
 * digest of what decides the sound (the engine's version, the song's rate, the track's chain as stored, each clip
 * with its take's key, which names one stored object for good), so an unchanged track answers 304 without
 * rendering. A track without clips has nothing to play: 404 {@code empty_track}. At most {@code renders} previews
 * render at once in this process; another is told 503 {@code busy} with Retry-After at once. Thread-safe.
 */
public final class TrackPreviews {
    private static final Logger log = LoggerFactory.getLogger(TrackPreviews.class);
    public static final int DEFAULT_RENDERS = 2;
    public static final String CONTENT_TYPE = "audio/wav";
    /** Part of every ETag: change it whenever the engine's sound changes, so no stale preview is reused. */
    static final String ENGINE = "track-preview/1";
    static final long RETRY_AFTER_SECONDS = 1;
    private static final ChainDefinition NO_CHAIN = noChain();

    private final Db db;
    private final Storage storage;
    private final Semaphore renders;

    /** @param renders previews this process renders at once, at least 1 */
    public TrackPreviews(Db db, Storage storage, int renders) {
        if (renders < 1) {
            throw new IllegalArgumentException("renders must be at least 1");
        }
        this.db = db;
        this.storage = storage;
        this.renders = new Semaphore(renders);
    }

    /**
     * What a preview will play, read as the caller: the track (its chain and clips) at the song's rate, the stored
     * key of every take, and the ETag of the sound.
     */
    public record Preview(String etag, int sampleRate, Track track, Map<String, String> takeKeys) {}

    /** Where the rendered preview goes: asked for once the first samples are ready, with the answer's length. */
    @FunctionalInterface
    public interface Answer {
        OutputStream start(long contentLength) throws IOException;
    }

    /**
     * The preview of {@code trackId}, as far as the caller may know it: 404 for a project they cannot see, a track
     * that is not the project's, or a track without clips; 422 for a chain or clips the engine cannot play.
     */
    public Preview preview(Identity who, UUID projectId, UUID trackId) {
        record Read(MixdownSql.PreviewTrack track, List<MixdownSql.ClipRow> clips) {}
        Read read = db.as(who, handle -> {
            MixdownSql sql = new MixdownSql(handle);
            MixdownSql.PreviewTrack track = sql.previewTrack(projectId, trackId)
                    .orElseThrow(() -> Failure.notFound("Project"));
            if (track.trackId() == null) {
                throw Failure.notFound("Track");
            }
            return new Read(track, sql.clipsOf(projectId, trackId));
        });
        if (read.clips().isEmpty()) {
            throw Failure.of(Failure.Kind.NOT_FOUND, "empty_track", "Nothing to play",
                    "This track has no clips, so it has no sound to preview");
        }
        MixdownSql.PreviewTrack track = read.track();
        JsonNode chain = track.effectsChain() == null ? JsonNodeFactory.instance.arrayNode() : track.effectsChain();
        // the mixdown's own reading of a song, of this one track at 0 dB in the centre (its pan is set when the
        // takes' channels are known)
        MixdownSql.Song song = new MixdownSql.Song(track.sampleRate(), JsonNodeFactory.instance.objectNode(), 0.0,
                List.of(new MixdownSql.TrackRow(trackId, track.name(), 0, 0.0, 0, false, false, chain)),
                read.clips());
        Songs.Mixable mixable;
        try {
            mixable = Songs.of(projectId, song);
        } catch (JobFailure e) {
            throw Failure.unprocessable(e.code(), e.getMessage());
        }
        return new Preview(etag(track.sampleRate(), chain, read.clips()), track.sampleRate(),
                mixable.arrangement().tracks().get(0), mixable.takeKeys());
    }

    /**
     * Renders {@code preview} into the stream {@code answer} gives, as it renders. Refused with 503 when as many
     * previews as allowed are rendering; a take missing from storage or that no longer decodes is 422
     * {@code take_unplayable}, said before anything is sent. Once samples flow, a failure can only cut the answer
     * short (its Content-Length tells the client); a client that goes away ends the render quietly.
     */
    public void render(Preview preview, Answer answer) throws IOException {
        if (!renders.tryAcquire()) {
            throw Failure.busy("busy", "Busy", "The server is rendering as many track previews as it can; try again",
                    RETRY_AFTER_SECONDS).with(Map.of("retry_after_seconds", RETRY_AFTER_SECONDS));
        }
        StreamedWav sink = null;
        try (StoredTakes takes = StoredTakes.open(storage, preview.takeKeys())) {
            Track track = preview.track();
            int channels = 1;
            for (Clip clip : track.clips()) {
                TakeFormat format = takes.format(clip.takeId());
                if (format != null && format.channels() > 1) {
                    channels = 2;
                }
            }
            // pre-fader, pre-pan: 0 dB; a stereo track in the centre is passed as it is, a mono one hard left is
            // exactly its samples on the left (the pan law of audio/mix), the one channel written
            Track alone = new Track(track.id(), track.name(), 0.0, channels == 1 ? -1 : 0, false, false,
                    track.chain(), track.clips());
            Arrangement arrangement = new Arrangement(preview.sampleRate(), List.of(alone), NO_CHAIN, 0.0);
            sink = new StreamedWav(answer, preview.sampleRate(), channels, arrangement.lengthFrames());
            Mixer.mixdown(arrangement, takes, sink, Mixer.Options.DEFAULT, OfflineRenderer.ProgressListener.NONE,
                    () -> false);
        } catch (IOException | RuntimeException | RenderCancelledException e) {
            if (sink == null || !sink.begun()) {
                throw refusal(e);
            }
            // the answer had begun: all that is left is to end it, short of its length (so the client knows)
            if (sink.clientGone()) {
                log.debug("a track preview's client went away: {}", e.toString());
            } else {
                log.warn("a track preview failed after it had begun; its answer is cut short", e);
            }
        } finally {
            renders.release();
        }
    }

    /** How a failure before any sample was sent is answered. */
    private static RuntimeException refusal(Exception e) throws IOException {
        if (e instanceof NoSuchFileException) {
            return unplayable("A take of this track is missing from storage");
        }
        if (e instanceof AudioDecodeException) {
            return unplayable("A take of this track no longer decodes: " + e.getMessage());
        }
        if (e instanceof TakeFormatException) {
            return unplayable(e.getMessage());
        }
        if (e instanceof RenderCancelledException) {
            Thread.currentThread().interrupt();
            return Failure.busy("busy", "Busy", "The server is stopping; try again", RETRY_AFTER_SECONDS);
        }
        if (e instanceof IOException io) {
            throw io;
        }
        return (RuntimeException) e;
    }

    private static Failure unplayable(String detail) {
        return Failure.unprocessable("take_unplayable", detail);
    }

    /** The strong ETag of what decides the sound: a digest, never the data itself. */
    static String etag(int sampleRate, JsonNode chain, List<MixdownSql.ClipRow> clips) {
        StringBuilder text = new StringBuilder(ENGINE).append('\n').append(sampleRate).append('\n')
                .append(chain).append('\n');
        for (MixdownSql.ClipRow c : clips) {
            text.append(c.takeKey()).append(' ').append(c.startFrame()).append(' ').append(c.offsetFrames())
                    .append(' ').append(c.lengthFrames()).append(' ').append(c.gainDb()).append(' ')
                    .append(c.fadeInFrames()).append(' ').append(c.fadeOutFrames()).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return "\"tp-" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static ChainDefinition noChain() {
        try {
            return EffectChainParser.parse(JsonNodeFactory.instance.arrayNode());
        } catch (InvalidEffectChainException e) {
            throw new IllegalStateException("an empty chain is valid", e);
        }
    }

    /**
     * The mixer's stereo output as a 16-bit WAV of {@code channels} (the left alone for a mono track), announced
     * with its exact length. The answer starts at the first samples, so whatever fails before them (a take that
     * does not open) is still answered in words; a render broken off after them is not finished with silence.
     * Dither is the encoder's fixed-seed TPDF: the same sound gives the same bytes, as a strong ETag promises.
     */
    private static final class StreamedWav implements AudioSink {
        private final Answer answer;
        private final int sampleRate;
        private final int channels;
        private final long frames;
        private final float[][] view;
        private ClientStream client;
        private WavEncoder wav;
        private long written;

        StreamedWav(Answer answer, int sampleRate, int channels, long frames) {
            this.answer = answer;
            this.sampleRate = sampleRate;
            this.channels = channels;
            this.frames = frames;
            this.view = new float[channels][];
        }

        /** Whether the answer has begun (its status and headers may be sent). */
        boolean begun() {
            return client != null;
        }

        /** Whether writing to the client failed: it went away. */
        boolean clientGone() {
            return client != null && client.failed;
        }

        @Override
        public void write(float[][] buffer, int count) throws IOException {
            if (wav == null) {
                client = new ClientStream(answer.start(headerBytes(sampleRate, channels) + frames * channels * 2));
                wav = WavEncoder.create(client, sampleRate, channels, WavEncoder.SampleFormat.PCM_16, true, frames);
            }
            System.arraycopy(buffer, 0, view, 0, channels);
            wav.write(view, count);
            written += count;
        }

        @Override
        public void close() throws IOException {
            if (wav != null && written == frames) {
                wav.close();
            }
            // never begun, or broken off: nothing more is sent (no silence to make up the length)
        }

        /** The size of the header {@link WavEncoder} writes for a streamed 16-bit PCM WAV of this shape. */
        private static long headerBytes(int sampleRate, int channels) throws IOException {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            WavEncoder.create(header, sampleRate, channels, WavEncoder.SampleFormat.PCM_16, false, 0).close();
            return header.size();
        }
    }

    /** The answer's stream, remembering whether writing to it failed (the client went away). */
    private static final class ClientStream extends FilterOutputStream {
        boolean failed;

        ClientStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }
}
