package studio.nexus.db;

import org.jdbi.v3.core.Handle;
import studio.nexus.core.Failure;

/**
 * "Is the caller an administrator?", asked of the database ({@code public.is_admin()} reads {@code user_roles})
 * inside the caller's own transaction. It only chooses a clear 403 (or 404 over 403) over an empty answer: the
 * policies and SECURITY DEFINER functions behind every admin endpoint check the same thing again and are the
 * authority. Here, below the features, so that any feature may ask without importing administration.
 */
public final class Roles {
    private Roles() {}

    public static boolean callerIsAdmin(Handle handle) {
        return Boolean.TRUE.equals(handle.createQuery("SELECT public.is_admin()").mapTo(Boolean.class).one());
    }

    public static void requireAdmin(Handle handle) {
        if (!callerIsAdmin(handle)) {
            throw Failure.forbidden("Only administrators may do this");
        }
    }
}
