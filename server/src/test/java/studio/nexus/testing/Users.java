package studio.nexus.testing;

import java.util.UUID;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;

/** Makes users straight in the database, as the system, for tests of the data layer. */
public final class Users {
    private Users() {}

    public record TestUser(UUID id, String username, Identity identity) {}

    public static TestUser create(Db db, String username, boolean publicProfile) {
        UUID id = UUID.randomUUID();
        db.asSystem(handle -> {
            handle.createUpdate("INSERT INTO auth.users (id, email) VALUES (:id, :email)")
                    .bind("id", id).bind("email", username + "@example.test").execute();
            handle.createUpdate("INSERT INTO public.profiles (id, username, preferences) VALUES (:id, :username, "
                            + "jsonb_build_object('profile_public', :public))")
                    .bind("id", id).bind("username", username).bind("public", publicProfile).execute();
            return null;
        });
        return new TestUser(id, username, Identity.user(id, UUID.randomUUID()));
    }

    public static TestUser create(Db db, String username) {
        return create(db, username, false);
    }

    public static void makeAdmin(Db db, UUID userId) {
        db.asSystem(handle -> handle.createUpdate("INSERT INTO public.user_roles (user_id, role) VALUES (:id, 'admin')")
                .bind("id", userId).execute());
    }
}
