package studio.nexus.admin;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import studio.nexus.db.Db;

/**
 * {@code java -jar studio-nexus.jar admin grant|revoke <email>}: makes the first administrator (or removes one)
 * from the operator's shell, as the system, since no administrator exists yet to do it through the API. The
 * database's audit trigger records it like any other change to {@code user_roles} (actor: the system).
 */
public final class AdminCommand {
    private AdminCommand() {}

    /** Runs the command; answers the process exit code (0 done, 1 no such account, 2 usage). */
    public static int run(Db db, List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 2 || !(args.get(0).equals("grant") || args.get(0).equals("revoke"))) {
            err.println("Usage: java -jar studio-nexus.jar admin grant|revoke <email>");
            return 2;
        }
        String email = args.get(1).trim();
        boolean grant = args.get(0).equals("grant");
        return db.asSystem(handle -> {
            AdminSql sql = new AdminSql(handle);
            Optional<UUID> user = sql.accountByEmail(email);
            if (user.isEmpty()) {
                err.println("No account has the email " + email);
                return 1;
            }
            boolean changed = (grant ? sql.grantAdmin(user.get()) : sql.revokeAdmin(user.get())) == 1;
            out.println(email + (grant ? (changed ? " is now an administrator" : " was already an administrator")
                    : (changed ? " is no longer an administrator" : " was not an administrator")));
            return 0;
        });
    }
}
