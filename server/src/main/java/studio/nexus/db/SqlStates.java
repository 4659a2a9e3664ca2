package studio.nexus.db;

import java.sql.SQLException;

/** Reads the SQLSTATE behind an exception, so features can answer a refusal in their own words. */
public final class SqlStates {
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    public static final String UNIQUE_VIOLATION = "23505";
    public static final String CHECK_VIOLATION = "23514";
    public static final String FOREIGN_KEY_VIOLATION = "23503";

    private SqlStates() {}

    public static String of(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** The HINT a database function raised with, which our guards use to name the rule that refused. */
    public static String hint(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.postgresql.util.PSQLException psql && psql.getServerErrorMessage() != null) {
                return psql.getServerErrorMessage().getHint();
            }
        }
        return null;
    }

    public static boolean is(Throwable error, String state) {
        return state.equals(of(error));
    }
}
