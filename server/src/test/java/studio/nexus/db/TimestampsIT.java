package studio.nexus.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.TestDatabase;

class TimestampsIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(4);

    @Test
    void everyTableWithUpdatedAtKeepsItCurrentOnUpdate() {
        Fixture world = new Fixture(database, "");
        List<String> tables = database.list(String.class, """
                SELECT table_schema || '.' || table_name FROM information_schema.columns
                WHERE column_name = 'updated_at' AND table_schema IN ('public', 'auth')
                  AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')
                ORDER BY 1""", TestDatabase.params());
        assertThat(tables).contains("public.profiles", "public.projects", "public.ai_model_presets",
                "public.effects_presets", "auth.users");
        for (String table : tables) {
            Map<String, Object> result = database.db().asSystem(handle -> {
                handle.execute("UPDATE " + table + " SET updated_at = '2000-01-01'");
                // a later transaction's now() is later than 2000: the trigger must overwrite the stale value
                return handle.createQuery("SELECT count(*) AS stale FROM " + table
                        + " WHERE updated_at < now() - interval '1 minute'").mapToMap().one();
            });
            assertThat(((Number) result.get("stale")).longValue()).as(table).isZero();
        }
        assertThat(world.alice.id()).isNotNull();
    }
}
