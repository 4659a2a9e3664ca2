package studio.nexus.db;

import java.util.Map;
import java.util.UUID;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.usage.Usage;

/**
 * A small world for row-level security tests, made as the system: alice owns a private and a public project with a
 * version, a transformation, a session, usage and a private preset; bob is invited to the private project; mallory
 * is a stranger.
 */
final class Fixture {
    final Musician alice;
    final Musician bob;
    final Musician mallory;
    final UUID privateProject;
    final UUID publicProject;
    final UUID transformation;
    final UUID session;
    final UUID alicePreset;

    Fixture(TestDatabase database, String suffix) {
        alice = Musicians.named("alice" + suffix).inDatabase(database);
        bob = Musicians.named("bob" + suffix).publicProfile().inDatabase(database);
        mallory = Musicians.named("mallory" + suffix).inDatabase(database);
        privateProject = UUID.randomUUID();
        publicProject = UUID.randomUUID();
        transformation = UUID.randomUUID();
        session = UUID.randomUUID();
        alicePreset = UUID.randomUUID();
        for (UUID project : new UUID[] {privateProject, publicProject}) {
            // a take is a registered object before anything names it (V83)
            database.db().asSystem(handle -> Usage.chargeStorage(handle, take(project), 1000, alice.id(), project,
                    false, Usage.AudioFacts.NONE));
        }
        database.insert("public.projects", Map.of("id", privateProject, "user_id", alice.id(), "title", "Secret demo",
                "is_public", false, "original_audio_path", take(privateProject)));
        database.insert("public.projects", Map.of("id", publicProject, "user_id", alice.id(), "title", "Open jam",
                "is_public", true, "original_audio_path", take(publicProject)));
        database.insert("public.project_versions", Map.of("project_id", privateProject, "title", "v1"));
        database.insert("public.project_collaborators", Map.of("project_id", privateProject, "user_id", bob.id(),
                "invited_by", alice.id(), "role", "editor"));
        database.insert("public.ai_transformations", Map.of("id", transformation, "project_id", privateProject,
                "user_id", alice.id(), "transformation_type", "jazz", "input_audio_path", take(privateProject)));
        database.update("""
                INSERT INTO public.user_sessions (id, user_id, session_token, ip_address, user_agent)
                VALUES (:s, :alice, 'hash-of-a-token', '10.0.0.1', 'test')""",
                TestDatabase.params("s", session, "alice", alice.id()));
        database.insert("public.usage_tracking", Map.of("user_id", alice.id(), "resource_type", "exports",
                "quantity", 1));
        database.update("""
                INSERT INTO public.effects_presets (id, user_id, name, effects_chain)
                VALUES (:id, :alice, 'My secret chain', '[]')""",
                TestDatabase.params("id", alicePreset, "alice", alice.id()));
        database.insert("public.analytics_events", Map.of("user_id", alice.id(), "event_type", "page_view"));
        database.insert("public.error_logs", Map.of("user_id", alice.id(), "error_type", "server_error",
                "error_message", "boom"));
    }

    private static String take(UUID project) {
        return "projects/" + project + "/take1.wav";
    }
}
