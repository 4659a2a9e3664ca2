package studio.nexus.db;

import java.sql.SQLException;

/** Reads the SQLSTATE behind an exception, so features can answer a refusal in their own words. */
public final class SqlStates {
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    public static final String UNIQUE_VIOLATION = "23505";
    public static final String CHECK_VIOLATION = "23514";
    public static final String FOREIGN_KEY_VIOLATION = "23503";
    /** A definer function found nothing by that id (RAISE ... USING ERRCODE = 'no_data_found'). */
    public static final String NO_DATA_FOUND = "P0002";
    /** A definer function's precondition does not hold (e.g. a project without audio). */
    public static final String NOT_IN_PREREQUISITE_STATE = "55000";

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

    /** Whether {@code error} is a unique violation of one of the named constraints. */
    public static boolean violatesUnique(Throwable error, String... constraints) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.postgresql.util.PSQLException psql && psql.getServerErrorMessage() != null
                    && UNIQUE_VIOLATION.equals(psql.getSQLState())) {
                String name = psql.getServerErrorMessage().getConstraint();
                for (String constraint : constraints) {
                    if (constraint.equals(name)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether {@code error} is a violation (of any kind) of one of the named constraints. */
    public static boolean violatesConstraint(Throwable error, String... constraints) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.postgresql.util.PSQLException psql && psql.getServerErrorMessage() != null) {
                String name = psql.getServerErrorMessage().getConstraint();
                for (String constraint : constraints) {
                    if (constraint.equals(name)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Runs {@code work}; when a policy, grant or guard refuses it (42501), throws what {@code refused} makes
     * instead, so the feature answers the refusal in its own words (a 403 that names who may, or a 404 when the
     * caller may not even see the thing). Other failures pass unchanged.
     */
    public static <T> T onRefusal(java.util.function.Supplier<T> work,
                                  java.util.function.Supplier<? extends RuntimeException> refused) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (is(e, INSUFFICIENT_PRIVILEGE) && of(e) != null && !(e instanceof studio.nexus.core.Failure)) {
                throw refused.get();
            }
            throw e;
        }
    }

    public static boolean is(Throwable error, String state) {
        return state.equals(of(error));
    }
}
