package studio.nexus.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * Notifications through the API, one cause at a time: an invitation and its answers, a transfer offer and its answer,
 * comments, replies and mentions, likes, follows, finished and failed jobs. Nobody is told of their own doing, a
 * private project's title reaches only those who may see it, unread counts and marking read (one, all) hold, and each
 * new notification is announced on {@code user_notifications} as {@code <recipient>:<id>}.
 */
class NotificationsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    static Http http;

    @BeforeAll
    static void client() {
        http = server.http();
    }

    /** A new musician for one test, so that each test reads only its own notifications. */
    private static Musician someone(String name) {
        return Musicians.named(name).publicProfile().signedIn(server);
    }

    private static UUID project(Musician owner, String title, boolean isPublic) {
        return TestProjects.project(server, owner, Map.of("title", title, "is_public", isPublic));
    }

    private static JsonNode page(Musician who) {
        Http.Response page = http.get("/api/v1/notifications?limit=100", who.token());
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        return page.json();
    }

    /** Everything the musician has been told, oldest first, as "kind: words". */
    private static List<String> told(Musician who) {
        List<String> told = new ArrayList<>();
        page(who).path("items").forEach(n -> told.add(0, n.path("kind").asText() + ": " + n.path("words").asText()));
        return told;
    }

    /** What the musician has been told of comments, oldest first. */
    private static List<String> toldOfComments(Musician who) {
        return told(who).stream().filter(t -> t.startsWith("comment")).toList();
    }

    private static JsonNode latest(Musician who) {
        return page(who).path("items").get(0);
    }

    private static String invite(Musician owner, UUID project, Musician who, String role) {
        Http.Response invited = http.post("/api/v1/projects/" + project + "/collaborators", owner.token(),
                Map.of("username", who.username(), "role", role));
        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
        return invited.json().path("id").asText();
    }

    @Test
    void anInvitationTellsTheInviteeAndItsAnswerTellsWhoeverInvited() {
        Musician ana = someone("ana");
        Musician bob = someone("bob");
        Musician cy = someone("cy");
        UUID drive = project(ana, "Night Drive", false);
        String invitation = invite(ana, drive, bob, "editor");
        JsonNode received = page(bob);
        assertThat(received.path("unread_count").asInt()).isEqualTo(1);
        JsonNode note = received.path("items").get(0);
        assertThat(note.path("kind").asText()).isEqualTo("invitation_received");
        assertThat(note.path("words").asText()).isEqualTo("@ana invited you to 'Night Drive' as editor");
        assertThat(note.path("project_title").asText()).isEqualTo("Night Drive");
        assertThat(note.path("actor_username").asText()).isEqualTo("ana");
        assertThat(note.path("invitation_id").asText()).isEqualTo(invitation);
        assertThat(note.path("read_at").isNull()).isTrue();
        assertThat(told(ana)).isEmpty();

        assertThat(http.post("/api/v1/invitations/" + invitation + "/accept", bob.token(), null).status())
                .isEqualTo(204);
        assertThat(told(ana)).containsExactly("invitation_accepted: @bob accepted your invitation to 'Night Drive' as editor");
        // answering it is reading it
        assertThat(page(bob).path("unread_count").asInt()).isZero();
        assertThat(latest(bob).path("read_at").isNull()).isFalse();

        String declined = invite(ana, drive, cy, "viewer");
        assertThat(latest(cy).path("words").asText()).isEqualTo("@ana invited you to 'Night Drive' as viewer");
        assertThat(http.post("/api/v1/invitations/" + declined + "/decline", cy.token(), null).status())
                .isEqualTo(204);
        assertThat(latest(ana).path("words").asText()).isEqualTo("@cy declined your invitation to 'Night Drive'");
        // cy said no: the private project's title is no longer theirs to read
        JsonNode after = latest(cy);
        assertThat(after.path("project_title").isNull()).isTrue();
        assertThat(after.path("words").asText()).isEqualTo("@ana invited you to a private project as viewer");
        assertThat(http.get("/api/v1/notifications", cy.token()).body()).doesNotContain("Night Drive");
    }

    @Test
    void aTransferOfferTellsTheRecipientAndTheAnswerTellsTheSender() {
        Musician ann = someone("ann");
        Musician bo = someone("bo");
        UUID gift = project(ann, "Gift", false);
        Http.Response offered = http.post("/api/v1/projects/" + gift + "/transfer", ann.token(),
                Map.of("username", "bo"));
        assertThat(offered.status()).as(offered.toString()).isEqualTo(201);
        assertThat(told(bo)).containsExactly("transfer_offer_received: @ann offered you 'Gift'");
        assertThat(latest(bo).path("offer_id").asText()).isEqualTo(offered.json().path("id").asText());
        assertThat(told(ann)).isEmpty();
        Http.Response declined = http.post("/api/v1/transfer-offers/" + offered.json().path("id").asText()
                + "/decline", bo.token(), null);
        assertThat(declined.status()).as(declined.toString()).isEqualTo(200);
        assertThat(told(ann)).containsExactly("transfer_offer_declined: @bo declined your offer of 'Gift'");
        assertThat(page(bo).path("unread_count").asInt()).isZero();

        Http.Response again = http.post("/api/v1/projects/" + gift + "/transfer", ann.token(),
                Map.of("username", "bo"));
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        Http.Response accepted = http.post("/api/v1/transfer-offers/" + again.json().path("id").asText()
                + "/accept", bo.token(), null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        // the sender stays on as an admin collaborator: the title is still theirs to read
        assertThat(told(ann)).last().isEqualTo("transfer_offer_accepted: @bo accepted your offer of 'Gift'");
        assertThat(page(bo).path("unread_count").asInt()).isZero();
    }

    @Test
    void commentsTellTheOwnerRepliesTheThreadAndMentionsOnlyThoseWhoCanSeeTheProject() {
        Musician ava = someone("ava");
        Musician ed = someone("ed");
        Musician dee = someone("dee");
        Musician outsider = someone("outsider");
        UUID song = project(ava, "Echoes", false);
        TestProjects.collaborate(server, ava, song, ed, "editor");
        TestProjects.collaborate(server, ava, song, dee, "viewer");
        int ownerBefore = told(ava).size();
        String comments = "/api/v1/projects/" + song + "/comments";

        Http.Response root = http.post(comments, ed.token(), Map.of("body", "Listen at 0:12, @dee and @outsider",
                "at_seconds", 12));
        assertThat(root.status()).isEqualTo(201);
        String rootId = root.json().path("id").asText();
        assertThat(toldOfComments(dee)).containsExactly("comment_mention: @ed mentioned you on 'Echoes'");
        assertThat(latest(dee).path("excerpt").asText()).isEqualTo("Listen at 0:12, @dee and @outsider");
        assertThat(latest(dee).path("comment_id").asText()).isEqualTo(rootId);
        assertThat(told(outsider)).isEmpty();
        assertThat(told(ava).subList(ownerBefore, told(ava).size()))
                .containsExactly("comment: @ed commented on 'Echoes'");
        assertThat(toldOfComments(ed)).isEmpty();

        assertThat(http.post(comments, ava.token(), Map.of("body", "On it", "parent_id", rootId)).status())
                .isEqualTo(201);
        assertThat(toldOfComments(ed)).containsExactly("comment_reply: @ava replied to your comment on 'Echoes'");
        assertThat(http.post(comments, dee.token(), Map.of("body", "Me too", "parent_id", rootId)).status())
                .isEqualTo(201);
        assertThat(told(ed)).last().isEqualTo("comment_reply: @dee replied to your comment on 'Echoes'");
        assertThat(told(ava)).last().isEqualTo("comment_reply: @dee replied in a thread you joined on 'Echoes'");
        // the owner's own comment tells nobody (collaborators follow threads they are in, not every comment)
        int edBefore = told(ed).size();
        int deeBefore = told(dee).size();
        int ownerNow = told(ava).size();
        assertThat(http.post(comments, ava.token(), Map.of("body", "A note to self")).status()).isEqualTo(201);
        assertThat(told(ava)).hasSize(ownerNow);
        assertThat(told(ed)).hasSize(edBefore);
        assertThat(told(dee)).hasSize(deeBefore);

        // an edit that mentions someone new tells only them
        Http.Response edited = http.patch(comments + "/" + rootId, ed.token(),
                Map.of("body", "Listen at 0:12, @dee and @ava"));
        assertThat(edited.status()).isEqualTo(200);
        assertThat(told(ava)).last().isEqualTo("comment_mention: @ed mentioned you on 'Echoes'");
        assertThat(told(dee)).hasSize(deeBefore);

        // deleting a comment takes back what it told people (its thread stays for the replies)
        assertThat(http.delete(comments + "/" + rootId, ed.token()).status()).isEqualTo(204);
        assertThat(told(dee)).doesNotContain("comment_mention: @ed mentioned you on 'Echoes'");
        assertThat(told(ava)).doesNotContain("comment: @ed commented on 'Echoes'",
                "comment_mention: @ed mentioned you on 'Echoes'");
    }

    @Test
    void aLikeAndAFollowTellTheirMusicianOnceWhileUnreadAndNeverForThemselves() {
        Musician amy = someone("amy");
        Musician fan = someone("fan");
        UUID sunny = project(amy, "Sunny", true);
        int before = told(amy).size();
        String like = "/api/v1/projects/" + sunny + "/like";
        assertThat(http.put(like, fan.token(), null).status()).isEqualTo(200);
        assertThat(http.delete(like, fan.token()).status()).isEqualTo(200);
        assertThat(http.put(like, fan.token(), null).status()).isEqualTo(200);
        assertThat(http.put(like, amy.token(), null).status()).isEqualTo(200);
        assertThat(http.put("/api/v1/profiles/amy/follow", fan.token(), null).status()).isEqualTo(204);
        assertThat(told(amy).subList(before, told(amy).size()))
                .containsExactly("project_liked: @fan liked 'Sunny'", "followed: @fan followed you");
        assertThat(http.put("/api/v1/profiles/fan/follow", amy.token(), null).status()).isEqualTo(204);
        assertThat(told(fan)).containsExactly("followed: @amy followed you");
    }

    @Test
    void aJobItsMusicianQueuedTellsThemWhenItFinishesOrFailsForGood() {
        Musician abe = someone("abe");
        Musician eve = someone("eve");
        UUID song = project(abe, "Render me", false);
        TestProjects.collaborate(server, abe, song, eve, "editor");
        int ownerBefore = told(abe).size();
        finish(job("render", eve, song), "succeeded");
        finish(job("export", eve, song), "failed");
        finish(job("mixdown", eve, song), "cancelled");
        finish(job("stems", eve, song), "queued"); // handed back for a retry: not over yet
        finish(job("transformation", eve, song), "succeeded");
        finish(job("housekeeping", eve, song), "succeeded"); // not a kind musicians queue
        assertThat(told(eve)).contains("job_succeeded: Your render of 'Render me' finished",
                "job_failed: Your export of 'Render me' failed",
                "job_succeeded: Your AI transformation of 'Render me' finished");
        assertThat(told(eve).stream().filter(t -> t.startsWith("job_"))).hasSize(3);
        assertThat(latest(eve).path("job_id").isNull()).isFalse();
        assertThat(told(abe)).hasSize(ownerBefore);
    }

    @Test
    void aPrivateProjectsTitleReachesOnlyThoseWhoMaySeeIt() {
        Musician ali = someone("ali");
        Musician listener = someone("listener");
        UUID stage = project(ali, "Open Stage", true);
        String path = "/api/v1/projects/" + stage;
        assertThat(http.patch(path, ali.token(), Map.of("comments_allowed", true)).status()).isEqualTo(200);
        String root = http.post(path + "/comments", listener.token(), Map.of("body", "Great chorus"))
                .json().path("id").asText();
        assertThat(http.post(path + "/comments", ali.token(), Map.of("body", "Thanks!", "parent_id", root)).status())
                .isEqualTo(201);
        JsonNode reply = latest(listener);
        assertThat(reply.path("words").asText()).isEqualTo("@ali replied to your comment on 'Open Stage'");
        assertThat(reply.path("excerpt").asText()).isEqualTo("Thanks!");

        assertThat(http.patch(path, ali.token(), Map.of("is_public", false)).status()).isEqualTo(200);
        JsonNode hidden = latest(listener);
        assertThat(hidden.path("project_title").isNull()).isTrue();
        assertThat(hidden.path("excerpt").isNull()).isTrue();
        assertThat(hidden.path("words").asText()).isEqualTo("@ali replied to your comment on a private project");
        assertThat(http.get("/api/v1/notifications", listener.token()).body()).doesNotContain("Open Stage", "Thanks!");
        // and a reply now, on the private project, tells the listener nothing
        int before = told(listener).size();
        assertThat(http.post(path + "/comments", ali.token(), Map.of("body", "Closed now", "parent_id", root))
                .status()).isEqualTo(201);
        assertThat(told(listener)).hasSize(before);
    }

    @Test
    void unreadCountsAndMarkingReadOneOrAll() {
        Musician star = someone("star");
        Musician other = someone("other");
        List<Musician> fans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Musician fan = someone("follower_" + i);
            fans.add(fan);
            assertThat(http.put("/api/v1/profiles/star/follow", fan.token(), null).status()).isEqualTo(204);
        }
        assertThat(http.put("/api/v1/profiles/other/follow", star.token(), null).status()).isEqualTo(204);
        JsonNode all = page(star);
        assertThat(all.path("unread_count").asInt()).isEqualTo(5);
        // newest first, in pages that neither skip nor repeat
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = http.get("/api/v1/notifications?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), star.token());
            page.json().path("items").forEach(n -> paged.add(n.path("actor_username").asText()));
            cursor = page.json().path("next_cursor").isNull() ? null : page.json().path("next_cursor").asText();
        } while (cursor != null);
        assertThat(paged).containsExactly("follower_4", "follower_3", "follower_2", "follower_1", "follower_0");

        String first = all.path("items").get(0).path("id").asText();
        Http.Response read = http.post("/api/v1/notifications/" + first + "/read", star.token(), null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("unread_count").asInt()).isEqualTo(4);
        assertThat(http.post("/api/v1/notifications/" + first + "/read", star.token(), null).json()
                .path("unread_count").asInt()).isEqualTo(4);
        Http.Response unread = http.get("/api/v1/notifications?unread=true", star.token());
        assertThat(unread.json().path("items")).hasSize(4);
        assertThat(unread.json().path("unread_count").asInt()).isEqualTo(4);

        // nobody else reads or marks them
        String others = page(other).path("items").get(0).path("id").asText();
        assertThat(http.post("/api/v1/notifications/" + others + "/read", star.token(), null).status())
                .isEqualTo(404);
        assertThat(page(other).path("unread_count").asInt()).isEqualTo(1);
        assertThat(http.post("/api/v1/notifications/" + UUID.randomUUID() + "/read", star.token(), null).status())
                .isEqualTo(404);
        assertThat(http.get("/api/v1/notifications", null).status()).isEqualTo(401);
        assertThat(http.post("/api/v1/notifications/read-all", null, null).status()).isEqualTo(401);
        assertThat(http.post("/api/v1/notifications/" + others + "/read", null, null).status()).isEqualTo(401);
        assertThat(http.offContract().get("/api/v1/notifications?unread=maybe", star.token()).status())
                .isEqualTo(400);

        Http.Response allRead = http.post("/api/v1/notifications/read-all", star.token(), null);
        assertThat(allRead.status()).isEqualTo(200);
        assertThat(allRead.json().path("unread_count").asInt()).isZero();
        assertThat(http.get("/api/v1/notifications?unread=true", star.token()).json().path("items")).isEmpty();
        assertThat(page(other).path("unread_count").asInt()).isEqualTo(1);
        assertThat(fans).hasSize(5);
    }

    @Test
    void eachNewNotificationIsAnnouncedWithItsRecipientAndId() throws Exception {
        Musician heard = someone("heard");
        Musician caller = someone("caller");
        try (Connection listening = database.ownerConnection()) {
            listening.createStatement().execute("LISTEN user_notifications");
            assertThat(http.put("/api/v1/profiles/heard/follow", caller.token(), null).status()).isEqualTo(204);
            String id = latest(heard).path("id").asText();
            List<String> payloads = new ArrayList<>();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!payloads.contains(heard.id() + ":" + id) && System.nanoTime() < deadline) {
                PGNotification[] received = listening.unwrap(PGConnection.class).getNotifications(500);
                if (received != null) {
                    for (PGNotification notification : received) {
                        assertThat(notification.getName()).isEqualTo("user_notifications");
                        payloads.add(notification.getParameter());
                    }
                }
            }
            assertThat(payloads).contains(heard.id() + ":" + id);
        }
    }

    private static UUID job(String kind, Musician who, UUID project) {
        return database.one(UUID.class, """
                INSERT INTO public.jobs (kind, user_id, project_id, status, started_at)
                VALUES (:kind, :user, :project, 'running', now()) RETURNING id""",
                TestDatabase.params("kind", kind, "user", who.id(), "project", project));
    }

    /** Ends a job as a worker would, as the system. */
    private static void finish(UUID job, String status) {
        database.update("UPDATE public.jobs SET status = :status, finished_at = now() WHERE id = :id",
                TestDatabase.params("status", status, "id", job));
    }
}
