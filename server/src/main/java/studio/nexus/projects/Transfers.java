package studio.nexus.projects;

import studio.nexus.core.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.SqlStates;
import studio.nexus.usage.Usage;
import studio.nexus.core.Json;
import studio.nexus.web.Paging;

/**
 * Transfers of a project as offers: the owner offers, the recipient accepts or declines, the owner may withdraw.
 * Every step runs as the caller through the database's definer functions, which decide who may do what and make
 * acceptance atomic with the recipient's plan limit; this class turns their refusals into answers. Thread-safe.
 */
public final class Transfers {
    /** Who an offer is for: a username or a user id, exactly one. */
    public record Recipient(String username, UUID userId) {}

    private final Db db;

    public Transfers(Db db) {
        this.db = db;
    }

    public TransferOffer offer(Identity who, UUID project, Recipient to) {
        who.requireUserId();
        try {
            return db.as(who, handle -> {
                ProjectSql store = new ProjectSql(handle);
                if (!store.isVisible(project)) {
                    throw Failure.notFound("Project");
                }
                UUID recipient = to.userId() != null ? to.userId() : store.userIdByUsername(to.username())
                        .orElseThrow(() -> Failure.notFound("User " + to.username()));
                return store.transferOffer(store.offerTransfer(project, recipient)).orElseThrow();
            });
        } catch (RuntimeException e) {
            if (SqlStates.is(e, SqlStates.INSUFFICIENT_PRIVILEGE)) {
                throw Failure.forbidden("Only the project's owner offers it to someone else");
            }
            if (SqlStates.is(e, SqlStates.UNIQUE_VIOLATION)) {
                throw Failure.conflict("transfer_offer_open",
                        "This project is already offered to someone; withdraw that offer first");
            }
            if ("no_such_user".equals(SqlStates.hint(e))) {
                throw Failure.notFound("User");
            }
            if ("transfer_to_self".equals(SqlStates.hint(e))) {
                throw Failure.unprocessable("invalid_recipient", "You already own this project");
            }
            throw e;
        }
    }

    public Paging.Page<TransferOffer> list(Identity who, String direction, String status, UUID project,
                                           Paging.Request page) {
        UUID me = who.requireUserId();
        List<TransferOffer> rows = db.as(who, handle -> new ProjectSql(handle)
                .transferOffers(me, direction, status, project, page.after(), page.limit()));
        return Paging.page(rows, page.limit(), o -> Json.MAPPER.createObjectNode()
                .put("created_at", o.createdAt().toString()).put("id", o.id().toString()));
    }

    public TransferOffer get(Identity who, UUID offer) {
        who.requireUserId();
        return db.as(who, handle -> new ProjectSql(handle).transferOffer(offer))
                .orElseThrow(() -> Failure.notFound("Transfer offer"));
    }

    /** Accepts (the project becomes the caller's, within their plan's limit: 402 otherwise) or declines. */
    public TransferOffer answer(Identity who, UUID offer, boolean accept) {
        who.requireUserId();
        try {
            return db.as(who, handle -> {
                ProjectSql store = new ProjectSql(handle);
                JsonNode outcome = store.answerTransferOffer(offer, accept);
                if (!outcome.path("allowed").asBoolean(false)) {
                    throw Usage.limitExceeded(outcome); // rolls back: nothing was changed anyway
                }
                return store.transferOffer(offer).orElseThrow();
            });
        } catch (RuntimeException e) {
            throw refusal(e, "Only the person the project is offered to accepts or declines the offer");
        }
    }

    public void withdraw(Identity who, UUID offer) {
        who.requireUserId();
        try {
            db.as(who, handle -> {
                new ProjectSql(handle).withdrawTransferOffer(offer);
                return null;
            });
        } catch (RuntimeException e) {
            throw refusal(e, "Only the owner who made the offer withdraws it");
        }
    }

    /** The definer functions' refusals: not a party (404), the wrong party (403), no longer open (409). */
    private static RuntimeException refusal(RuntimeException e, String wrongParty) {
        String hint = SqlStates.hint(e);
        if ("transfer_offer_not_found".equals(hint)) {
            return Failure.notFound("Transfer offer");
        }
        if (SqlStates.is(e, SqlStates.INSUFFICIENT_PRIVILEGE)) {
            return Failure.forbidden(wrongParty);
        }
        if ("transfer_offer_closed".equals(hint)) {
            return Failure.conflict("transfer_offer_closed", "This offer is no longer open ("
                    + firstLine(e).replaceFirst("^this offer was already ", "") + ")");
        }
        if ("transfer_offer_stale".equals(hint)) {
            return Failure.conflict("transfer_offer_stale", "The project changed hands since this offer was made");
        }
        return e;
    }

    private static String firstLine(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getMessage() != null) {
                return sql.getMessage().replaceFirst("^ERROR: ", "").lines().findFirst().orElse("");
            }
        }
        return "";
    }
}
