package studio.nexus.testing;

import java.util.UUID;
import studio.nexus.db.Db;

/** Signed-in users for end-to-end tests: a user, a live session, and an access token for it. */
public final class Musicians {
    private Musicians() {}

    public record Musician(UUID id, String username, String token) {}

    public static Musician signedIn(TestServer server, Db db, String username, boolean publicProfile) {
        Users.TestUser user = Users.create(db, username, publicProfile);
        UUID session = UUID.randomUUID();
        db.asSystem(handle -> handle.createUpdate("""
                INSERT INTO public.user_sessions (id, user_id, session_token) VALUES (:id, :user, :token)""")
                .bind("id", session).bind("user", user.id()).bind("token", "test-" + session).execute());
        String token = server.app().features().tokens().issue(user.id(), session);
        return new Musician(user.id(), username, token);
    }

    public static Musician signedIn(TestServer server, Db db, String username) {
        return signedIn(server, db, username, false);
    }
}
