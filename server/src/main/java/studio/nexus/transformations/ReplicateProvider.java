package studio.nexus.transformations;

import studio.nexus.audio.Decimation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.audio.decode.AudioDecodeException;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.db.Db;
import studio.nexus.jobs.JobContext;
import studio.nexus.jobs.JobFailure;
import studio.nexus.storage.Storage;
import studio.nexus.core.Json;

/**
 * MusicGen (melody conditioning) on Replicate. Creates a prediction with the project's audio as {@code input_audio}
 * (a {@code data:} URI of a mono 16-bit ~11 kHz WAV of at most the requested duration, ≤ 30 s, under 1 MB, so no
 * public URL of our storage is needed), records its id on the transformation, then waits: heartbeats, reads the row for an outcome a
 * webhook recorded ({@link ReplicateWebhookRoutes}), and polls {@code GET /v1/predictions/{id}} with exponential backoff
 * as the fallback. A succeeded prediction's output is copied into our storage at once (Replicate deletes it after an
 * hour). Our cancel cancels the prediction. A retried job resumes a prediction that is still running. Thread-safe.
 */
public final class ReplicateProvider implements TransformationProvider {
    private static final Logger log = LoggerFactory.getLogger(ReplicateProvider.class);
    /** meta/musicgen, pinned so a new upload by its authors cannot change what our presets produce. */
    public static final String MUSICGEN_VERSION = "671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb";
    static final Set<String> MODEL_VERSIONS = Set.of("stereo-melody-large", "melody-large");
    static final long MAX_OUTPUT_BYTES = 200L << 20;
    static final int MAX_TRANSIENT_ERRORS = 8;

    private final Db db;
    private final Storage storage;
    private final ReplicateClient client;
    private final String webhookUrl;
    private final String version;
    private final Duration deadline;
    private final Duration firstPoll;
    private final Duration maxPoll;
    private final Clock clock;
    private final ConcurrentHashMap<UUID, Semaphore> waiting = new ConcurrentHashMap<>();

    /** {@code webhookUrl} null = polling only. */
    public ReplicateProvider(Db db, Storage storage, ReplicateClient client, String webhookUrl, String version,
                             Duration deadline, Duration firstPoll, Duration maxPoll, Clock clock) {
        this.db = db;
        this.storage = storage;
        this.client = client;
        this.webhookUrl = webhookUrl;
        this.version = version;
        this.deadline = deadline;
        this.firstPoll = firstPoll;
        this.maxPoll = maxPoll;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "replicate";
    }

    /** A webhook recorded an outcome for this transformation: its waiting handler (in this process) looks now. */
    void wake(UUID transformation) {
        Semaphore semaphore = waiting.get(transformation);
        if (semaphore != null) {
            semaphore.release();
        }
    }

    @Override
    public Output transform(Request request, JobContext context) throws Exception {
        UUID id = request.transformationId();
        Semaphore wakeUp = waiting.computeIfAbsent(id, ignored -> new Semaphore(0));
        try {
            return await(request, context, wakeUp);
        } finally {
            waiting.remove(id, wakeUp);
        }
    }

    private Output await(Request request, JobContext context, Semaphore wakeUp) throws Exception {
        UUID id = request.transformationId();
        TransformationSql.ProviderState state = state(id);
        String modelVersion = modelVersion(request.parameters());
        if (state.predictionId() != null && "succeeded".equals(state.providerStatus())
                && state.providerOutputPath() != null) {
            return stored(state.providerOutputPath(), modelVersion);
        }
        boolean resumable = state.predictionId() != null && state.providerStatus() != null
                && Set.of("starting", "processing").contains(state.providerStatus());
        final String predictionId = resumable ? state.predictionId() : create(request, context, modelVersion);
        Instant started = clock.instant();
        Duration pollDelay = firstPoll;
        Instant nextPoll = started.plus(firstPoll);
        int errors = 0;
        boolean providerCancelled = false;
        try {
            while (true) {
                Duration elapsed = Duration.between(started, clock.instant());
                context.progress(0.1 + 0.8 * elapsed.toMillis() / (elapsed.toMillis() + 60_000.0),
                        "generating on Replicate");
                state = state(id);
                if (state.status().equals("cancelled")) {
                    throw new JobContext.JobStopped("cancelled");
                }
                if (predictionId.equals(state.predictionId()) && state.providerOutputPath() != null) {
                    return stored(state.providerOutputPath(), modelVersion);   // a webhook copied it already
                }
                if (predictionId.equals(state.predictionId()) && state.providerStatus() != null
                        && Set.of("failed", "canceled", "aborted").contains(state.providerStatus())) {
                    nextPoll = clock.instant();   // a webhook said it ended: ask for the details now
                }
                if (!clock.instant().isBefore(nextPoll)) {
                    try {
                        ReplicateClient.Prediction p = client.get(predictionId);
                        errors = 0;
                        switch (p.status()) {
                            case "succeeded" -> {
                                String key = download(id, p);
                                db.asSystem(h -> new TransformationSql(h).recordProviderOutcome(
                                        predictionId, "succeeded", key));
                                return stored(key, modelVersion);
                            }
                            case "failed" -> {
                                record(predictionId, "failed");
                                throw new JobFailure("provider_failed", "Replicate: " + (p.error() == null
                                        ? "the prediction failed" : p.error()), true);
                            }
                            case "canceled", "aborted" -> {
                                record(predictionId, p.status());
                                providerCancelled = true;
                                if (!elapsed.minus(deadline).isNegative()) {
                                    throw new JobFailure("provider_timeout", "Replicate gave up after "
                                            + deadline.toMinutes() + " minutes", true);
                                }
                                throw new JobContext.JobStopped("cancelled");
                            }
                            default -> {
                                if (!p.status().equals(state.providerStatus())) {
                                    record(predictionId, p.status());
                                }
                            }
                        }
                        pollDelay = min(pollDelay.multipliedBy(2), maxPoll);
                        nextPoll = clock.instant().plus(pollDelay);
                    } catch (ReplicateClient.ProviderError e) {
                        if (e.auth()) {
                            throw new JobFailure("provider_auth", "Replicate refused our token (" + e.status + ")", false);
                        }
                        if (!e.transientFailure() || ++errors > MAX_TRANSIENT_ERRORS) {
                            throw new JobFailure("provider_unavailable", e.getMessage(), true);
                        }
                        Duration wait = e.retryAfter != null ? min(e.retryAfter, Duration.ofMinutes(2))
                                : min(firstPoll.multipliedBy(1L << Math.min(errors, 6)), maxPoll);
                        log.info("Replicate answered {} for prediction {}; asking again in {} ms", e.status,
                                predictionId, wait.toMillis());
                        nextPoll = clock.instant().plus(wait);
                    }
                }
                if (elapsed.compareTo(deadline.plus(Duration.ofMinutes(2))) > 0) {
                    cancelQuietly(predictionId);
                    throw new JobFailure("provider_timeout", "Replicate did not finish in " + deadline.toMinutes()
                            + " minutes", true);
                }
                long sleep = Math.max(10, Math.min(500, Duration.between(clock.instant(), nextPoll).toMillis()));
                if (wakeUp.tryAcquire(sleep, TimeUnit.MILLISECONDS)) {
                    wakeUp.drainPermits();
                }
            }
        } catch (JobContext.JobStopped stopped) {
            if (stopped.reason().equals("cancelled") && !providerCancelled) {
                cancelQuietly(predictionId);
            }
            throw stopped;
        }
    }

    private String create(Request request, JobContext context, String modelVersion) throws Exception {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("version", version);
        ObjectNode input = body.putObject("input");
        JsonNode p = request.parameters();
        int duration = Math.max(1, Math.min(30, p.path("duration").asInt(30)));
        input.put("model_version", modelVersion);
        input.put("input_audio", inputAudio(request.input(), duration));
        input.put("prompt", prompt(request));
        input.put("duration", duration);
        input.put("output_format", "wav");
        if (webhookUrl != null) {
            body.put("webhook", webhookUrl);
            body.putArray("webhook_events_filter").add("completed");
        }
        context.progress(0.05, "sending to Replicate");
        String cancelAfter = deadline.toMinutes() + "m";
        for (int attempt = 1; ; attempt++) {
            try {
                ReplicateClient.Prediction created = client.create(body, cancelAfter);
                if (created.id() == null || !created.id().matches("[A-Za-z0-9_-]{1,100}")) {
                    throw new JobFailure("provider_unavailable", "Replicate answered no prediction id", true);
                }
                String status = created.status().isEmpty() ? "starting" : created.status();
                db.asSystem(h -> {
                    new TransformationSql(h).recordPrediction(request.transformationId(), created.id(), status);
                    return null;
                });
                return created.id();
            } catch (ReplicateClient.ProviderError e) {
                if (e.auth()) {
                    throw new JobFailure("provider_auth", "Replicate refused our token (" + e.status + ")", false);
                }
                if (!e.transientFailure()) {
                    throw new JobFailure("provider_rejected", e.getMessage(), false);
                }
                if (attempt >= 4) {
                    throw new JobFailure("provider_unavailable", e.getMessage(), true);
                }
                Duration wait = e.retryAfter != null ? min(e.retryAfter, Duration.ofMinutes(2))
                        : min(firstPoll.multipliedBy(1L << attempt), maxPoll);
                log.info("Replicate answered {} to a new prediction; trying again in {} ms", e.status, wait.toMillis());
                sleep(context, wait);
            }
        }
    }

    private String download(UUID id, ReplicateClient.Prediction p) throws JobFailure, InterruptedException {
        String url = p.outputUrl();
        if (url == null) {
            throw new JobFailure("provider_failed", "Replicate's prediction succeeded without an output file", true);
        }
        try {
            return client.download(url, storage, id, MAX_OUTPUT_BYTES);
        } catch (ReplicateClient.ProviderError e) {
            throw new JobFailure(e.transientFailure() ? "provider_unavailable" : "provider_failed", e.getMessage(),
                    true);
        }
    }

    private void sleep(JobContext context, Duration wait) throws JobContext.JobStopped, InterruptedException {
        Instant until = clock.instant().plus(wait);
        while (clock.instant().isBefore(until)) {
            context.progress(0.05, "waiting for Replicate");
            Thread.sleep(Math.max(1, Math.min(500, Duration.between(clock.instant(), until).toMillis())));
        }
    }

    private void record(String predictionId, String status) {
        db.asSystem(h -> new TransformationSql(h).recordProviderOutcome(predictionId, status, null));
    }

    private void cancelQuietly(String predictionId) {
        try {
            client.cancel(predictionId);
            record(predictionId, "canceled");
        } catch (ReplicateClient.ProviderError | RuntimeException e) {
            log.warn("could not cancel Replicate prediction {}: {}", predictionId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private TransformationProvider.Output stored(String key, String modelVersion) {
        return new Output(null, null, null, key, "replicate:meta/musicgen:" + modelVersion + "@"
                + version.substring(0, Math.min(12, version.length())), null);
    }

    private TransformationSql.ProviderState state(UUID id) throws JobFailure {
        return db.asSystem(h -> new TransformationSql(h).providerState(id))
                .orElseThrow(() -> new JobFailure("transformation_missing", "The transformation was deleted", false));
    }

    static String modelVersion(JsonNode parameters) throws JobFailure {
        String model = parameters.path("model_version").asText("stereo-melody-large");
        if (!MODEL_VERSIONS.contains(model)) {
            throw new JobFailure("invalid_parameters", "model_version must be one of " + MODEL_VERSIONS, false);
        }
        return model;
    }

    static String prompt(Request request) {
        String prompt = request.parameters().path("prompt").asText("");
        if (prompt.isBlank()) {
            prompt = request.parameters().path("style").asText(request.transformationType()).replace('_', ' ')
                    + " arrangement of the melody";
        }
        return prompt.length() > 1000 ? prompt.substring(0, 1000) : prompt;
    }

    /**
     * The first {@code seconds} of the input as a {@code data:} URI of a mono 16-bit WAV decimated to about 11 kHz
     * (melody conditioning needs the tune, not the air): 30 s is about 0.66 MB, 0.9 MB as base64, under the 1 MB
     * Replicate recommends for data URIs.
     */
    static String inputAudio(Path source, int seconds) throws Exception {
        float[] mono;
        double rate;
        try (DecodedAudio in = Decoders.open(source)) {
            rate = in.sampleRate();
            int max = (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(seconds * rate));
            int channels = in.channels();
            float[][] buffer = new float[channels][8192];
            mono = new float[Math.min(max, 1 << 16)];
            int frames = 0;
            int n;
            while (frames < max && (n = in.read(buffer, 8192)) > 0) {
                int take = Math.min(n, max - frames);
                if (frames + take > mono.length) {
                    mono = java.util.Arrays.copyOf(mono, Math.min(max, Math.max(frames + take, mono.length * 2)));
                }
                for (int i = 0; i < take; i++) {
                    float sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += buffer[c][i];
                    }
                    mono[frames + i] = sum / channels;
                }
                frames += take;
            }
            mono = java.util.Arrays.copyOf(mono, frames);
        } catch (AudioDecodeException e) {
            throw new JobFailure("decode_failed", "The project's audio could not be decoded: " + e.getMessage(), false);
        }
        if (mono.length == 0) {
            throw new JobFailure("input_too_short", "The project's audio is empty", false);
        }
        int factor = Math.max(1, (int) Math.floor(rate / 11025.0));
        float[] x = factor == 1 ? mono : Decimation.decimate(mono, factor);
        Path wav = Files.createTempFile("replicate-input", ".wav");
        try {
            try (var sink = WavEncoder.create(wav, (int) Math.round(rate / factor), 1, WavEncoder.SampleFormat.PCM_16)) {
                sink.write(new float[][] {x}, x.length);
            }
            return "data:audio/wav;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(wav));
        } finally {
            Files.deleteIfExists(wav);
        }
    }


    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
