package studio.nexus.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.AllAtOnce;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/** Acceptances racing each other, project creations and withdrawals: the plan's limit holds exactly, every time. */
class TransferConcurrencyIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(24);
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database)
            .with("STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", "0");
    static final AtomicInteger names = new AtomicInteger();

    static Musician musician(String name) {
        return Musicians.signedIn(server, name + "_" + names.incrementAndGet());
    }

    static String project(Musician owner, String title) {
        return TestProjects.project(server, owner, title).toString();
    }

    static String offer(Musician from, String project, Musician to) {
        Http.Response offered = server.http().post("/api/v1/projects/" + project + "/transfer", from.token(),
                Map.of("username", to.username()));
        assertThat(offered.status()).as(offered.toString()).isEqualTo(201);
        return offered.json().path("id").asText();
    }

    static int projectsUsed(Musician who) {
        return database.one(Integer.class, """
                SELECT coalesce(sum(quantity), 0)::int FROM public.usage_tracking
                WHERE user_id = :id AND resource_type = 'projects'""", TestDatabase.params("id", who.id()));
    }

    static int projectsOwned(Musician who) {
        return database.one(Integer.class, "SELECT count(*)::int FROM public.projects WHERE user_id = :id",
                TestDatabase.params("id", who.id()));
    }

    @RepeatedTest(10)
    void acceptancesAndCreationsAtOnceByAFreeMusicianWithTwoSlotsLeftSucceedExactlyTwice() throws Exception {
        Musician taker = musician("taker");
        project(taker, "Already mine");
        List<Musician> givers = new ArrayList<>();
        List<String> offers = new ArrayList<>();
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Musician giver = musician("giver");
            String project = project(giver, "Gift " + i);
            givers.add(giver);
            projects.add(project);
            offers.add(offer(giver, project, taker));
        }
        List<Callable<Http.Response>> calls = new ArrayList<>();
        for (String offer : offers) {
            calls.add(() -> server.http().post("/api/v1/transfer-offers/" + offer + "/accept", taker.token(), null));
        }
        for (int i = 0; i < 2; i++) {
            int n = i;
            calls.add(() -> server.http().post("/api/v1/projects", taker.token(), Map.of("title", "Made meanwhile " + n)));
        }

        List<Http.Response> responses = AllAtOnce.run(calls);

        assertThat(responses.stream().filter(r -> r.status() == 200 || r.status() == 201)).hasSize(2);
        assertThat(responses.stream().filter(r -> r.status() >= 300)).hasSize(6).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(402);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().path("code").asText()).isEqualTo("limit_exceeded");
        });
        assertThat(projectsOwned(taker)).isEqualTo(3);
        assertThat(projectsUsed(taker)).isEqualTo(3);
        for (int i = 0; i < offers.size(); i++) {
            boolean accepted = responses.get(i).status() == 200;
            Musician giver = givers.get(i);
            assertThat(projectsOwned(giver)).as("giver %d", i).isEqualTo(accepted ? 0 : 1);
            assertThat(projectsUsed(giver)).as("giver %d's slot", i).isEqualTo(accepted ? 0 : 1);
            assertThat(server.http().get("/api/v1/transfer-offers/" + offers.get(i), giver.token()).json().path("status")
                    .asText()).isEqualTo(accepted ? "accepted" : "pending");
        }
    }

    @RepeatedTest(10)
    void anAcceptanceRacingAWithdrawalHasOneWinnerAndTwoMusiciansSwappingProjectsNeverDeadlock() throws Exception {
        Musician ana = musician("ana");
        Musician ben = musician("ben");
        String anas = project(ana, "Ana's");
        String bens = project(ben, "Ben's");
        String toBen = offer(ana, anas, ben);
        String toAna = offer(ben, bens, ana);
        Musician cleo = musician("cleo");
        String cleos = project(cleo, "Cleo's");
        String toAnaFromCleo = offer(cleo, cleos, ana);

        List<Http.Response> responses = AllAtOnce.run(List.of(
                () -> server.http().post("/api/v1/transfer-offers/" + toBen + "/accept", ben.token(), null),
                () -> server.http().post("/api/v1/transfer-offers/" + toAna + "/accept", ana.token(), null),
                () -> server.http().post("/api/v1/transfer-offers/" + toAnaFromCleo + "/accept", ana.token(), null),
                () -> server.http().delete("/api/v1/transfer-offers/" + toAnaFromCleo, cleo.token())));

        assertThat(responses.get(0).status()).as(responses.get(0).toString()).isEqualTo(200);
        assertThat(responses.get(1).status()).as(responses.get(1).toString()).isEqualTo(200);
        boolean accepted = responses.get(2).status() == 200;
        boolean withdrawn = responses.get(3).status() == 204;
        assertThat(accepted ^ withdrawn).as(responses.toString()).isTrue();
        assertThat((accepted ? responses.get(3) : responses.get(2)).status()).isEqualTo(409);
        assertThat(projectsOwned(ana)).isEqualTo(accepted ? 2 : 1);
        assertThat(projectsUsed(ana)).isEqualTo(accepted ? 2 : 1);
        assertThat(projectsOwned(cleo)).isEqualTo(accepted ? 0 : 1);
        assertThat(projectsUsed(cleo)).isEqualTo(accepted ? 0 : 1);
        assertThat(List.of(projectsOwned(ben), projectsUsed(ben))).containsExactly(1, 1);
    }

    @RepeatedTest(10)
    void anAcceptanceRacingTheProjectsDeletionEndsOneWayOrTheOtherWithExactSlots() throws Exception {
        Musician ana = musician("ana");
        Musician ben = musician("ben");
        String id = project(ana, "Going, going");
        String offer = offer(ana, id, ben);

        List<Http.Response> responses = AllAtOnce.run(List.of(
                () -> server.http().post("/api/v1/transfer-offers/" + offer + "/accept", ben.token(), null),
                () -> server.http().delete("/api/v1/projects/" + id, ana.token())));

        boolean accepted = responses.get(0).status() == 200;
        // accepted first: the maker is now an admin collaborator, who may not delete (403); deleted first: the
        // offer went with the project (404)
        assertThat(responses.get(0).status()).as(responses.toString()).isEqualTo(accepted ? 200 : 404);
        assertThat(responses.get(1).status()).as(responses.toString()).isEqualTo(accepted ? 403 : 204);
        assertThat(List.of(projectsOwned(ana), projectsUsed(ana))).containsExactly(0, 0);
        assertThat(List.of(projectsOwned(ben), projectsUsed(ben))).containsExactly(accepted ? 1 : 0, accepted ? 1 : 0);
    }
}
