package studio.nexus.testing;

import java.sql.SQLException;
import java.util.Map;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;

/**
 * Runs one SQL statement as an identity and tells what happened: how many rows it touched or returned, or the
 * SQLSTATE that refused it. For tests that probe what a hostile caller can and cannot do.
 */
public final class Attempt {
    private Attempt() {}

    /** {@code rows} affected/returned, or {@code sqlState} of the refusal (then rows is -1). */
    public record Outcome(int rows, String sqlState, String message) {
        public boolean refused() {
            return sqlState != null;
        }

        /** Refused outright or touched nothing: either way the caller got nothing done. */
        public boolean achievedNothing() {
            return refused() || rows == 0;
        }

        @Override
        public String toString() {
            return refused() ? "refused " + sqlState + " (" + message + ")" : rows + " row(s)";
        }
    }

    public static Outcome run(Db db, Identity identity, String sql, Map<String, Object> binds) {
        try {
            int rows = db.as(identity, handle -> {
                handle.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).setUnusedBindingAllowed(true);
                boolean isQuery = sql.stripLeading().toUpperCase().startsWith("SELECT")
                        || sql.toUpperCase().contains("RETURNING");
                if (isQuery) {
                    var query = handle.createQuery(sql);
                    binds.forEach(query::bind);
                    return query.mapToMap().list().size();
                }
                var update = handle.createUpdate(sql);
                binds.forEach(update::bind);
                return update.execute();
            });
            return new Outcome(rows, null, null);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause != null && !(cause instanceof SQLException)) {
                cause = cause.getCause();
            }
            if (cause instanceof SQLException sql2) {
                return new Outcome(-1, sql2.getSQLState(), sql2.getMessage().lines().findFirst().orElse(""));
            }
            throw e;
        }
    }

    public static Outcome run(Db db, Identity identity, String sql) {
        return run(db, identity, sql, Map.of());
    }
}
