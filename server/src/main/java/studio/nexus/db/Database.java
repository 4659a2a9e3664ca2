package studio.nexus.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import java.time.Duration;

/** Builds the connection pool for a chosen database. */
public final class Database {
    private Database() {}

    public static HikariDataSource pool(String jdbcUrl, String user, String password, int size, MeterRegistry metrics) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setPoolName("studio-nexus");
        // Every unit of work runs at READ COMMITTED (Db relies on it); set here once per connection, not per transaction.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.addDataSourceProperty("ApplicationName", "studio-nexus");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        if (metrics != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        }
        return new HikariDataSource(config);
    }
}
