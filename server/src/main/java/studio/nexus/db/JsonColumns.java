package studio.nexus.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Types;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.postgresql.util.PGobject;
import studio.nexus.core.Json;

/** Maps {@code jsonb} columns to Jackson {@link JsonNode}s and back, so feature code never handles JSON text. */
final class JsonColumns {
    private JsonColumns() {}

    static void register(Jdbi jdbi) {
        jdbi.registerColumnMapper(JsonNode.class, (resultSet, column, context) -> {
            String text = resultSet.getString(column);
            if (text == null) {
                return null;
            }
            try {
                return Json.MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("database returned invalid JSON", e);
            }
        });
        jdbi.registerArgument(new AbstractArgumentFactory<JsonNode>(Types.OTHER) {
            @Override
            protected Argument build(JsonNode value, ConfigRegistry config) {
                return (position, statement, context) -> {
                    PGobject json = new PGobject();
                    json.setType("jsonb");
                    json.setValue(value == null ? null : value.toString());
                    statement.setObject(position, json);
                };
            }
        });
    }
}
