package studio.nexus.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.AllAtOnce;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

class ProjectConcurrencyIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase(24);
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    @Test
    void fiftyUsersLikingAtOnceCountFiftyAndUnlikingBringsItBackToZero() throws Exception {
        Musician owner = Musicians.signedIn(server, "popular_owner");
        String project = server.http().post("/api/v1/projects", owner.token(), Map.of("title", "Hit", "is_public", true))
                .json().path("id").asText();
        List<Musician> fans = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fans.add(Musicians.signedIn(server, "fan" + i));
        }
        List<Callable<Http.Response>> likes = new ArrayList<>();
        for (Musician fan : fans) {
            likes.add(() -> server.http().put("/api/v1/projects/" + project + "/like", fan.token(), null));
            likes.add(() -> server.http().put("/api/v1/projects/" + project + "/like", fan.token(), null)); // twice: idempotent
        }
        assertThat(AllAtOnce.run(likes)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(server.http().get("/api/v1/projects/" + project, null).json().path("like_count").asInt()).isEqualTo(50);

        List<Callable<Http.Response>> unlikes = new ArrayList<>();
        for (Musician fan : fans) {
            unlikes.add(() -> server.http().delete("/api/v1/projects/" + project + "/like", fan.token()));
        }
        assertThat(AllAtOnce.run(unlikes)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(server.http().get("/api/v1/projects/" + project, null).json().path("like_count").asInt()).isZero();
    }

    @Test
    void tenConcurrentCreationsByAFreeUserCreateExactlyThree() throws Exception {
        Musician free = Musicians.signedIn(server, "free_maker");
        List<Callable<Http.Response>> creations = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            creations.add(() -> server.http().post("/api/v1/projects", free.token(), Map.of("title", "Song " + n)));
        }
        List<Http.Response> responses = AllAtOnce.run(creations);
        assertThat(responses.stream().filter(r -> r.status() == 201)).hasSize(3);
        assertThat(responses.stream().filter(r -> r.status() == 402))
                .hasSize(7)
                .allSatisfy(r -> {
                    assertThat(r.json().path("code").asText()).isEqualTo("limit_exceeded");
                    assertThat(r.json().path("limit").asInt()).isEqualTo(3);
                });
        Http.Response mine = server.http().get("/api/v1/projects?role=owner", free.token());
        assertThat(mine.json().path("items")).hasSize(3);
        int total = database.one(Integer.class, "SELECT total_projects FROM public.profiles WHERE id = :id",
                TestDatabase.params("id", free.id()));
        assertThat(total).isEqualTo(3);
    }

    @Test
    void twentyConcurrentSnapshotsAreNumberedOneToTwentyWithoutGapsOrDuplicates() throws Exception {
        Musician owner = Musicians.signedIn(server, "snapper");
        String project = server.http().post("/api/v1/projects", owner.token(), Map.of("title", "Takes")).json().path("id").asText();
        List<Callable<Http.Response>> snapshots = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            snapshots.add(() -> server.http().post("/api/v1/projects/" + project + "/versions", owner.token(),
                    Map.of("title", "take " + n)));
        }
        assertThat(AllAtOnce.run(snapshots)).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
        List<Integer> numbers = new ArrayList<>();
        server.http().get("/api/v1/projects/" + project + "/versions?limit=100", owner.token()).json().path("items")
                .forEach(v -> numbers.add(v.path("version_number").asInt()));
        assertThat(numbers).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
    }
}
