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
}
