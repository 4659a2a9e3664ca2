package studio.nexus.storage;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The only place storage keys are made. A key names its owner (project or transformation) and a fresh random id,
 * so no user input ever becomes part of a path, and two uploads never overwrite each other.
 */
public final class StorageKeys {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_.-]*)*");
    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,5}");

    private StorageKeys() {}

    /** {@code projects/<project>/<role>-<random>.<ext>}, e.g. role {@code original}, {@code processed}, {@code export}. */
    public static String projectAudio(UUID project, String role, String extension) {
        return "projects/" + project + "/" + word(role) + "-" + UUID.randomUUID() + "." + extension(extension);
    }

    /** {@code transformations/<id>/<role>-<random>.<ext>}. */
    public static String transformationFile(UUID transformation, String role, String extension) {
        return "transformations/" + transformation + "/" + word(role) + "-" + UUID.randomUUID() + "." + extension(extension);
    }

    /**
     * The peak file of a take: derived from the take's key, so it needs no reference of its own and goes when the
     * take's file goes (the storage sweeper keeps it exactly as long as it keeps the take).
     */
    public static String peaksOf(String audioKey) {
        return requireValid(audioKey) + PEAKS_SUFFIX;
    }

    /** What {@link #peaksOf} appends. */
    public static final String PEAKS_SUFFIX = ".peaks";

    /** Refuses anything that is not a key this class could have made (defence in depth for stored keys). */
    public static String requireValid(String key) {
        if (key == null || key.length() > 300 || key.contains("..") || !VALID.matcher(key).matches()) {
            throw new IllegalArgumentException("not a storage key: " + key);
        }
        return key;
    }

    private static String word(String role) {
        if (!role.matches("[a-z][a-z0-9_]{0,30}")) {
            throw new IllegalArgumentException("bad key role " + role);
        }
        return role;
    }

    private static String extension(String extension) {
        String lower = extension.toLowerCase(Locale.ROOT);
        if (!EXTENSION.matcher(lower).matches()) {
            throw new IllegalArgumentException("bad extension " + extension);
        }
        return lower;
    }

    /** The extension under which audio of a detected format is stored. */
    public static String audioExtension(String formatName) {
        return switch (formatName) {
            case "WAV", "RF64" -> "wav";
            case "AIFF", "AIFF-C" -> "aiff";
            case "FLAC" -> "flac";
            case "MP3" -> "mp3";
            case "Ogg Vorbis" -> "ogg";
            case "Ogg Opus" -> "opus";
            case "M4A" -> "m4a";
            case "AAC" -> "aac";
            default -> "bin";
        };
    }
}
