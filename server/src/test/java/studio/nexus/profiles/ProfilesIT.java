package studio.nexus.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

class ProfilesIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    private static final String[] PRIVATE_FIELDS = {"email", "subscription_tier", "subscription_expires_at",
            "preferences", "storage_used_mb", "total_projects", "total_transformations"};

    @Test
    void aPublicProfileIsVisibleToAnyoneWithoutPrivateFields() {
        Musician musician = Musicians.signUpPublic(server.http(), "public");
        Musician stranger = Musicians.signUp(server.http(), "stranger");
        for (String token : new String[] {null, stranger.token()}) {
            Http.Response response = server.http().get("/api/v1/profiles/" + musician.username().toUpperCase(), token);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(response.json().path("username").asText()).isEqualTo(musician.username());
            for (String field : PRIVATE_FIELDS) {
                assertThat(response.json().has(field)).as(field).isFalse();
            }
            assertThat(response.body()).doesNotContain(musician.email());
        }
        assertThat(server.http().get("/api/v1/profiles/" + musician.username(), null).json().path("followed_by_me").isNull())
                .isTrue();
    }

    @Test
    void aPrivateProfileIs404ToAStrangerAndToAnonymousButVisibleToItsOwner() {
        Musician hidden = Musicians.signUp(server.http(), "hidden");
        Musician stranger = Musicians.signUp(server.http(), "stranger");
        Http.Response anonymous = server.http().get("/api/v1/profiles/" + hidden.username(), null);
        Http.Response strange = server.http().get("/api/v1/profiles/" + hidden.username(), stranger.token());
        Http.Response nobody = server.http().get("/api/v1/profiles/no_such_musician_at_all", stranger.token());
        assertThat(anonymous.status()).isEqualTo(404);
        assertThat(strange.status()).isEqualTo(404);
        assertThat(strange.json().path("detail").asText()).isEqualTo(nobody.json().path("detail").asText());
        Http.Response own = server.http().get("/api/v1/profiles/" + hidden.username(), hidden.token());
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().path("profile_public").asBoolean()).isFalse();
        for (String username : new String[] {"x".repeat(1_000), "a'%20OR%20'1'='1", "%00", "..%2F..%2Fetc"}) {
            assertThat(server.http().offContract().get("/api/v1/profiles/" + username, null).status()).as("hostile name")
                    .isIn(400, 404);
        }
        // 10 000 characters do not even fit the request line: Jetty refuses them before any handler runs.
        Http.Response longName = server.http().offContract().get("/api/v1/profiles/" + "x".repeat(10_000), null);
        assertThat(longName.status()).isEqualTo(404);
        assertThat(longName.contentType()).startsWith("application/problem+json");
    }

    @Test
    void followingIsIdempotentCountedAndUnfollowingToo() {
        Musician star = Musicians.signUpPublic(server.http(), "star");
        Musician fan = Musicians.signUpPublic(server.http(), "fan");
        String follow = "/api/v1/profiles/" + star.username() + "/follow";
        assertThat(server.http().put(follow, fan.token(), null).status()).isEqualTo(204);
        assertThat(server.http().put(follow, fan.token(), null).status()).isEqualTo(204);
        JsonNode profile = server.http().get("/api/v1/profiles/" + star.username(), fan.token()).json();
        assertThat(profile.path("follower_count").asInt()).isEqualTo(1);
        assertThat(profile.path("followed_by_me").asBoolean()).isTrue();
        assertThat(server.http().get("/api/v1/me", fan.token()).json().path("following_count").asInt()).isEqualTo(1);
        assertThat(server.http().delete(follow, fan.token()).status()).isEqualTo(204);
        assertThat(server.http().delete(follow, fan.token()).status()).isEqualTo(204);
        assertThat(server.http().get("/api/v1/profiles/" + star.username(), fan.token()).json()
                .path("follower_count").asInt()).isZero();
    }

    @Test
    void followingOneselfIs400AndFollowingAnonymouslyIs401() {
        Musician me = Musicians.signUpPublic(server.http(), "self");
        Http.Response self = server.http().put("/api/v1/profiles/" + me.username() + "/follow", me.token(), null);
        assertThat(self.status()).isEqualTo(400);
        assertThat(self.json().path("code").asText()).isEqualTo("cannot_follow_yourself");
        assertThat(server.http().put("/api/v1/profiles/" + me.username() + "/follow", null, null).status()).isEqualTo(401);
    }

    @Test
    void followingAProfileYouCannotSeeIs404AndTheDatabaseRefusesItToo() {
        Musician hidden = Musicians.signUp(server.http(), "hidden");
        Musician fan = Musicians.signUp(server.http(), "fan");
        Http.Response response = server.http().put("/api/v1/profiles/" + hidden.username() + "/follow", fan.token(),
                null);
        assertThat(response.status()).isEqualTo(404);
        // Straight at the database, bypassing the API's lookup: the insert policy refuses it.
        try {
            database.db().as(studio.nexus.db.Identity.user(fan.id(), fan.sessionId()), handle -> handle.createUpdate(
                    "INSERT INTO public.user_followers (follower_id, following_id) VALUES (:me, :them)")
                    .bind("me", fan.id()).bind("them", hidden.id()).execute());
            throw new AssertionError("following a private profile was allowed");
        } catch (RuntimeException e) {
            assertThat(e.getMessage()).contains("row-level security");
        }
    }

    @Test
    void followersAndFollowingArePagedByKeysetAndHidePrivateProfiles() {
        Musician star = Musicians.signUpPublic(server.http(), "band");
        List<String> fans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Musician fan = Musicians.signUpPublic(server.http(), "fan" + i);
            fans.add(fan.username());
            assertThat(server.http().put("/api/v1/profiles/" + star.username() + "/follow", fan.token(), null)
                    .status()).isEqualTo(204);
            if (i == 0) {
                assertThat(server.http().get("/api/v1/profiles/" + fan.username() + "/following", null).json()
                        .path("items").get(0).path("username").asText()).isEqualTo(star.username());
            }
        }
        Musician shy = Musicians.signUpPublic(server.http(), "shy");
        server.http().put("/api/v1/profiles/" + star.username() + "/follow", shy.token(), null);
        server.http().patch("/api/v1/me", shy.token(), Map.of("preferences", Map.of("profile_public", false)));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = server.http().get("/api/v1/profiles/" + star.username() + "/followers?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().path("items").forEach(item -> {
                seen.add(item.path("username").asText());
                assertThat(item.has("email")).isFalse();
                assertThat(item.has("followed_at")).isTrue();
            });
            cursor = page.json().path("next_cursor").isNull() ? null : page.json().path("next_cursor").asText();
        } while (cursor != null);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(fans);
        assertThat(seen.get(0)).isEqualTo(fans.get(4)); // newest first
        // shy's follow is no longer counted for others either (V80: it was "6 followers", 5 listed)
        assertThat(server.http().get("/api/v1/profiles/" + star.username(), null).json().path("follower_count").asInt())
                .isEqualTo(5);
        assertThat(server.http().get("/api/v1/profiles/" + star.username() + "/followers?cursor=garbage", null).status())
                .isEqualTo(400);
        assertThat(server.http().offContract().get("/api/v1/profiles/" + star.username() + "/followers?limit=1000", null).status())
                .isEqualTo(400);
    }

    @Test
    void aPrivateProfilesFollowListsAre404ToOthers() {
        Musician hidden = Musicians.signUp(server.http(), "quiet");
        Musician other = Musicians.signUp(server.http(), "other");
        assertThat(server.http().get("/api/v1/profiles/" + hidden.username() + "/followers", other.token()).status())
                .isEqualTo(404);
        assertThat(server.http().get("/api/v1/profiles/" + hidden.username() + "/following", null).status()).isEqualTo(404);
        assertThat(server.http().get("/api/v1/profiles/" + hidden.username() + "/following", hidden.token()).status())
                .isEqualTo(200);
    }

    /** The profile's count and the whole list (all pages) of its followers or following, as {@code token} sees them. */
    private static List<String> listed(String username, String side, String token, int[] count) {
        Http.Response profile = server.http().get("/api/v1/profiles/" + username, token);
        assertThat(profile.status()).as(profile.toString()).isEqualTo(200);
        count[0] = profile.json().path(side.equals("followers") ? "follower_count" : "following_count").asInt();
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = server.http().get("/api/v1/profiles/" + username + "/" + side + "?limit=1"
                    + (cursor == null ? "" : "&cursor=" + cursor), token);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().path("items").forEach(item -> names.add(item.path("username").asText()));
            cursor = page.json().path("next_cursor").isNull() ? null : page.json().path("next_cursor").asText();
        } while (cursor != null);
        return names;
    }

    private static void seesFollowers(Musician profile, String token, String... usernames) {
        int[] count = new int[1];
        assertThat(listed(profile.username(), "followers", token, count)).containsExactlyInAnyOrder(usernames);
        assertThat(count[0]).as("follower_count agrees with the list").isEqualTo(usernames.length);
    }

    private static void seesFollowing(Musician profile, String token, String... usernames) {
        int[] count = new int[1];
        assertThat(listed(profile.username(), "following", token, count)).containsExactlyInAnyOrder(usernames);
        assertThat(count[0]).as("following_count agrees with the list").isEqualTo(usernames.length);
    }

    @Test
    void followerCountsAndListsAgreeForEveryViewerAndPrivateFollowersAreTheirOwnAndTheFollowedMusiciansToSee() {
        Musician star = Musicians.signUpPublic(server.http(), "idol");
        Musician open = Musicians.signUpPublic(server.http(), "openfan");
        Musician quiet = Musicians.signUp(server.http(), "quietfan"); // a private profile
        Musician passerby = Musicians.signUpPublic(server.http(), "passerby");
        Musician idol2 = Musicians.signUpPublic(server.http(), "idol_two");
        for (Musician fan : List.of(open, quiet)) {
            assertThat(server.http().put("/api/v1/profiles/" + star.username() + "/follow", fan.token(), null)
                    .status()).isEqualTo(204);
        }
        server.http().put("/api/v1/profiles/" + idol2.username() + "/follow", quiet.token(), null);
        server.http().put("/api/v1/profiles/" + idol2.username() + "/follow", open.token(), null);

        // the musician sees everyone who follows them; the private follower sees their own follow too
        seesFollowers(star, star.token(), open.username(), quiet.username());
        seesFollowers(star, quiet.token(), open.username(), quiet.username());
        // everyone else: only what the followers' privacy allows, counted as listed ("2 followers", 1 listed before)
        seesFollowers(star, null, open.username());
        seesFollowers(star, passerby.token(), open.username());
        seesFollowers(star, open.token(), open.username());
        seesFollowing(open, null, star.username(), idol2.username());
        seesFollowing(quiet, quiet.token(), star.username(), idol2.username());

        // a follower who goes private leaves every other viewer's count and list; back public, they return
        server.http().patch("/api/v1/me", open.token(), Map.of("preferences", Map.of("profile_public", false)));
        seesFollowers(star, null);
        seesFollowers(idol2, passerby.token());
        seesFollowers(star, star.token(), open.username(), quiet.username());
        server.http().patch("/api/v1/me", open.token(), Map.of("preferences", Map.of("profile_public", true)));
        seesFollowers(star, null, open.username());
        seesFollowers(idol2, passerby.token(), open.username());

        // unfollowing takes the follow off every count
        server.http().delete("/api/v1/profiles/" + star.username() + "/follow", quiet.token());
        seesFollowers(star, star.token(), open.username());
        seesFollowers(star, null, open.username());

        // and so does leaving: a public follower who deletes their account leaves no count behind
        Http.Response left = server.http().raw("DELETE", "/api/v1/me", open.token(), "application/json",
                ("{\"password\":\"" + Musicians.PASSWORD + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(left.status()).as(left.toString()).isEqualTo(204);
        seesFollowers(star, star.token());
        seesFollowers(star, null);
        seesFollowers(idol2, passerby.token());
        seesFollowers(idol2, idol2.token(), quiet.username());
    }

    @Test
    void aPrivateMusiciansFollowRowsAreNotReadableAtTheSqlLevel() {
        Musician star = Musicians.signUpPublic(server.http(), "sqlstar");
        Musician quiet = Musicians.signUp(server.http(), "sqlquiet");
        Musician stranger = Musicians.signUpPublic(server.http(), "sqlstranger");
        server.http().put("/api/v1/profiles/" + star.username() + "/follow", quiet.token(), null);
        String sql = "SELECT count(*) FROM public.user_followers WHERE follower_id = :quiet";
        java.util.function.Function<studio.nexus.db.Identity, Long> rows = who -> database.db().as(who, handle ->
                handle.createQuery(sql).bind("quiet", quiet.id()).mapTo(Long.class).one());
        assertThat(rows.apply(studio.nexus.db.Identity.anonymous())).isZero();
        assertThat(rows.apply(studio.nexus.db.Identity.user(stranger.id(), stranger.sessionId()))).isZero();
        assertThat(rows.apply(studio.nexus.db.Identity.user(star.id(), star.sessionId()))).isEqualTo(1);
        assertThat(rows.apply(studio.nexus.db.Identity.user(quiet.id(), quiet.sessionId()))).isEqualTo(1);
        // the stored counts stay exact whatever the privacy: the public ones are what others are shown
        var counts = database.row("""
                SELECT follower_count, public_follower_count FROM public.profiles WHERE id = :star""",
                TestDatabase.params("star", star.id()));
        assertThat(counts.get("follower_count")).isEqualTo(1);
        assertThat(counts.get("public_follower_count")).isEqualTo(0);
    }

    @Test
    void followCountsStayExactUnderConcurrentFollowsUnfollowsAndPrivacyChanges() throws Exception {
        List<Musician> people = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            people.add(Musicians.signUpPublic(server.http(), "crowd" + i));
        }
        for (int round = 0; round < 3; round++) {
            List<java.util.concurrent.Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = round * 100L + t;
                work.add(() -> {
                    java.util.Random random = new java.util.Random(seed);
                    // privacy changes are rarer than follows, as on the site: each one that crosses a follow in the
                    // opposite lock order is a deadlock PostgreSQL breaks after deadlock_timeout (one side refused)
                    for (int n = 0; n < 25; n++) {
                        Musician me = people.get(random.nextInt(people.size()));
                        Musician them = people.get(random.nextInt(people.size()));
                        var who = studio.nexus.db.Identity.user(me.id(), me.sessionId());
                        int pick = random.nextInt(10);
                        String sql = switch (pick < 5 ? 0 : pick < 9 ? 1 : 2) {
                            case 0 -> "INSERT INTO public.user_followers (follower_id, following_id) VALUES (:me, :them)"
                                    + " ON CONFLICT DO NOTHING";
                            case 1 -> "DELETE FROM public.user_followers WHERE follower_id = :me AND following_id = :them";
                            default -> "UPDATE public.profiles SET preferences = preferences || jsonb_build_object("
                                    + "'profile_public', NOT coalesce((preferences->>'profile_public')::boolean, false))"
                                    + " WHERE id = :me";
                        };
                        if (!me.id().equals(them.id())) {
                            studio.nexus.testing.Attempt.run(database.db(), who, sql,
                                    Map.of("me", me.id(), "them", them.id())); // refusals (a private target) are fine
                        }
                    }
                    return null;
                });
            }
            var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                for (var done : pool.invokeAll(work)) {
                    done.get();
                }
            } finally {
                pool.shutdown();
            }
            List<Map<String, Object>> drift = database.rows("""
                    SELECT p.username, p.follower_count, p.following_count, p.public_follower_count,
                           p.public_following_count
                      FROM public.profiles p
                     WHERE p.username LIKE 'crowd%' AND (
                           p.follower_count <> (SELECT count(*) FROM public.user_followers f WHERE f.following_id = p.id)
                        OR p.following_count <> (SELECT count(*) FROM public.user_followers f WHERE f.follower_id = p.id)
                        OR p.public_follower_count <> (SELECT count(*) FROM public.user_followers f
                             JOIN public.profiles q ON q.id = f.follower_id
                            WHERE f.following_id = p.id AND q.preferences->>'profile_public' = 'true')
                        OR p.public_following_count <> (SELECT count(*) FROM public.user_followers f
                             JOIN public.profiles q ON q.id = f.following_id
                            WHERE f.follower_id = p.id AND q.preferences->>'profile_public' = 'true'))""",
                    TestDatabase.params());
            assertThat(drift).as("round " + round).isEmpty();
        }
    }
}
