package studio.nexus.admin;

import studio.nexus.core.Failure;
import org.jdbi.v3.core.Handle;

/**
 * "Is the caller an administrator?", asked of the database ({@code public.is_admin()} reads {@code user_roles})
 * inside the caller's own transaction. It only chooses a clear 403 over an empty answer: the policies and
 * SECURITY DEFINER functions behind every admin endpoint check the same thing again and are the authority.
 */
public final class AdminCheck {
    private AdminCheck() {}

    public static void require(Handle handle) {
        if (!handle.createQuery("SELECT public.is_admin()").mapTo(Boolean.class).one()) {
            throw Failure.forbidden("Only administrators may do this");
        }
    }
}
