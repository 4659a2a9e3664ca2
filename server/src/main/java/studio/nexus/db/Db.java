package studio.nexus.db;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The request execution model: the only code that switches database roles.
 *
 * <p>Transactions run at READ COMMITTED, set once per pooled connection by {@link Database#pool}. (Asking Jdbi for
 * the level per transaction made pgjdbc send {@code SHOW TRANSACTION ISOLATION LEVEL} several times per unit of
 * work: six extra round trips per request, more than half of a simple read's time under load.)
 *
 * <p>Every unit of work runs in one transaction as exactly one {@link Identity}. The first statement of the
 * transaction sets the role, the JWT claims and a statement timeout together, with {@code is_local = true}, the
 * way PostgREST does: one round trip, and nothing outlives the transaction, so a pooled connection never carries
 * one user's identity into the next request. Row-level security then decides what the work can see and do.
 *
 * <p>Units of work wait for a connection in arrival order ({@link ConnectionQueue}), not in HikariCP's.
 *
 * <p>Thread-safe. A {@link Handle} given to a unit of work is not: use it only on the calling thread and only
 * inside the callback.
 */
public final class Db implements AutoCloseable {
    private static final String PREAMBLE = "SELECT set_config('role', ?, true), "
            + "set_config('request.jwt.claims', ?, true), set_config('statement_timeout', ?, true)";

    /** A unit of work inside the transaction; its exceptions roll the transaction back. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Handle handle);
    }

    /** Binds a one-statement read's own parameters, starting at {@code first} (the preamble's come before). */
    @FunctionalInterface
    public interface Parameters {
        void bind(PreparedStatement statement, int first) throws SQLException;
    }

    public static final Parameters NO_PARAMETERS = (statement, first) -> { };

    /** Turns the statement's rows into the answer; runs while the result set is open. */
    @FunctionalInterface
    public interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final String statementTimeout;
    private final ConnectionQueue queue;

    public Db(HikariDataSource dataSource, Duration statementTimeout) {
        this.dataSource = dataSource;
        // One connection stays outside the queue: the job workers' LISTEN connection and the health check take
        // theirs straight from the pool, so a queued unit of work never finds the pool empty.
        this.queue = new ConnectionQueue(Math.max(1, dataSource.getMaximumPoolSize() - 1),
                Duration.ofMillis(dataSource.getConnectionTimeout()));
        this.statementTimeout = statementTimeout.toMillis() + "ms";
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        JsonColumns.register(jdbi);
    }

    public <T> T as(Identity identity, Work<T> work) {
        return inQueuedTransaction(handle -> {
            become(handle, identity);
            return work.run(handle);
        });
    }

    /** The second part of {@link #asSystemThen}, given what the first part made. */
    @FunctionalInterface
    public interface Then<S, T> {
        T run(Handle handle, S made);
    }

    /**
     * Runs {@code systemPart} as the system and then, in the same transaction, {@code userPart} as the identity
     * {@code becoming} reads from what the system part made. For the one moment a user comes into being: sign-up
     * creates the account as the system (nobody is signed in yet) and the profile as the new user, so the profile
     * row passes the same grants and policies as any user's own write, and either both commit or neither does.
     */
    public <S, T> T asSystemThen(Work<S> systemPart, Function<? super S, Identity> becoming, Then<S, T> userPart) {
        return inQueuedTransaction(handle -> {
            become(handle, Identity.system());
            S made = systemPart.run(handle);
            become(handle, becoming.apply(made));
            return userPart.run(handle, made);
        });
    }

    /** A Jdbi transaction that waits its turn in the {@link ConnectionQueue} first. */
    private <T> T inQueuedTransaction(Work<T> work) {
        queue.enter();
        try {
            return jdbi.inTransaction(work::run);
        } finally {
            queue.leave();
        }
    }

    /**
     * The preamble on the transaction's own JDBC connection: it runs on every request, so it skips Jdbi's statement
     * machinery (binding, mapping, cleanup registration); pgjdbc keeps it server-side prepared per connection.
     */
    private void become(Handle handle, Identity identity) {
        try (PreparedStatement statement = handle.getConnection().prepareStatement(PREAMBLE)) {
            bindPreamble(statement, identity);
            statement.executeQuery().close();
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /**
     * A unit of work that is exactly one SQL statement, run as {@code identity} in ONE round trip: the preamble and
     * the statement travel together (pgjdbc sends both before a single Sync, in autocommit mode), so PostgreSQL runs
     * them in one implicit transaction that ends at the Sync. The {@code is_local} settings therefore hold for the
     * statement and end with it, exactly as in {@link #as}, and an error rolls everything back at the Sync and leaves
     * the connection clean (ExecutionModelIT checks both on a one-connection pool).
     *
     * <p>Why: {@link #as} costs three round trips (preamble, statement, COMMIT). On a busy machine every round trip
     * waits for two context switches, and the time a pooled connection is held grows with them; for the hottest
     * reads (who am I, is my session live) that held time, not CPU, bounded throughput (bench/accounts.sh).
     */
    public <T> T inOneRoundTrip(Identity identity, String sql, Parameters parameters, Rows<T> rows) {
        queue.enter();
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true); // the implicit transaction IS the transaction
            }
            try (PreparedStatement statement = connection.prepareStatement(PREAMBLE + ";\n" + sql)) {
                parameters.bind(statement, bindPreamble(statement, identity));
                statement.execute();
                if (!statement.getMoreResults()) {
                    throw new IllegalArgumentException("inOneRoundTrip needs a statement that returns rows: " + sql);
                }
                try (ResultSet result = statement.getResultSet()) {
                    return rows.read(result);
                }
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        } finally {
            queue.leave();
        }
    }

    /** Binds the {@link #PREAMBLE}'s role, claims and timeout; answers the index of the next parameter. */
    private int bindPreamble(PreparedStatement statement, Identity identity) throws SQLException {
        statement.setString(1, identity.role());
        statement.setString(2, identity.claimsJson());
        statement.setString(3, statementTimeout);
        return 4;
    }

    /** Runs as the system ({@code service_role}, bypasses RLS): job workers, counters, sweepers, sign-in. */
    public <T> T asSystem(Work<T> work) {
        return as(Identity.system(), work);
    }

    public <T> T asAnon(Work<T> work) {
        return as(Identity.anonymous(), work);
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** True when a trivial query answers within the pool's timeout. */
    public boolean isReachable() {
        try (var handle = jdbi.open()) {
            return handle.createQuery("SELECT 1").mapTo(Integer.class).one() == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
