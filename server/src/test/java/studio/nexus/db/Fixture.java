package studio.nexus.db;

import java.util.UUID;
import studio.nexus.testing.Users;
import studio.nexus.testing.Users.TestUser;

/**
 * A small world for row-level security tests, made as the system: alice owns a private and a public project with a
 * version, a transformation, a session, usage and a private preset; bob is invited to the private project; mallory
 * is a stranger.
 */
final class Fixture {
    final TestUser alice;
    final TestUser bob;
    final TestUser mallory;
    final UUID privateProject;
    final UUID publicProject;
    final UUID transformation;
    final UUID session;
    final UUID alicePreset;

    Fixture(Db db, String suffix) {
        alice = Users.create(db, "alice" + suffix, false);
        bob = Users.create(db, "bob" + suffix, true);
        mallory = Users.create(db, "mallory" + suffix, false);
        privateProject = UUID.randomUUID();
        publicProject = UUID.randomUUID();
        transformation = UUID.randomUUID();
        session = UUID.randomUUID();
        alicePreset = UUID.randomUUID();
        db.asSystem(handle -> {
            for (UUID project : new UUID[] {privateProject, publicProject}) {
                // a take is a registered object before anything names it (V83)
                studio.nexus.usage.Usage.chargeStorage(handle, "projects/" + project + "/take1.wav", 1000, alice.id(),
                        project, false, studio.nexus.usage.Usage.AudioFacts.NONE);
            }
            handle.createUpdate("""
                    INSERT INTO public.projects (id, user_id, title, is_public, original_audio_path)
                    VALUES (:private, :alice, 'Secret demo', false, 'projects/' || :private || '/take1.wav'),
                           (:public, :alice, 'Open jam', true, 'projects/' || :public || '/take1.wav')""")
                    .bind("private", privateProject).bind("public", publicProject).bind("alice", alice.id()).execute();
            handle.createUpdate("INSERT INTO public.project_versions (project_id, title) VALUES (:p, 'v1')")
                    .bind("p", privateProject).execute();
            handle.createUpdate("""
                    INSERT INTO public.project_collaborators (project_id, user_id, invited_by, role)
                    VALUES (:p, :bob, :alice, 'editor')""")
                    .bind("p", privateProject).bind("bob", bob.id()).bind("alice", alice.id()).execute();
            handle.createUpdate("""
                    INSERT INTO public.ai_transformations (id, project_id, user_id, transformation_type, input_audio_path)
                    VALUES (:t, :p, :alice, 'jazz', 'projects/' || :p || '/take1.wav')""")
                    .bind("t", transformation).bind("p", privateProject).bind("alice", alice.id()).execute();
            handle.createUpdate("""
                    INSERT INTO public.user_sessions (id, user_id, session_token, ip_address, user_agent)
                    VALUES (:s, :alice, 'hash-of-a-token', '10.0.0.1', 'test')""")
                    .bind("s", session).bind("alice", alice.id()).execute();
            handle.createUpdate("""
                    INSERT INTO public.usage_tracking (user_id, resource_type, quantity) VALUES (:alice, 'exports', 1)""")
                    .bind("alice", alice.id()).execute();
            handle.createUpdate("""
                    INSERT INTO public.effects_presets (id, user_id, name, effects_chain)
                    VALUES (:id, :alice, 'My secret chain', '[]')""")
                    .bind("id", alicePreset).bind("alice", alice.id()).execute();
            handle.createUpdate("""
                    INSERT INTO public.analytics_events (user_id, event_type) VALUES (:alice, 'page_view')""")
                    .bind("alice", alice.id()).execute();
            handle.createUpdate("""
                    INSERT INTO public.error_logs (user_id, error_type, error_message) VALUES (:alice, 'server_error', 'boom')""")
                    .bind("alice", alice.id()).execute();
            return null;
        });
    }
}
