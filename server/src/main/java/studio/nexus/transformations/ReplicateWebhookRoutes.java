package studio.nexus.transformations;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.db.Db;
import studio.nexus.storage.Storage;
import studio.nexus.web.ApiException;
import studio.nexus.core.Json;

/**
 * {@code POST /api/v1/webhooks/replicate}: Replicate's "completed" deliveries, verified as Standard Webhooks
 * (signature over id.timestamp.body, timestamp within 5 minutes of our clock) before anything is read or written.
 * <ul>
 *   <li>bad or missing signature → 401 {@code webhook_signature_invalid}; stale or future timestamp → 400
 *       {@code webhook_timestamp_out_of_range}; nothing recorded.</li>
 *   <li>a {@code webhook-id} already processed → 409 {@code webhook_replayed}, nothing changes. An id is recorded
 *       (in {@code webhook_deliveries}, in the same transaction as its effect) only when it was processed, so a
 *       delivery we failed (5xx) is processed when Replicate retries it, and processing is idempotent (the row
 *       keyed by prediction id gets the same status and output).</li>
 *   <li>an unknown prediction id → 200 and nothing happens (nothing leaks about which predictions exist).</li>
 *   <li>a succeeded prediction's output is copied into our storage here, at once (Replicate deletes it after an
 *       hour), and recorded as {@code provider_output_path}; the waiting job (woken in this process, else at its next
 *       look at the row, within a second) completes with it.</li>
 * </ul>
 * Thread-safe.
 */
public final class ReplicateWebhookRoutes {
    private static final Logger log = LoggerFactory.getLogger(ReplicateWebhookRoutes.class);
    static final int MAX_BODY_BYTES = 1 << 20;

    private final Db db;
    private final Storage storage;
    private final ReplicateClient client;
    private final WebhookSignature signature;
    private final ReplicateProvider provider;
    private final Clock clock;

    /** {@code signature} null = no secret configured: every delivery is refused. */
    public ReplicateWebhookRoutes(Db db, Storage storage, ReplicateClient client, WebhookSignature signature,
                             ReplicateProvider provider, Clock clock) {
        this.db = db;
        this.storage = storage;
        this.client = client;
        this.signature = signature;
        this.provider = provider;
        this.clock = clock;
    }

    public void receive(Context ctx) throws IOException {
        if (signature == null || client == null) {
            throw new ApiException(404, "webhooks_disabled", "Not found",
                    "Replicate webhooks are not configured on this server");
        }
        long declared = ctx.contentLength();
        if (declared > MAX_BODY_BYTES) {
            throw new ApiException(413, "payload_too_large", "Payload too large",
                    "A webhook body is at most " + MAX_BODY_BYTES + " bytes");
        }
        byte[] body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "payload_too_large", "Payload too large",
                    "A webhook body is at most " + MAX_BODY_BYTES + " bytes");
        }
        String id = ctx.header("webhook-id");
        switch (signature.verify(id, ctx.header("webhook-timestamp"), ctx.header("webhook-signature"), body,
                clock.instant())) {
            case BAD_SIGNATURE -> throw new ApiException(401, "webhook_signature_invalid", "Invalid signature",
                    "The webhook-signature does not match this delivery");
            case TIMESTAMP_OUT_OF_RANGE -> throw ApiException.badRequest("webhook_timestamp_out_of_range",
                    "The webhook-timestamp is more than " + WebhookSignature.TOLERANCE.toMinutes()
                            + " minutes away from now");
            case VALID -> { }
        }
        if (db.asSystem(h -> new TransformationSql(h).deliverySeen(id))) {
            throw replayed();
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "The webhook body is not JSON");
        }
        ReplicateClient.Prediction prediction = ReplicateClient.Prediction.of(json == null ? Json.MAPPER.createObjectNode() : json);
        String predictionId = prediction.id();
        String status = prediction.status();
        if (predictionId == null || predictionId.length() > 200 || status.isEmpty() || status.length() > 40) {
            throw ApiException.badRequest("invalid_webhook", "The webhook body has no prediction id and status");
        }
        Optional<Transformation> target = db.asSystem(h -> new TransformationSql(h).findByPrediction(predictionId));
        Optional<TransformationSql.ProviderState> state = target.flatMap(t ->
                db.asSystem(h -> new TransformationSql(h).providerState(t.id())));
        String outputKey = null;
        boolean waiting = target.isPresent() && target.get().status().matches("pending|processing");
        if (waiting && status.equals("succeeded") && state.get().providerOutputPath() == null) {
            String url = prediction.outputUrl();
            if (url != null) {
                try {
                    outputKey = client.download(url, storage, target.get().id(), ReplicateProvider.MAX_OUTPUT_BYTES);
                } catch (ReplicateClient.ProviderError e) {
                    // not recorded: Replicate retries the delivery (and the job polls meanwhile)
                    log.warn("webhook for prediction {}: output not copied: {}", predictionId, e.getMessage());
                    throw new ApiException(502, "provider_output_unavailable", "Bad gateway",
                            "The prediction's output could not be copied; deliver again later");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ApiException(503, "shutting_down", "Service unavailable", "Try again");
                }
            }
        }
        String copied = outputKey;
        boolean fresh = db.asSystem(h -> {
            TransformationSql store = new TransformationSql(h);
            if (!store.recordDelivery(id, "replicate")) {
                return false;
            }
            if (waiting) {
                store.recordProviderOutcome(predictionId, status, copied);
            }
            return true;
        });
        if (!fresh) {
            if (copied != null) {
                storage.delete(copied);
            }
            throw replayed();
        }
        if (waiting && provider != null) {
            provider.wake(target.get().id());
        }
        ctx.status(200).json(Map.of("received", true));
    }

    private static ApiException replayed() {
        return ApiException.conflict("webhook_replayed", "This webhook-id was delivered and processed already");
    }
}
