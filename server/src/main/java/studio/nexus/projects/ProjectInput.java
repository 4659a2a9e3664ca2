package studio.nexus.projects;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import studio.nexus.web.JsonInput;

/**
 * A project's fields as a musician sends them, validated: title 1–200 characters, at most 20 tags of 1–40
 * characters (lower-cased, de-duplicated), metronome 60–200 BPM, settings as JSON objects of at most 64 KiB; on
 * a change, also whether listeners may comment ({@code comments_allowed}: the owner's choice, V95).
 */
record ProjectInput(
        Set<String> present,
        Optional<String> title,
        Optional<String> description,
        Optional<String> genre,
        Optional<List<String>> tags,
        Optional<Integer> metronomeBpm,
        Optional<ObjectNode> effectsSettings,
        Optional<ObjectNode> projectSettings,
        Optional<Boolean> isPublic,
        Optional<Boolean> commentsAllowed,
        Optional<String> status) {

    static final int MAX_SETTINGS_BYTES = 64 * 1024;
    private static final Set<String> STATUSES = Set.of("draft", "processing", "completed", "archived");

    static ProjectInput forCreate(JsonInput in) {
        return read(in, true);
    }

    static ProjectInput forUpdate(JsonInput in) {
        return read(in, false);
    }

    /** Whether it changes the project's settings (the part {@code settings_version} covers), not only its chain. */
    boolean changesSettings() {
        return title.isPresent() || has("description") || has("genre") || tags.isPresent() || metronomeBpm.isPresent()
                || projectSettings.isPresent() || isPublic.isPresent() || status.isPresent();
    }

    boolean has(String field) {
        return present.contains(field);
    }

    private static ProjectInput read(JsonInput in, boolean creating) {
        if (creating) {
            in.allowOnly("title", "description", "genre", "tags", "metronome_bpm", "effects_settings",
                    "project_settings", "is_public");
        } else {
            in.allowOnly("title", "description", "genre", "tags", "metronome_bpm", "effects_settings",
                    "project_settings", "is_public", "comments_allowed", "status");
        }
        Optional<String> title = in.text("title", 1, 200, creating).map(String::strip);
        if (title.isPresent() && title.get().isEmpty()) {
            in.reject("title", "must not be blank");
        }
        Optional<String> description = in.text("description", 0, 5000, false);
        Optional<String> genre = in.text("genre", 1, 50, false).map(String::strip);
        Optional<List<String>> tags = in.strings("tags", 20, 1, 40, false).map(ProjectInput::normalizeTags);
        tags.ifPresent(list -> {
            if (list.stream().anyMatch(String::isEmpty)) {
                in.reject("tags", "tags must not be blank");
            }
        });
        Optional<Integer> bpm = in.integer("metronome_bpm", 60, 200, false);
        Optional<ObjectNode> effects = in.object("effects_settings", MAX_SETTINGS_BYTES, false);
        Optional<ObjectNode> settings = in.object("project_settings", MAX_SETTINGS_BYTES, false);
        Optional<Boolean> isPublic = in.bool("is_public", false);
        Optional<Boolean> commentsAllowed = creating ? Optional.empty() : in.bool("comments_allowed", false);
        Optional<String> status = creating ? Optional.empty() : in.text("status", 1, 20, false);
        status.ifPresent(s -> {
            if (!STATUSES.contains(s)) {
                in.reject("status", "must be one of draft, completed, archived");
            }
        });
        in.done();
        Set<String> present = new LinkedHashSet<>();
        in.raw().fieldNames().forEachRemaining(present::add);
        return new ProjectInput(present, title, description, genre, tags, bpm, effects, settings, isPublic, commentsAllowed,
                status);
    }

    static List<String> normalizeTags(List<String> raw) {
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        for (String tag : raw) {
            tags.add(tag.strip().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(tags);
    }
}
