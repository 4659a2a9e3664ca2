package studio.nexus.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Attempt;
import studio.nexus.testing.Attempt.Outcome;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;

/**
 * What a hostile signed-in user (mallory, or alice against her own rows) and an anonymous caller must not be able
 * to do, straight at the database with the API roles: each case is a hole the seed left open (see V3).
 */
class HostileUserIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(4);
    static Fixture world;

    @BeforeAll
    static void makeTheWorld() {
        world = new Fixture(database, "");
    }

    private Outcome asAlice(String sql) {
        return Attempt.run(database.db(), world.alice.identity(), sql, Map.of("id", world.alice.id(),
                "project", world.privateProject, "public", world.publicProject));
    }

    private Outcome asMallory(String sql) {
        return Attempt.run(database.db(), world.mallory.identity(), sql, Map.of("id", world.mallory.id(),
                "alice", world.alice.id(), "project", world.privateProject, "public", world.publicProject,
                "transformation", world.transformation));
    }

    private Outcome asAnon(String sql) {
        return Attempt.run(database.db(), Identity.anonymous(), sql, Map.of("alice", world.alice.id(),
                "public", world.publicProject));
    }

    private boolean isAdmin(Identity who) {
        return database.db().as(who, handle -> handle.createQuery("SELECT public.is_admin()").mapTo(Boolean.class).one());
    }

    @Test
    void noUserCanMakeThemselvesAnAdministrator() {
        Outcome viaPreferences = asMallory(
                "UPDATE public.profiles SET preferences = '{\"role\": \"admin\"}' WHERE id = :id");
        assertThat(viaPreferences.rows()).isEqualTo(1); // allowed: preferences are the user's own…
        assertThat(isAdmin(world.mallory.identity())).isFalse(); // …but no longer confer anything
        assertThat(asMallory("INSERT INTO public.user_roles (user_id, role, granted_by) VALUES (:id, 'admin', :id)")
                .refused()).isTrue();
        assertThat(asMallory("SELECT id FROM public.error_logs").rows()).isZero();
        assertThat(asMallory("UPDATE public.projects SET title = 'x' WHERE id = :project").rows()).isZero();
    }

    @Test
    void anAdministratorCanGrantAdminToAnotherUser() {
        Musician root = Musicians.named("root_admin").admin().inDatabase(database);
        Musician deputy = Musicians.named("deputy").inDatabase(database);
        Outcome grant = Attempt.run(database.db(), root.identity(),
                "INSERT INTO public.user_roles (user_id, role, granted_by) VALUES (:deputy, 'admin', :root)",
                Map.of("deputy", deputy.id(), "root", root.id()));
        assertThat(grant.rows()).isEqualTo(1);
        assertThat(isAdmin(deputy.identity())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"subscription_tier = 'enterprise'", "subscription_expires_at = now() + interval '99 years'",
            "total_projects = 0", "total_transformations = 0", "storage_used_mb = 0", "username = 'renamed'"})
    void usersCannotWriteTheirOwnPrivilegesOrCounters(String assignment) {
        Outcome outcome = asAlice("UPDATE public.profiles SET " + assignment + " WHERE id = :id");
        assertThat(outcome.sqlState()).as(assignment).isEqualTo("42501");
    }

    @ParameterizedTest
    @ValueSource(strings = {"like_count = 1000", "play_count = 1000", "download_count = 1000", "is_featured = true",
            "user_id = gen_random_uuid()", "created_at = now()", "last_played_at = now()"})
    void ownersCannotWriteTheirProjectsCountersOrPromoteThem(String assignment) {
        Outcome outcome = asAlice("UPDATE public.projects SET " + assignment + " WHERE id = :project");
        assertThat(outcome.sqlState()).as(assignment).isEqualTo("42501");
    }

    @Test
    void ownersCannotCreateProjectsWithInflatedCountersOrForSomeoneElse() {
        assertThat(asAlice("INSERT INTO public.projects (user_id, title, like_count) VALUES (:id, 'x', 99)")
                .sqlState()).isEqualTo("42501");
        assertThat(asMallory("INSERT INTO public.projects (user_id, title) VALUES (:alice, 'framed')").sqlState())
                .isEqualTo("42501");
    }

    @Test
    void onlyTheSystemPutsAProjectIntoProcessing() {
        assertThat(asAlice("UPDATE public.projects SET status = 'processing' WHERE id = :project").sqlState())
                .isEqualTo("23514");
        assertThat(asAlice("UPDATE public.projects SET status = 'completed' WHERE id = :project").sqlState())
                .isEqualTo("23514");
        Outcome system = Attempt.run(database.db(), Identity.system(),
                "UPDATE public.projects SET status = 'processing' WHERE id = :p", Map.of("p", world.publicProject));
        assertThat(system.rows()).isEqualTo(1);
        database.update("UPDATE public.projects SET status = 'completed' WHERE id = :p",
                TestDatabase.params("p", world.publicProject));
        assertThat(asAlice("UPDATE public.projects SET status = 'archived' WHERE id = :public").rows()).isEqualTo(1);
        assertThat(asAlice("UPDATE public.projects SET status = 'draft' WHERE id = :public").rows()).isEqualTo(1);
    }

    @Test
    void aNullStatusIsNoWayAroundTheGuards() {
        // V80: the guards said `IF NOT (allowed transition) THEN refuse`, and a NULL status made that NULL, not true
        assertThat(asAlice("UPDATE public.projects SET status = NULL WHERE id = :project").refused()).isTrue();
        assertThat(asAlice("UPDATE public.ai_transformations SET status = NULL WHERE user_id = :id").refused()).isTrue();
        assertThat(Attempt.run(database.db(), world.bob.identity(),
                "UPDATE public.project_collaborators SET status = NULL WHERE user_id = :bob",
                Map.of("bob", world.bob.id())).refused()).isTrue();
        assertThat(asAlice("UPDATE public.projects SET is_public = NULL WHERE id = :project").refused()).isTrue();
        // request_transformation asks `is_premium AND <free tier>`: a NULL is_premium would be a free premium preset
        Musician root = Musicians.named("null_admin").admin().inDatabase(database);
        assertThat(Attempt.run(database.db(), root.identity(),
                "UPDATE public.ai_model_presets SET is_premium = NULL WHERE is_premium").refused()).isTrue();
    }

    @Test
    void aProjectCannotPointAtAnotherProjectsAudio() {
        Outcome outcome = asAlice("UPDATE public.projects SET original_audio_path = 'projects/' || :public "
                + "|| '/take1.wav' WHERE id = :project");
        assertThat(outcome.sqlState()).isEqualTo("42501");
        // under its own prefix, only a stored object (V83): a made-up key would be audio nobody is charged for
        assertThat(asAlice("UPDATE public.projects SET processed_audio_path = 'projects/' || :project "
                + "|| '/mix.wav' WHERE id = :project").sqlState()).isEqualTo("23503");
        assertThat(asAlice("UPDATE public.projects SET processed_audio_path = 'projects/' || :project "
                + "|| '/take1.wav' WHERE id = :project").rows()).isEqualTo(1);
    }

    @Test
    void nobodyButTheSystemRecordsUsage() {
        assertThat(asAlice("INSERT INTO public.usage_tracking (user_id, resource_type, quantity) "
                + "VALUES (:id, 'exports', -100)").sqlState()).isEqualTo("42501");
        assertThat(asMallory("INSERT INTO public.usage_tracking (user_id, resource_type, quantity) "
                + "VALUES (:alice, 'exports', 100)").sqlState()).isEqualTo("42501");
        assertThat(asAnon("INSERT INTO public.usage_tracking (user_id, resource_type) VALUES (:alice, 'exports')")
                .sqlState()).isEqualTo("42501");
        assertThat(asAlice("UPDATE public.usage_tracking SET quantity = 0 WHERE user_id = :id").sqlState())
                .isEqualTo("42501");
        assertThat(asAlice("DELETE FROM public.usage_tracking WHERE user_id = :id").sqlState()).isEqualTo("42501");
    }

    @Test
    void theSeedsUsageFunctionsAreSystemOnlyAndConsumeRefusesOtherUsersAndNegativeQuantities() {
        assertThat(asMallory("SELECT public.track_resource_usage(:alice, 'exports', -5)").sqlState())
                .isEqualTo("42501");
        assertThat(asMallory("SELECT public.check_usage_limit(:alice, 'exports')").sqlState()).isEqualTo("42501");
        assertThat(asMallory("SELECT public.consume_usage(:alice, 'exports', 1)").sqlState()).isEqualTo("42501");
        assertThat(asMallory("SELECT public.usage_status(:alice, 'exports')").sqlState()).isEqualTo("42501");
        assertThat(asMallory("SELECT public.consume_usage(:id, 'exports', -3)").sqlState()).isEqualTo("23514");
        assertThat(asAnon("SELECT public.consume_usage(:alice, 'exports', 1)").sqlState()).isEqualTo("42501");
        assertThat(asMallory("SELECT public.ensure_analytics_partitions(36)").sqlState()).isEqualTo("42501");
        assertThat(asMallory("SELECT public.drop_analytics_partitions_before(now())").sqlState()).isEqualTo("42501");
    }

    @Test
    void signUpCanCreateOnlyTheCallersOwnProfile() {
        UUID newUser = UUID.randomUUID();
        database.update("INSERT INTO auth.users (id, email) VALUES (:id, :e)",
                TestDatabase.params("id", newUser, "e", newUser + "@example.test"));
        Identity fresh = Identity.user(newUser, null);
        Outcome own = Attempt.run(database.db(), fresh,
                "INSERT INTO public.profiles (id, username) VALUES (:id, 'fresh_user')", Map.of("id", newUser));
        assertThat(own.rows()).isEqualTo(1);
        Outcome forged = Attempt.run(database.db(), world.mallory.identity(),
                "INSERT INTO public.profiles (id, username) VALUES (:id, 'forged')", Map.of("id", UUID.randomUUID()));
        assertThat(forged.sqlState()).isEqualTo("42501");
        Outcome tier = Attempt.run(database.db(), fresh,
                "UPDATE public.profiles SET subscription_tier = 'pro' WHERE id = :id", Map.of("id", newUser));
        assertThat(tier.sqlState()).isEqualTo("42501");
    }

    @Test
    void usersCannotLikeProjectsTheyCannotSee() {
        assertThat(asMallory("INSERT INTO public.project_likes (project_id, user_id) VALUES (:project, :id)")
                .sqlState()).isEqualTo("42501");
        assertThat(asMallory("INSERT INTO public.project_likes (project_id, user_id) VALUES (:public, :alice)")
                .sqlState()).isEqualTo("42501");
        int likes = database.one(Integer.class, "SELECT like_count FROM public.projects WHERE id = :p",
                TestDatabase.params("p", world.privateProject));
        assertThat(likes).isZero();
    }

    @Test
    void aLikeBySomeoneOtherThanTheOwnerIsCountedAndCannotBeMoved() {
        UUID project = world.publicProject;
        int before = likeCount(project);
        assertThat(asMallory("INSERT INTO public.project_likes (project_id, user_id) VALUES (:public, :id)").rows())
                .isEqualTo(1);
        assertThat(likeCount(project)).isEqualTo(before + 1);
        assertThat(asMallory("UPDATE public.project_likes SET project_id = :project WHERE user_id = :id").sqlState())
                .isEqualTo("42501");
        assertThat(asMallory("DELETE FROM public.project_likes WHERE project_id = :public AND user_id = :id").rows())
                .isEqualTo(1);
        assertThat(likeCount(project)).isEqualTo(before);
    }

    private int likeCount(UUID project) {
        return database.one(Integer.class, "SELECT like_count FROM public.projects WHERE id = :p",
                TestDatabase.params("p", project));
    }

    @Test
    void invitationsStartPendingFromTheirRealInviterAndOnlyTheInviteeAnswers() {
        UUID carol = Musicians.named("carol").inDatabase(database).id();
        Outcome forced = Attempt.run(database.db(), world.alice.identity(), """
                INSERT INTO public.project_collaborators (project_id, user_id, role) VALUES (:p, :carol, 'admin')
                RETURNING status, invited_by""", Map.of("p", world.publicProject, "carol", carol));
        assertThat(forced.rows()).isEqualTo(1);
        Map<String, Object> row = database.row("SELECT status, invited_by FROM public.project_collaborators WHERE user_id = :carol",
                TestDatabase.params("carol", carol));
        assertThat(row.get("status")).isEqualTo("pending");
        assertThat(row.get("invited_by")).isEqualTo(world.alice.id());
        assertThat(Attempt.run(database.db(), world.alice.identity(),
                "UPDATE public.project_collaborators SET status = 'accepted' WHERE user_id = :carol",
                Map.of("carol", carol)).sqlState()).isEqualTo("42501");
        assertThat(Attempt.run(database.db(), world.bob.identity(),
                "UPDATE public.project_collaborators SET role = 'admin' WHERE user_id = :bob",
                Map.of("bob", world.bob.id())).sqlState()).isEqualTo("42501");
        assertThat(Attempt.run(database.db(), world.bob.identity(),
                "UPDATE public.project_collaborators SET status = 'accepted' WHERE user_id = :bob",
                Map.of("bob", world.bob.id())).rows()).isEqualTo(1);
        assertThat(asMallory("UPDATE public.project_collaborators SET status = 'accepted'").rows()).isZero();
    }

    @Test
    void transformationsCannotBeForgedOrFinishedByTheirRequester() {
        assertThat(asAlice("""
                INSERT INTO public.ai_transformations (project_id, user_id, transformation_type, input_audio_path, status)
                VALUES (:project, :id, 'jazz', 'projects/x/y.wav', 'completed')""").sqlState()).isEqualTo("42501");
        assertThat(asAlice("UPDATE public.ai_transformations SET status = 'completed' WHERE user_id = :id").sqlState())
                .isEqualTo("23514");
        for (String column : List.of("output_audio_path = 'x'", "quality_score = 1", "retry_count = 0",
                "replicate_prediction_id = 'p'", "error_code = null", "completed_at = now()")) {
            assertThat(asAlice("UPDATE public.ai_transformations SET " + column + " WHERE user_id = :id").sqlState())
                    .as(column).isEqualTo("42501");
        }
        assertThat(asAlice("UPDATE public.ai_transformations SET user_rating = 5 WHERE user_id = :id").sqlState())
                .as("rating before completion").isEqualTo("23514");
        assertThat(asMallory("UPDATE public.ai_transformations SET status = 'cancelled' WHERE id = :transformation")
                .rows()).isZero();
        assertThat(asAlice("UPDATE public.ai_transformations SET status = 'cancelled' WHERE user_id = :id").rows())
                .isEqualTo(1);
    }

    @Test
    void presetsCannotBeMadeSystemPresetsOrGivenFakeRatings() {
        assertThat(asAlice("""
                INSERT INTO public.effects_presets (user_id, name, effects_chain, is_system_preset)
                VALUES (:id, 'fake', '[]', true)""").sqlState()).isEqualTo("42501");
        for (String column : List.of("is_system_preset = true", "usage_count = 1000", "rating_average = 5",
                "rating_count = 1000", "user_id = null")) {
            assertThat(asAlice("UPDATE public.effects_presets SET " + column + " WHERE user_id = :id").sqlState())
                    .as(column).isEqualTo("42501");
        }
        assertThat(asMallory("UPDATE public.effects_presets SET name = 'mine' WHERE is_system_preset").rows()).isZero();
        assertThat(asMallory("UPDATE public.ai_model_presets SET name = 'mine'").rows()).isZero();
        assertThat(asAnon("UPDATE public.ai_model_presets SET name = 'mine'").sqlState()).isEqualTo("42501");
    }

    @Test
    void limitsAreReadOnlyForNonAdministrators() {
        assertThat(asMallory("UPDATE public.subscription_limits SET limit_value = 1000000").rows()).isZero();
        assertThat(asMallory("""
                INSERT INTO public.subscription_limits (subscription_tier, resource_type, limit_value, limit_unit)
                VALUES ('free', 'new_thing', 1, 'count')""").sqlState()).isEqualTo("42501");
    }

    @Test
    void eventsCannotBeAttributedToSomeoneElse() {
        assertThat(asMallory("INSERT INTO public.analytics_events (user_id, event_type) VALUES (:alice, 'x')")
                .sqlState()).isEqualTo("42501");
        assertThat(asAnon("INSERT INTO public.analytics_events (user_id, event_type) VALUES (:alice, 'x')")
                .sqlState()).isEqualTo("42501");
        assertThat(asMallory("INSERT INTO public.analytics_events (user_id, event_type) VALUES (:id, 'x')").rows())
                .isEqualTo(1);
        assertThat(asAnon("INSERT INTO public.analytics_events (event_type) VALUES ('page_view')").rows())
                .isEqualTo(1);
        assertThat(asMallory("DELETE FROM public.analytics_events").sqlState()).isEqualTo("42501");
    }

    @Test
    void clientsMayReportTheirOwnClientErrorsButNotReadOrForgeServerOnes() {
        assertThat(asMallory("INSERT INTO public.error_logs (user_id, error_type, error_message) "
                + "VALUES (:id, 'client_error', 'ui broke')").rows()).isEqualTo(1);
        assertThat(asMallory("INSERT INTO public.error_logs (user_id, error_type, error_message) "
                + "VALUES (:alice, 'client_error', 'framed')").sqlState()).isEqualTo("42501");
        assertThat(asMallory("INSERT INTO public.error_logs (error_type, error_message, severity) "
                + "VALUES ('server_error', 'fake outage', 'critical')").sqlState()).isEqualTo("42501");
        assertThat(asMallory("UPDATE public.error_logs SET resolved = true").rows()).isZero();
    }

    @Test
    void followsAreOnlyForOneselfAndCannotBeRedirected() {
        assertThat(asMallory("INSERT INTO public.user_followers (follower_id, following_id) VALUES (:alice, :id)")
                .sqlState()).isEqualTo("42501");
        assertThat(asMallory("INSERT INTO public.user_followers (follower_id, following_id) VALUES (:id, :alice)")
                .sqlState()).as("alice's profile is private: not followable unseen").isEqualTo("42501");
        assertThat(Attempt.run(database.db(), world.mallory.identity(),
                "INSERT INTO public.user_followers (follower_id, following_id) VALUES (:id, :bob)",
                Map.of("id", world.mallory.id(), "bob", world.bob.id())).rows()).isEqualTo(1);
        assertThat(asMallory("UPDATE public.user_followers SET following_id = :id WHERE follower_id = :id")
                .sqlState()).isEqualTo("42501");
    }

    @Test
    void versionNumbersAndAudioOfASnapshotAreTheDatabasesNotTheCallers() {
        Outcome forged = asAlice("INSERT INTO public.project_versions (project_id, title, version_number, "
                + "audio_file_path) VALUES (:project, 'v', 99, 'projects/other/x.wav')");
        assertThat(forged.sqlState()).isEqualTo("42501");
        assertThat(asAlice("INSERT INTO public.project_versions (project_id, title) VALUES (:project, 'v2')").rows())
                .isEqualTo(1);
        Map<String, Object> latest = database.row("""
                SELECT v.version_number, v.audio_file_path = p.original_audio_path AS same_audio
                FROM public.project_versions v JOIN public.projects p ON p.id = v.project_id
                WHERE v.project_id = :p ORDER BY v.version_number DESC LIMIT 1""",
                TestDatabase.params("p", world.privateProject));
        assertThat(latest.get("version_number")).isEqualTo(2);
        assertThat(latest.get("same_audio")).isEqualTo(true);
        assertThat(asMallory("INSERT INTO public.project_versions (project_id, title) VALUES (:project, 'x')")
                .sqlState()).isEqualTo("42501");
    }

    @Test
    void anonymousCallersCannotWriteAnything() {
        assertThat(asAnon("INSERT INTO public.projects (user_id, title) VALUES (:alice, 'x')").sqlState())
                .isEqualTo("42501");
        assertThat(asAnon("INSERT INTO public.project_likes (project_id, user_id) VALUES (:public, :alice)")
                .sqlState()).isEqualTo("42501");
        assertThat(asAnon("INSERT INTO public.user_followers (follower_id, following_id) VALUES (:alice, :alice)")
                .sqlState()).isEqualTo("42501");
        assertThat(asAnon("SELECT id FROM public.profiles").sqlState()).isEqualTo("42501");
        assertThat(asAnon("SELECT id FROM auth.users").sqlState()).isEqualTo("42501");
    }

    @Test
    void apiRolesNeverSeeAuthUsers() {
        assertThat(asMallory("SELECT email, encrypted_password FROM auth.users").sqlState()).isEqualTo("42501");
    }
}
