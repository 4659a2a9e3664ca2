package studio.nexus.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Attempt;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.TestDatabase;

/** The seed's policies (as hardened) for owner, stranger and anonymous, table by table. */
class RowLevelSecurityIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(4);
    static Fixture world;

    @BeforeAll
    static void makeTheWorld() {
        world = new Fixture(database, "");
    }

    private int visible(Identity who, String sql, UUID id) {
        Attempt.Outcome outcome = Attempt.run(database.db(), who, sql, Map.of("id", id));
        assertThat(outcome.refused()).as("%s for %s", outcome, who.role()).isFalse();
        return outcome.rows();
    }

    private Identity anon() {
        return Identity.anonymous();
    }

    @Test
    void aPrivateProjectIsVisibleToItsOwnerOnly() {
        String sql = "SELECT id FROM public.projects WHERE id = :id";
        assertThat(visible(world.alice.identity(), sql, world.privateProject)).isEqualTo(1);
        assertThat(visible(world.mallory.identity(), sql, world.privateProject)).isZero();
        assertThat(visible(anon(), sql, world.privateProject)).isZero();
    }

    @Test
    void aPublicProjectIsReadableByAnyoneIncludingAnonymous() {
        String sql = "SELECT id FROM public.projects WHERE id = :id";
        assertThat(visible(world.mallory.identity(), sql, world.publicProject)).isEqualTo(1);
        assertThat(visible(anon(), sql, world.publicProject)).isEqualTo(1);
    }

    @Test
    void strangersCannotChangeOrDeleteSomeoneElsesProject() {
        for (UUID project : new UUID[] {world.privateProject, world.publicProject}) {
            assertThat(Attempt.run(database.db(), world.mallory.identity(),
                    "UPDATE public.projects SET title = 'pwned' WHERE id = :id", Map.of("id", project))
                    .achievedNothing()).isTrue();
            assertThat(Attempt.run(database.db(), world.mallory.identity(),
                    "DELETE FROM public.projects WHERE id = :id", Map.of("id", project)).achievedNothing()).isTrue();
            assertThat(Attempt.run(database.db(), anon(),
                    "UPDATE public.projects SET title = 'pwned' WHERE id = :id", Map.of("id", project))
                    .achievedNothing()).isTrue();
        }
    }

    @Test
    void theOwnerCanEditTheirProject() {
        assertThat(Attempt.run(database.db(), world.alice.identity(),
                "UPDATE public.projects SET title = 'Secret demo (mix 2)' WHERE id = :id",
                Map.of("id", world.privateProject)).rows()).isEqualTo(1);
    }

    @Test
    void versionsOfAPrivateProjectAreTheOwnersOnly() {
        String sql = "SELECT id FROM public.project_versions WHERE project_id = :id";
        assertThat(visible(world.alice.identity(), sql, world.privateProject)).isEqualTo(1);
        assertThat(visible(world.mallory.identity(), sql, world.privateProject)).isZero();
        assertThat(Attempt.run(database.db(), anon(), sql, Map.of("id", world.privateProject)).achievedNothing())
                .isTrue();
    }

    @Test
    void anInvitationIsSeenByTheOwnerAndTheInviteeOnly() {
        String sql = "SELECT id FROM public.project_collaborators WHERE project_id = :id";
        assertThat(visible(world.alice.identity(), sql, world.privateProject)).isEqualTo(1);
        assertThat(visible(world.bob.identity(), sql, world.privateProject)).isEqualTo(1);
        assertThat(visible(world.mallory.identity(), sql, world.privateProject)).isZero();
    }

    @Test
    void transformationsAreTheirRequestersOnly() {
        String sql = "SELECT id FROM public.ai_transformations WHERE id = :id";
        assertThat(visible(world.alice.identity(), sql, world.transformation)).isEqualTo(1);
        assertThat(visible(world.mallory.identity(), sql, world.transformation)).isZero();
        assertThat(Attempt.run(database.db(), anon(), sql, Map.of("id", world.transformation)).refused()).isTrue();
    }

    @Test
    void nobodyReadsAnotherUsersSessions() {
        String sql = "SELECT id, user_agent FROM public.user_sessions WHERE id = :id";
        assertThat(visible(world.alice.identity(), sql, world.session)).isEqualTo(1);
        assertThat(visible(world.mallory.identity(), sql, world.session)).isZero();
        assertThat(Attempt.run(database.db(), anon(), sql, Map.of("id", world.session)).refused()).isTrue();
    }

    @Test
    void sessionTokensAreNotReadableEvenByTheirOwner() {
        Attempt.Outcome outcome = Attempt.run(database.db(), world.alice.identity(),
                "SELECT session_token FROM public.user_sessions WHERE id = :id", Map.of("id", world.session));
        assertThat(outcome.sqlState()).isEqualTo("42501");
    }

    @Test
    void usageIsVisibleToItsUserOnly() {
        String sql = "SELECT id FROM public.usage_tracking WHERE user_id = :id";
        assertThat(visible(world.alice.identity(), sql, world.alice.id())).isEqualTo(1);
        assertThat(visible(world.mallory.identity(), sql, world.alice.id())).isZero();
    }

    @Test
    void aPrivatePresetIsItsOwnersWhileSystemPresetsAreForEveryone() {
        String own = "SELECT id FROM public.effects_presets WHERE id = :id";
        assertThat(visible(world.alice.identity(), own, world.alicePreset)).isEqualTo(1);
        assertThat(visible(world.mallory.identity(), own, world.alicePreset)).isZero();
        Attempt.Outcome system = Attempt.run(database.db(), anon(),
                "SELECT id FROM public.effects_presets WHERE is_system_preset");
        assertThat(system.rows()).isEqualTo(2);
    }

    @Test
    void activeAiPresetsAndLimitsArePublicInformation() {
        assertThat(Attempt.run(database.db(), anon(), "SELECT id FROM public.ai_model_presets").rows()).isEqualTo(5);
        assertThat(Attempt.run(database.db(), anon(), "SELECT id FROM public.subscription_limits").rows())
                .isEqualTo(12); // the seed's 8 and V30's explicit enterprise rows
    }

    @Test
    void analyticsEventsAreTheirUsersOnly() {
        String sql = "SELECT id FROM public.analytics_events WHERE user_id = :id";
        assertThat(visible(world.alice.identity(), sql, world.alice.id())).isEqualTo(1);
        assertThat(visible(world.mallory.identity(), sql, world.alice.id())).isZero();
        assertThat(Attempt.run(database.db(), anon(), sql, Map.of("id", world.alice.id())).refused()).isTrue();
    }

    @Test
    void errorLogsAreForAdministratorsOnly() {
        String sql = "SELECT id FROM public.error_logs WHERE user_id = :id";
        assertThat(visible(world.alice.identity(), sql, world.alice.id())).isZero();
        assertThat(visible(world.mallory.identity(), sql, world.alice.id())).isZero();
    }

    @Test
    void aPrivateProfileIsVisibleToItsOwnerOnlyAndAPublicOneShowsOnlyPublicColumns() {
        String base = "SELECT id FROM public.profiles WHERE id = :id";
        assertThat(visible(world.alice.identity(), base, world.alice.id())).isEqualTo(1);
        assertThat(visible(world.mallory.identity(), base, world.alice.id())).isZero();
        assertThat(visible(world.mallory.identity(), base, world.bob.id())).isZero();
        String view = "SELECT * FROM public.public_profiles WHERE id = :id";
        assertThat(visible(world.mallory.identity(), view, world.alice.id())).isZero();
        assertThat(visible(anon(), view, world.alice.id())).isZero();
        assertThat(visible(anon(), view, world.bob.id())).isEqualTo(1);
        var columns = database.db().asAnon(handle -> handle.createQuery(view).bind("id", world.bob.id())
                .mapToMap().one().keySet());
        assertThat(columns).doesNotContain("subscription_tier", "subscription_expires_at", "preferences",
                "storage_used_mb", "total_projects", "total_transformations");
    }

    @Test
    void likesOfPublicProjectsArePublicAndLikesOfPrivateOnesAreNot() {
        database.update("""
                INSERT INTO public.project_likes (project_id, user_id) VALUES (:pub, :bob), (:priv, :alice)""",
                TestDatabase.params("pub", world.publicProject, "priv", world.privateProject, "bob", world.bob.id(),
                        "alice", world.alice.id()));
        String sql = "SELECT id FROM public.project_likes WHERE project_id = :id";
        assertThat(visible(anon(), sql, world.publicProject)).isEqualTo(1);
        assertThat(visible(anon(), sql, world.privateProject)).isZero();
        assertThat(visible(world.mallory.identity(), sql, world.privateProject)).isZero();
    }

    @Test
    void followsAreSeenByTheirTwoMusiciansAndByOthersOnlyBetweenPublicProfiles() {
        // V80: alice's profile is private, so her following bob (public) is hers and bob's to see, nobody else's
        UUID carol = Musicians.named("carol_follows").publicProfile().inDatabase(database).id();
        database.update("""
                INSERT INTO public.user_followers (follower_id, following_id)
                VALUES (:alice, :bob), (:bob, :alice), (:carol, :bob)""",
                TestDatabase.params("alice", world.alice.id(), "bob", world.bob.id(), "carol", carol));
        String followers = "SELECT id FROM public.user_followers WHERE following_id = :id";
        String following = "SELECT id FROM public.user_followers WHERE follower_id = :id";
        assertThat(visible(anon(), followers, world.bob.id())).as("carol's follow only").isEqualTo(1);
        assertThat(visible(world.mallory.identity(), followers, world.bob.id())).isEqualTo(1);
        assertThat(visible(world.bob.identity(), followers, world.bob.id())).as("bob sees all his followers")
                .isEqualTo(2);
        assertThat(visible(world.alice.identity(), followers, world.bob.id())).as("carol's and her own").isEqualTo(2);
        assertThat(visible(anon(), following, world.alice.id())).isZero();
        assertThat(visible(world.mallory.identity(), following, world.alice.id())).isZero();
        assertThat(visible(anon(), followers, world.alice.id())).isZero();
        assertThat(visible(world.mallory.identity(), followers, world.alice.id())).isZero();
        assertThat(visible(world.alice.identity(), followers, world.alice.id())).isEqualTo(1);
    }

    @Test
    void theSystemSeesEverything() {
        assertThat(Attempt.run(database.db(), Identity.system(), "SELECT id FROM public.projects").rows())
                .isGreaterThanOrEqualTo(2);
        assertThat(Attempt.run(database.db(), Identity.system(), "SELECT id FROM public.error_logs").rows())
                .isGreaterThanOrEqualTo(1);
    }
}
