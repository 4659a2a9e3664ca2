package studio.nexus.projects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * A transfer is an offer: nothing changes until the recipient accepts, which moves ownership within the recipient's
 * plan (free: 3 projects) and frees the sender's slot. Each test casts musicians of its own, all on the free plan.
 */
class TransferOffersIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);
    static final AtomicInteger names = new AtomicInteger();
    static Musician stranger;

    @BeforeAll
    static void cast() {
        stranger = musician("stranger");
    }

    static Musician musician(String name) {
        return Musicians.signedIn(server, name + "_" + names.incrementAndGet());
    }

    static String project(Musician owner, String title) {
        return TestProjects.project(server, owner, title).toString();
    }

    static JsonNode offer(Musician from, String project, Musician to) {
        Http.Response offered = server.http().post("/api/v1/projects/" + project + "/transfer", from.token(),
                Map.of("username", to.username()));
        assertThat(offered.status()).as(offered.toString()).isEqualTo(201);
        return offered.json();
    }

    static int projectsUsed(Musician who) {
        for (JsonNode resource : server.http().get("/api/v1/usage", who.token()).json().path("resources")) {
            if (resource.path("resource_type").asText().equals("projects")) {
                return resource.path("used").asInt();
            }
        }
        throw new AssertionError("no projects in /usage");
    }

    static int totalProjects(Musician who) {
        return database.one(Integer.class, "SELECT total_projects FROM public.profiles WHERE id = :id",
                TestDatabase.params("id", who.id()));
    }

    static JsonNode projectAs(Musician who, String project) {
        Http.Response response = server.http().get("/api/v1/projects/" + project, who.token());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    static String accept(Musician who, String offer) {
        return server.http().post("/api/v1/transfer-offers/" + offer + "/accept", who.token(), null).toString();
    }

    @Test
    void anOfferChangesNothingUntilAcceptedThenOwnershipAndTheProjectSlotMove() {
        Musician ana = musician("ana");
        Musician ben = musician("ben");
        String id = project(ana, "Handover");

        JsonNode offer = offer(ana, id, ben);
        assertThat(offer.path("status").asText()).isEqualTo("pending");
        assertThat(offer.path("project_id").asText()).isEqualTo(id);
        assertThat(offer.path("project_title").asText()).isEqualTo("Handover");
        assertThat(offer.path("from_username").asText()).isEqualTo(ana.username());
        assertThat(offer.path("to_username").asText()).isEqualTo(ben.username());
        assertThat(offer.path("to_user_id").asText()).isEqualTo(ben.id().toString());
        assertThat(offer.path("answered_at").isNull()).isTrue();

        // nothing moved yet: the recipient cannot open the private project, but sees the offer and its title
        assertThat(server.http().get("/api/v1/projects/" + id, ben.token()).status()).isEqualTo(404);
        assertThat(projectAs(ana, id).path("owner_username").asText()).isEqualTo(ana.username());
        assertThat(projectsUsed(ana)).isEqualTo(1);
        assertThat(projectsUsed(ben)).isZero();
        JsonNode received = server.http().get("/api/v1/transfer-offers?direction=received", ben.token()).json();
        assertThat(received.path("items")).hasSize(1);
        assertThat(received.path("items").get(0).path("project_title").asText()).isEqualTo("Handover");
        assertThat(server.http().get("/api/v1/transfer-offers?direction=sent", ana.token()).json().path("items").get(0)
                .path("id").asText()).isEqualTo(offer.path("id").asText());
        assertThat(server.http().get("/api/v1/transfer-offers?direction=sent", ben.token()).json().path("items")).isEmpty();

        Http.Response accepted = server.http().post("/api/v1/transfer-offers/" + offer.path("id").asText() + "/accept",
                ben.token(), null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.json().path("status").asText()).isEqualTo("accepted");
        assertThat(accepted.json().path("answered_at").asText()).endsWith("Z");

        JsonNode asBen = projectAs(ben, id);
        assertThat(asBen.path("owner_username").asText()).isEqualTo(ben.username());
        assertThat(asBen.path("my_role").asText()).isEqualTo("owner");
        // the maker stays on as an admin collaborator, and the new owner may remove them
        assertThat(projectAs(ana, id).path("my_role").asText()).isEqualTo("admin");
        assertThat(server.http().delete("/api/v1/projects/" + id, ana.token()).status()).isEqualTo(403);
        assertThat(projectsUsed(ana)).isZero();
        assertThat(projectsUsed(ben)).isEqualTo(1);
        assertThat(totalProjects(ana)).isZero();
        assertThat(totalProjects(ben)).isEqualTo(1);
        assertThat(server.http().get("/api/v1/transfer-offers", ben.token()).json().path("items")).as("no open offers").isEmpty();

        Http.Response again = server.http().post("/api/v1/transfer-offers/" + offer.path("id").asText() + "/accept",
                ben.token(), null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("code").asText()).isEqualTo("transfer_offer_closed");

        // the freed slot is real: the sender can make three projects again
        for (int i = 0; i < 3; i++) {
            project(ana, "Fresh " + i);
        }
        assertThat(server.http().delete("/api/v1/projects/" + asBen.path("id").asText() + "/collaborators/" + ana.id(),
                ben.token()).status()).isEqualTo(204);
        assertThat(server.http().delete("/api/v1/projects/" + id, ben.token()).status()).isEqualTo(204);
        assertThat(projectsUsed(ben)).isZero();
        assertThat(projectsUsed(ana)).isEqualTo(3);
    }

    @Test
    void aProjectGoesBackAndForthWithExactCountersAndOneAdminCollaborator() {
        Musician ana = musician("ana");
        Musician ben = musician("ben");
        String id = project(ana, "Ping pong");
        accept(ben, offer(ana, id, ben).path("id").asText());
        String back = offer(ben, id, ana).path("id").asText();
        assertThat(server.http().post("/api/v1/transfer-offers/" + back + "/accept", ana.token(), null).status()).isEqualTo(200);

        assertThat(projectAs(ana, id).path("my_role").asText()).isEqualTo("owner");
        JsonNode collaborators = server.http().get("/api/v1/projects/" + id + "/collaborators", ana.token()).json().path("items");
        assertThat(collaborators).hasSize(1);
        assertThat(collaborators.get(0).path("username").asText()).isEqualTo(ben.username());
        assertThat(collaborators.get(0).path("role").asText()).isEqualTo("admin");
        assertThat(List.of(projectsUsed(ana), projectsUsed(ben), totalProjects(ana), totalProjects(ben)))
                .containsExactly(1, 0, 1, 0);
        assertThat(server.http().delete("/api/v1/projects/" + id, ana.token()).status()).isEqualTo(204);
        assertThat(List.of(projectsUsed(ana), projectsUsed(ben))).containsExactly(0, 0);
    }

    @Test
    void theRecipientDeclinesAndNothingChangesThenTheOwnerMayOfferAgain() {
        Musician ana = musician("ana");
        Musician ben = musician("ben");
        String id = project(ana, "Not for me");
        String offer = offer(ana, id, ben).path("id").asText();

        Http.Response declined = server.http().post("/api/v1/transfer-offers/" + offer + "/decline", ben.token(), null);
        assertThat(declined.status()).as(declined.toString()).isEqualTo(200);
        assertThat(declined.json().path("status").asText()).isEqualTo("declined");
        assertThat(projectAs(ana, id).path("my_role").asText()).isEqualTo("owner");
        assertThat(List.of(projectsUsed(ana), projectsUsed(ben))).containsExactly(1, 0);
        assertThat(server.http().post("/api/v1/transfer-offers/" + offer + "/accept", ben.token(), null).json().path("code")
                .asText()).isEqualTo("transfer_offer_closed");
        // the sender learns the answer
        assertThat(server.http().get("/api/v1/transfer-offers/" + offer, ana.token()).json().path("status").asText())
                .isEqualTo("declined");
        assertThat(server.http().get("/api/v1/transfer-offers?status=declined", ana.token()).json().path("items")).hasSize(1);

        offer(ana, id, ben);
    }

    @Test
    void theOwnerWithdrawsAnOpenOfferAndOnlyEachPartyDoesTheirOwnPart() {
        Musician ana = musician("ana");
        Musician ben = musician("ben");
        String id = project(ana, "Changed my mind");
        String offer = offer(ana, id, ben).path("id").asText();

        // each party's own action only: 403, as they can see the offer
        Http.Response senderAccepts = server.http().post("/api/v1/transfer-offers/" + offer + "/accept", ana.token(), null);
        assertThat(senderAccepts.status()).isEqualTo(403);
        assertThat(senderAccepts.contentType()).startsWith("application/problem+json");
        assertThat(server.http().post("/api/v1/transfer-offers/" + offer + "/decline", ana.token(), null).status()).isEqualTo(403);
        assertThat(server.http().delete("/api/v1/transfer-offers/" + offer, ben.token()).status()).isEqualTo(403);

        assertThat(server.http().delete("/api/v1/transfer-offers/" + offer, ana.token()).status()).isEqualTo(204);
        Http.Response late = server.http().post("/api/v1/transfer-offers/" + offer + "/accept", ben.token(), null);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("detail").asText()).contains("withdrawn");
        assertThat(server.http().delete("/api/v1/transfer-offers/" + offer, ana.token()).status()).isEqualTo(409);
        assertThat(projectAs(ana, id).path("my_role").asText()).isEqualTo("owner");
        assertThat(server.http().get("/api/v1/transfer-offers/" + offer, ben.token()).json().path("status").asText())
                .isEqualTo("withdrawn");
    }

    @Test
    void aProjectHasOneOpenOfferAtATime() {
        Musician ana = musician("ana");
        Musician ben = musician("ben");
        Musician cleo = musician("cleo");
        String id = project(ana, "Popular");
        String first = offer(ana, id, ben).path("id").asText();
        Http.Response second = server.http().post("/api/v1/projects/" + id + "/transfer", ana.token(),
                Map.of("user_id", cleo.id().toString()));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().path("code").asText()).isEqualTo("transfer_offer_open");
        server.http().delete("/api/v1/transfer-offers/" + first, ana.token());
        Http.Response byId = server.http().post("/api/v1/projects/" + id + "/transfer", ana.token(),
                Map.of("user_id", cleo.id().toString()));
        assertThat(byId.status()).as(byId.toString()).isEqualTo(201);
        assertThat(byId.json().path("to_username").asText()).isEqualTo(cleo.username());
    }

    @Test
    void aRecipientAtTheirPlansLimitCannotAcceptAndNothingChanges() {
        Musician ana = musician("ana");
        Musician ben = musician("ben");
        String id = project(ana, "Too many");
        List<String> bens = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            bens.add(project(ben, "Mine " + i));
        }
        String offer = offer(ana, id, ben).path("id").asText();

        Http.Response refused = server.http().post("/api/v1/transfer-offers/" + offer + "/accept", ben.token(), null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(402);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("code").asText()).isEqualTo("limit_exceeded");
        assertThat(refused.json().path("resource_type").asText()).isEqualTo("projects");
        assertThat(refused.json().path("limit").asInt()).isEqualTo(3);
        assertThat(projectAs(ana, id).path("my_role").asText()).isEqualTo("owner");
        assertThat(server.http().get("/api/v1/transfer-offers/" + offer, ben.token()).json().path("status").asText())
                .isEqualTo("pending");
        assertThat(List.of(projectsUsed(ana), projectsUsed(ben), totalProjects(ana), totalProjects(ben)))
                .containsExactly(1, 3, 1, 3);

        // a slot freed, the same offer can be accepted
        assertThat(server.http().delete("/api/v1/projects/" + bens.get(0), ben.token()).status()).isEqualTo(204);
        assertThat(server.http().post("/api/v1/transfer-offers/" + offer + "/accept", ben.token(), null).status())
                .isEqualTo(200);
        assertThat(List.of(projectsUsed(ana), projectsUsed(ben))).containsExactly(0, 3);
    }

    @Test
    void strangersCollaboratorsAndAnonymousCallersNeitherSeeNorAnswerAnOffer() {
        Musician ana = musician("ana");
        Musician ben = musician("ben");
        Musician dora = musician("dora");
        String id = project(ana, "Shared");
        TestProjects.collaborate(server, ana, UUID.fromString(id), dora, "admin");
        String offer = offer(ana, id, ben).path("id").asText();

        for (Musician outsider : List.of(stranger, dora)) {
            List<Http.Response> answers = List.of(
                    server.http().get("/api/v1/transfer-offers/" + offer, outsider.token()),
                    server.http().post("/api/v1/transfer-offers/" + offer + "/accept", outsider.token(), null),
                    server.http().post("/api/v1/transfer-offers/" + offer + "/decline", outsider.token(), null),
                    server.http().delete("/api/v1/transfer-offers/" + offer, outsider.token()));
            assertThat(answers).as(outsider.username()).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(404);
                assertThat(r.contentType()).startsWith("application/problem+json");
            });
            assertThat(server.http().get("/api/v1/transfer-offers?status=all", outsider.token()).json().path("items")).isEmpty();
        }
        // a collaborator admin manages collaborators, not ownership
        assertThat(server.http().post("/api/v1/projects/" + id + "/transfer", dora.token(),
                Map.of("username", stranger.username())).status()).isEqualTo(403);
        for (Http.Response r : List.of(server.http().get("/api/v1/transfer-offers", null),
                server.http().get("/api/v1/transfer-offers/" + offer, null),
                server.http().post("/api/v1/transfer-offers/" + offer + "/accept", null, null),
                server.http().delete("/api/v1/transfer-offers/" + offer, null))) {
            assertThat(r.status()).isEqualTo(401);
        }
        assertThat(server.http().offContract().get("/api/v1/transfer-offers/not-an-id", ben.token()).status()).isEqualTo(404);
        assertThat(server.http().post("/api/v1/transfer-offers/" + java.util.UUID.randomUUID() + "/accept", ben.token(), null)
                .status()).isEqualTo(404);
        assertThat(server.http().get("/api/v1/transfer-offers/" + offer, ben.token()).json().path("status").asText())
                .isEqualTo("pending");
        assertThat(projectAs(ana, id).path("my_role").asText()).isEqualTo("owner");
    }

    @Test
    void anOfferNamesExactlyOneOtherExistingPerson() {
        Musician ana = musician("ana");
        String id = project(ana, "Mine");
        record Case(Object body, int status, String code) {}
        for (Case c : List.of(
                new Case(Map.of("username", ana.username()), 422, "invalid_recipient"),
                new Case(Map.of("user_id", ana.id().toString()), 422, "invalid_recipient"),
                new Case(Map.of("username", "nobody_here"), 404, "not_found"),
                new Case(Map.of("user_id", java.util.UUID.randomUUID().toString()), 404, "not_found"),
                new Case(Map.of(), 422, "validation_failed"),
                new Case(Map.of("username", stranger.username(), "user_id", stranger.id().toString()), 422,
                        "validation_failed"),
                new Case(Map.of("to", stranger.username()), 422, "validation_failed"),
                new Case(Map.of("user_id", "ana"), 422, "validation_failed"))) {
            Http.Response r = server.http().offContract()
                    .post("/api/v1/projects/" + id + "/transfer", ana.token(), c.body());
            assertThat(r.status()).as(c.body() + " → " + r).isEqualTo(c.status());
            assertThat(r.json().path("code").asText()).as(c.body() + " → " + r).isEqualTo(c.code());
        }
        assertThat(server.http().get("/api/v1/transfer-offers?status=all", ana.token()).json().path("items")).isEmpty();
    }

    @Test
    void offersAreListedByDirectionStatusAndProjectAPageAtATime() {
        Musician ana = musician("ana");
        Musician ben = musician("ben");
        String one = project(ana, "One");
        String two = project(ana, "Two");
        String theirs = project(ben, "Theirs");
        String declined = offer(ana, one, ben).path("id").asText();
        server.http().post("/api/v1/transfer-offers/" + declined + "/decline", ben.token(), null);
        offer(ana, one, ben);
        offer(ana, two, ben);
        offer(ben, theirs, ana);

        assertThat(server.http().get("/api/v1/transfer-offers", ana.token()).json().path("items")).hasSize(3);
        assertThat(server.http().get("/api/v1/transfer-offers?direction=sent", ana.token()).json().path("items")).hasSize(2);
        assertThat(server.http().get("/api/v1/transfer-offers?direction=received", ana.token()).json().path("items")).hasSize(1);
        assertThat(server.http().get("/api/v1/transfer-offers?status=all", ana.token()).json().path("items")).hasSize(4);
        assertThat(server.http().get("/api/v1/transfer-offers?status=all&project_id=" + one, ben.token()).json().path("items"))
                .hasSize(2);
        JsonNode first = server.http().get("/api/v1/transfer-offers?status=all&limit=3", ben.token()).json();
        assertThat(first.path("items")).hasSize(3);
        JsonNode rest = server.http().get("/api/v1/transfer-offers?status=all&limit=3&cursor="
                + first.path("next_cursor").asText(), ben.token()).json();
        assertThat(rest.path("items")).hasSize(1);
        assertThat(rest.path("next_cursor").isNull()).isTrue();
        assertThat(rest.path("items").get(0).path("id").asText()).isEqualTo(declined);
        for (String bad : List.of("direction=up", "status=maybe", "project_id=42")) {
            Http.Response r = server.http().offContract().get("/api/v1/transfer-offers?" + bad, ana.token());
            assertThat(r.status()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void deletingTheProjectTakesItsOfferAway() {
        Musician ana = musician("ana");
        Musician ben = musician("ben");
        String id = project(ana, "Gone");
        String offer = offer(ana, id, ben).path("id").asText();
        assertThat(server.http().delete("/api/v1/projects/" + id, ana.token()).status()).isEqualTo(204);
        assertThat(server.http().post("/api/v1/transfer-offers/" + offer + "/accept", ben.token(), null).status()).isEqualTo(404);
        assertThat(server.http().get("/api/v1/transfer-offers", ben.token()).json().path("items")).isEmpty();
        assertThat(projectsUsed(ben)).isZero();
    }
}
