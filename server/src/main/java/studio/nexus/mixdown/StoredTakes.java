package studio.nexus.mixdown;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.decode.AudioFormatInfo;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.mix.TakeFormat;
import studio.nexus.audio.mix.TakeOpener;
import studio.nexus.bounce.Bounce;
import studio.nexus.jobs.JobFailure;

/**
 * The takes of an arrangement as the mixer opens them: each stored take is fetched as a local file through the job's
 * {@link Bounce} (held until it closes) and its format read from its header before mixing begins, so a missing or
 * undecodable take fails the job in words before any work; the mixer then decodes a take ({@link Decoders}) only
 * while one of its clips plays. Not thread-safe (the job's own thread).
 */
final class StoredTakes implements TakeOpener {
    private final Map<String, Path> files = new HashMap<>();
    private final Map<String, TakeFormat> formats = new HashMap<>();

    private StoredTakes() {}

    /** @param takeKeys the stored key of every take, by the id the arrangement's clips name it with */
    static StoredTakes fetch(Bounce bounce, Map<String, String> takeKeys) throws IOException, JobFailure {
        StoredTakes takes = new StoredTakes();
        for (Map.Entry<String, String> take : takeKeys.entrySet()) {
            Path file = bounce.source(take.getValue());
            AudioFormatInfo info = bounce.probe(file);
            takes.files.put(take.getKey(), file);
            takes.formats.put(take.getKey(), new TakeFormat(info.sampleRate(), info.channels(), info.lengthFrames()));
        }
        return takes;
    }

    @Override
    public TakeFormat format(String takeId) {
        return formats.get(takeId);
    }

    @Override
    public AudioSource open(String takeId) throws IOException {
        Path file = files.get(takeId);
        if (file == null) {
            throw new NoSuchFileException(takeId);
        }
        return Decoders.open(file);
    }
}
