package dev.xssab.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tags of a decision, as verification_result.tags_json holds them: compact JSON with sorted
 * keys, so that one tag {@code "k":"v"} is always spelled the same way and a LIKE can find it.
 */
final class ResultTags {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {};

    private ResultTags() {}

    static String json(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(tags));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The requests tagged {@code key=value}. The LIKE only narrows the rows down (a value could
     * contain the text of another tag); each candidate is confirmed on its parsed tags.
     */
    static List<String> requestsTagged(Connection connection, String key, String value) throws SQLException {
        String pattern = "%" + likeEscaped(json(Map.of(key, value)).replaceAll("^\\{|\\}$", "")) + "%";
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT request_id, tags_json FROM verification_result WHERE tags_json LIKE ? ESCAPE '\\' ORDER BY request_id")) {
            s.setString(1, pattern);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (value.equals(parse(rs.getString(2)).get(key))) {
                        ids.add(rs.getString(1));
                    }
                }
            }
        }
        return ids;
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Map<String, String> parse(String tagsJson) {
        try {
            return JSON.readValue(tagsJson, TAGS);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable tags_json " + tagsJson, e);
        }
    }
}
