package studio.nexus.projects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import studio.nexus.db.Columns;
import studio.nexus.core.Json;

/**
 * Maps a row of {@code ProjectSql}'s project columns by hand: explore and the project lists map up to 100 rows
 * per request, where Jdbi's reflective constructor mapping was a large share of the server's CPU. Stateless.
 */
final class ProjectMapper implements RowMapper<Project> {
    static final ProjectMapper INSTANCE = new ProjectMapper();

    @Override
    public Project map(ResultSet rs, StatementContext ctx) throws SQLException {
        int sampleRate = rs.getInt("sample_rate");
        Integer sampleRateOrNull = rs.wasNull() ? null : sampleRate;
        int channels = rs.getInt("channels");
        Integer channelsOrNull = rs.wasNull() ? null : channels;
        int bpm = rs.getInt("metronome_bpm");
        Integer bpmOrNull = rs.wasNull() ? null : bpm;
        return new Project(
                rs.getObject("id", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getString("owner_username"),
                rs.getString("title"),
                rs.getString("description"),
                rs.getString("genre"),
                strings(rs.getArray("tags")),
                rs.getString("original_audio_path"),
                rs.getString("processed_audio_path"),
                rs.getBigDecimal("duration_seconds"),
                sampleRateOrNull,
                channelsOrNull,
                Columns.json(rs, "effects_settings"),
                bpmOrNull,
                Columns.json(rs, "project_settings"),
                rs.getString("status"),
                rs.getBoolean("is_public"),
                rs.getBoolean("comments_allowed"),
                rs.getBoolean("is_featured"),
                rs.getInt("play_count"),
                rs.getInt("like_count"),
                rs.getInt("download_count"),
                Columns.instant(rs, "created_at"),
                Columns.instant(rs, "updated_at"),
                Columns.instant(rs, "last_played_at"),
                rs.getLong("settings_version"),
                rs.getLong("chain_version"),
                rs.getString("my_role"),
                rs.getBoolean("liked_by_me"));
    }

    private static String[] strings(Array array) throws SQLException {
        return array == null ? new String[0] : (String[]) array.getArray();
    }


}
