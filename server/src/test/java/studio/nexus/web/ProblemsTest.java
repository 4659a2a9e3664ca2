package studio.nexus.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    private static ApiException fromDatabase(String sqlState) {
        return Problems.translate(new UnableToExecuteStatementException(new SQLException("boom", sqlState), null));
    }

    @Test
    void noFreeConnectionInTimeIsA503BusyWithRetryAfterNotA500() {
        ApiException problem = Problems.translate(new UnableToExecuteStatementException(
                new SQLTransientConnectionException("no database connection became free in time", "53300"), null));
        assertThat(problem).isNotNull();
        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.code()).isEqualTo("busy");
        assertThat(problem.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void aSlowOrUnreachableOrConflictingDatabaseIsA503WithRetryAfter() {
        assertThat(fromDatabase("57014").code()).isEqualTo("timeout");
        assertThat(fromDatabase("08006").code()).isEqualTo("database_unavailable");
        assertThat(fromDatabase("40001").code()).isEqualTo("busy");
        for (String state : new String[] {"57014", "08006", "40001", "53300"}) {
            assertThat(fromDatabase(state).status()).isEqualTo(503);
            assertThat(fromDatabase(state).headers()).containsKey("Retry-After");
        }
    }

    @Test
    void anUnknownDatabaseFailureIsOursAndStaysA500() {
        assertThat(fromDatabase("XX000")).isNull();
    }
}
