package studio.nexus.transformations;

import studio.nexus.core.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.SqlStates;
import studio.nexus.projects.Projects;
import studio.nexus.storage.Storage;
import studio.nexus.storage.StorageKeys;
import studio.nexus.takes.Takes;
import studio.nexus.tracks.Tracks;
import studio.nexus.usage.Usage;
import studio.nexus.core.Json;
import studio.nexus.web.Paging;

/**
 * The transformations feature: presets, requests (as the user, through {@code request_transformation}), reading,
 * cancelling, rating, keeping the result as a project version. Thread-safe.
 */
public final class Transformations {
    private static final Logger log = LoggerFactory.getLogger(Transformations.class);
    static final int MAX_ATTEMPTS = 3;
    static final long MAX_KEEP_BYTES = 2L << 30;

    private final Db db;
    private final Usage usage;
    private final Storage storage;
    private final String defaultProvider;
    private final Runnable wakeWorkers;
    private final java.util.Set<String> providers;

    public Transformations(Db db, Usage usage, Storage storage, String defaultProvider, java.util.Set<String> providers,
                           Runnable wakeWorkers) {
        this.providers = java.util.Set.copyOf(providers);
        this.db = db;
        this.usage = usage;
        this.storage = storage;
        this.defaultProvider = defaultProvider;
        this.wakeWorkers = wakeWorkers;
    }

    public List<Preset> presets(Identity who) {
        return db.as(who, handle -> new TransformationSql(handle).presets());
    }

    /** The new transformation and its job, created and its limit consumed in one transaction as the user. */
    public Transformation request(Identity who, UUID project, UUID preset, String type, ObjectNode parameters) {
        UUID user = who.requireUserId();
        try {
            Transformation created = db.as(who, handle -> {
                TransformationSql store = new TransformationSql(handle);
                TransformationSql.Requested requested = store.request(project, preset, type, parameters,
                        defaultProvider, MAX_ATTEMPTS);
                Transformation row = store.find(requested.transformationId()).orElseThrow();
                if (!providers.contains(row.provider())) {
                    // rolls the request back: nothing is queued or counted for a provider this server lacks
                    throw Failure.busy("provider_unavailable", "Provider unavailable",
                            "This preset runs on " + row.provider() + ", which is not configured on this server", -1);
                }
                usage.consume(handle, user, "ai_transformations", BigDecimal.ONE, requested.transformationId());
                return row;
            });
            wakeWorkers.run();
            return created;
        } catch (RuntimeException e) {
            String hint = SqlStates.hint(e);
            if (SqlStates.is(e, SqlStates.NO_DATA_FOUND)) {
                throw Failure.notFound("preset".equals(hint) ? "Preset" : "Project");
            }
            if (SqlStates.is(e, SqlStates.NOT_IN_PREREQUISITE_STATE) && "no_audio".equals(hint)) {
                throw Failure.conflict("no_audio", "The project has no audio yet; upload or record some first");
            }
            if (SqlStates.is(e, SqlStates.INSUFFICIENT_PRIVILEGE) && "premium_preset".equals(hint)) {
                throw Failure.of(Failure.Kind.FORBIDDEN, "premium_preset", "Premium preset",
                        "This preset is for pro and enterprise plans");
            }
            if (SqlStates.is(e, SqlStates.INSUFFICIENT_PRIVILEGE)) {
                throw Failure.forbidden("Only the project's owner and editors request transformations");
            }
            throw e;
        }
    }

    public Transformation get(Identity who, UUID id) {
        return db.as(who, handle -> new TransformationSql(handle).find(id))
                .orElseThrow(() -> Failure.notFound("Transformation"));
    }

    public Paging.Page<Transformation> list(Identity who, UUID project, Paging.Request page) {
        return db.as(who, handle -> {
            TransformationSql store = new TransformationSql(handle);
            if (project != null && store.projectAccess(project).isEmpty()) {
                throw Failure.notFound("Project");
            }
            List<Transformation> rows = store.list(who.requireUserId(), project, page.after(), page.limit());
            return Paging.page(rows, page.limit(), t -> Json.MAPPER.createObjectNode()
                    .put("created_at", t.createdAt().toString()).put("id", t.id().toString()));
        });
    }

    public Transformation cancel(Identity who, UUID id) {
        return db.as(who, handle -> {
            TransformationSql store = new TransformationSql(handle);
            Transformation current = store.find(id).orElseThrow(() -> Failure.notFound("Transformation"));
            if (!store.cancel(id)) {
                throw Failure.conflict("not_cancellable", "The transformation already ended " + current.status());
            }
            return store.find(id).orElseThrow();
        });
    }

    public Transformation rate(Identity who, UUID id, int rating, String feedback) {
        return db.as(who, handle -> {
            TransformationSql store = new TransformationSql(handle);
            Transformation current = store.find(id).orElseThrow(() -> Failure.notFound("Transformation"));
            if (!store.rate(id, rating, feedback)) {
                throw Failure.conflict("not_completed", "Only a completed transformation can be rated; this one is "
                        + current.status());
            }
            return store.find(id).orElseThrow();
        });
    }

    /** The storage key of a transformation's audio or MIDI; 410 once expired, 409 before it exists. */
    public String fileKey(Identity who, UUID id, boolean midi) {
        Transformation t = get(who, id);
        if (t.expiredAt() != null) {
            throw Failure.gone("expired", "The transformation's output expired at " + t.expiresAt()
                    + " and was deleted");
        }
        String key = midi ? t.outputMidiPath() : t.outputAudioPath();
        if (key == null) {
            if (t.status().equals("completed")) {
                throw Failure.notFound(midi ? "MIDI arrangement" : "Audio");
            }
            throw Failure.conflict("not_completed", "The transformation is " + t.status());
        }
        return key;
    }

    public Storage storage() {
        return storage;
    }

    /**
     * Keeps a completed transformation: copies its audio under {@code projects/<id>/} (V3's audio-path guard), makes
     * it the project's audio and snapshots a version, as the user (owner or editor), like a restore. The copy is
     * charged to the keeper (refused past their plan's storage) and brings its length, rate, channels and waveform
     * (V83). When the project's current audio is in no version yet, it is snapshotted first so nothing is lost.
     */
    public JsonNode keep(Identity who, UUID id) {
        Transformation t = get(who, id);
        String source = fileKey(who, id, false);
        boolean mayEdit = db.as(who, handle -> new TransformationSql(handle).mayEdit(t.projectId()))
                .orElseThrow(() -> Failure.notFound("Project"));
        if (!mayEdit) {
            throw Failure.forbidden("Only the project's owner and editors keep a transformation");
        }
        String extension = source.substring(source.lastIndexOf('.') + 1);
        String copy = StorageKeys.projectAudio(t.projectId(), "transformation", extension);
        long size;
        Usage.AudioFacts facts;
        try (InputStream in = storage.open(source, 0)) {
            size = storage.put(copy, in, MAX_KEEP_BYTES).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            facts = Takes.describe(storage, copy);
        } catch (IOException e) {
            log.warn("kept transformation {} is not audio we can read; its length stays unknown", id, e);
            facts = Usage.AudioFacts.NONE;
        }
        Usage.AudioFacts keptFacts = facts;
        UUID me = who.requireUserId();
        try {
            return db.as(who, handle -> {
                Usage.chargeStorage(handle, copy, Takes.withPeaks(storage, copy, size), me, t.projectId(), true,
                        keptFacts);
                return Projects.replaceTakeKeepingHistory(handle, t.projectId(), copy,
                                "Before AI transformation", "Saved automatically before keeping a transformation",
                                "AI " + t.transformationType(), "Kept from transformation " + t.id())
                        .orElseThrow(() -> Failure.forbidden("Only the project's owner and editors keep a transformation"));
            });
        } catch (RuntimeException e) {
            try {
                storage.delete(copy);
            } catch (IOException cleanup) {
                log.warn("could not delete {} after a failed keep", copy, cleanup);
            }
            if (SqlStates.is(e, SqlStates.INSUFFICIENT_PRIVILEGE)) {
                throw Failure.forbidden("Only the project's owner and editors keep a transformation");
            }
            throw e;
        }
    }
    /** A part kept as a track: its name on the track and in the pool, and a colour by instrument. */
    private record Kept(String role, String source, String copy) {}

    /**
     * Adds a completed transformation to its project as new tracks under the others ("AI plays along"): one track
     * per instrument when the result has parts (the local arranger's strings, bass, drums, keys …), else one track
     * of the whole result. Each part is copied under {@code projects/<id>/}, joins the take pool charged to the
     * caller (refused past their plan's storage) and plays from where the transformed take starts on the timeline.
     * One transaction as the caller (owner or editor); on any failure nothing stays behind.
     */
    public List<JsonNode> addAsTracks(Identity who, UUID id) {
        Transformation t = get(who, id);
        String whole = fileKey(who, id, false);
        UUID me = who.requireUserId();
        boolean mayEdit = db.as(who, handle -> new TransformationSql(handle).mayEdit(t.projectId()))
                .orElseThrow(() -> Failure.notFound("Project"));
        if (!mayEdit) {
            throw Failure.forbidden("Only the project's owner and editors add a transformation's tracks");
        }
        List<TransformationSql.PartKey> parts = db.as(who, handle -> new TransformationSql(handle).parts(id));
        if (parts.isEmpty()) {
            parts = List.of(new TransformationSql.PartKey(t.transformationType(), whole));
        }
        List<Kept> kept = new java.util.ArrayList<>();
        java.util.Map<String, Usage.AudioFacts> facts = new java.util.HashMap<>();
        java.util.Map<String, Long> sizes = new java.util.HashMap<>();
        try {
            for (TransformationSql.PartKey part : parts) {
                String extension = part.key().substring(part.key().lastIndexOf('.') + 1);
                String copy = StorageKeys.projectAudio(t.projectId(), "ai_" + keyWord(part.role()), extension);
                try (InputStream in = storage.open(part.key(), 0)) {
                    sizes.put(copy, storage.put(copy, in, MAX_KEEP_BYTES).size());
                }
                kept.add(new Kept(part.role(), part.key(), copy));
                facts.put(copy, Takes.describe(storage, copy));
            }
            return db.as(who, handle -> {
                long start = Tracks.firstStartOf(handle, t.projectId(), t.inputAudioPath());
                List<JsonNode> tracks = new java.util.ArrayList<>();
                for (Kept part : kept) {
                    Usage.chargeStorage(handle, part.copy(), Takes.withPeaks(storage, part.copy(),
                            sizes.get(part.copy())), me, t.projectId(), true, facts.get(part.copy()));
                    String name = "AI " + instrument(part.role());
                    Takes.addToPool(handle, t.projectId(), part.copy(), name, me);
                    tracks.add(Json.MAPPER.valueToTree(Tracks.addTrackPlaying(handle, t.projectId(), name,
                            colourOf(part.role()), part.copy(), start)));
                }
                return tracks;
            });
        } catch (IOException e) {
            deleteCopies(kept);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteCopies(kept);
            if (SqlStates.is(e, SqlStates.INSUFFICIENT_PRIVILEGE)) {
                throw Failure.forbidden("Only the project's owner and editors add a transformation's tracks");
            }
            throw e;
        }
    }

    /** A role as a word a storage key may hold. */
    private static String keyWord(String role) {
        String word = role.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return word.substring(0, Math.min(word.length(), 24));
    }

    /** A part's role in a musician's words. */
    static String instrument(String role) {
        return switch (role) {
            case "melody" -> "lead";
            case "doubling" -> "doubling";
            case "rhythm" -> "rhythm";
            case "harmony" -> "chords";
            case "bass" -> "bass";
            case "drums" -> "drums";
            default -> role.replace('_', ' ');
        };
    }

    private static String colourOf(String role) {
        return switch (role) {
            case "melody" -> "#e0a030";
            case "doubling" -> "#c0d040";
            case "rhythm" -> "#40c0a0";
            case "harmony" -> "#a070e0";
            case "bass" -> "#e05050";
            case "drums" -> "#50a0e0";
            default -> "#4f8cff";
        };
    }

    private void deleteCopies(List<Kept> kept) {
        for (Kept part : kept) {
            for (String key : List.of(part.copy(), StorageKeys.peaksOf(part.copy()))) {
                try {
                    storage.delete(key);
                } catch (IOException cleanup) {
                    log.warn("could not delete {} after failing to add tracks; the sweeper will", key, cleanup);
                }
            }
        }
    }
}
