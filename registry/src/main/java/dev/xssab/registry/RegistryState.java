package dev.xssab.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The registry's state, rebuilt from the {@code _schemas} log record by record, in Confluent's
 * record format: key {@code {"keytype":"SCHEMA","subject":s,"version":v,"magic":1}} with value
 * {@code {"subject","version","id","schema","deleted"}}, and key
 * {@code {"keytype":"CONFIG","subject":s|null,"magic":0}} with value
 * {@code {"compatibilityLevel":...}}. A null value (tombstone) removes the entry.
 */
final class RegistryState {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One version of a subject. */
    record Version(String subject, int version, int id, String schema) {}

    private final Map<Integer, String> schemasById = new HashMap<>();
    /** Canonical schema text to its id: the same schema gets the same id under every subject. */
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, TreeMap<Integer, Version>> subjects = new TreeMap<>();
    private final Map<String, Compatibility> subjectConfig = new HashMap<>();
    private Compatibility globalConfig = Compatibility.BACKWARD;
    private int maxId;

    void apply(String key, String value) {
        JsonNode k = parse(key);
        String type = k.path("keytype").asText();
        String subject = k.hasNonNull("subject") ? k.get("subject").asText() : null;
        if ("SCHEMA".equals(type)) {
            int version = k.get("version").asInt();
            if (value == null) {
                TreeMap<Integer, Version> versions = subjects.get(subject);
                if (versions != null) {
                    versions.remove(version);
                }
                return;
            }
            JsonNode v = parse(value);
            if (v.path("deleted").asBoolean(false)) {
                TreeMap<Integer, Version> versions = subjects.get(subject);
                if (versions != null) {
                    versions.remove(version);
                }
                return;
            }
            int id = v.get("id").asInt();
            String schema = v.get("schema").asText();
            schemasById.put(id, schema);
            idsBySchema.putIfAbsent(schema, id);
            maxId = Math.max(maxId, id);
            subjects.computeIfAbsent(subject, s -> new TreeMap<>()).put(version, new Version(subject, version, id, schema));
        } else if ("CONFIG".equals(type)) {
            Compatibility level = value == null ? null : Compatibility.parse(parse(value).get("compatibilityLevel").asText());
            if (subject == null) {
                globalConfig = level == null ? Compatibility.BACKWARD : level;
            } else if (level == null) {
                subjectConfig.remove(subject);
            } else {
                subjectConfig.put(subject, level);
            }
        }
    }

    static String schemaKey(String subject, int version) {
        ObjectNode k = JSON.createObjectNode();
        k.put("keytype", "SCHEMA");
        k.put("subject", subject);
        k.put("version", version);
        k.put("magic", 1);
        return k.toString();
    }

    static String schemaValue(String subject, int version, int id, String schema) {
        ObjectNode v = JSON.createObjectNode();
        v.put("subject", subject);
        v.put("version", version);
        v.put("id", id);
        v.put("schema", schema);
        v.put("deleted", false);
        return v.toString();
    }

    static String configKey(String subject) {
        ObjectNode k = JSON.createObjectNode();
        k.put("keytype", "CONFIG");
        if (subject == null) {
            k.putNull("subject");
        } else {
            k.put("subject", subject);
        }
        k.put("magic", 0);
        return k.toString();
    }

    static String configValue(Compatibility level) {
        ObjectNode v = JSON.createObjectNode();
        v.put("compatibilityLevel", level.name());
        return v.toString();
    }

    Integer idOf(String canonicalSchema) {
        return idsBySchema.get(canonicalSchema);
    }

    int nextId() {
        return maxId + 1;
    }

    String schemaById(int id) {
        return schemasById.get(id);
    }

    List<String> subjects() {
        List<String> out = new ArrayList<>();
        subjects.forEach((s, v) -> {
            if (!v.isEmpty()) {
                out.add(s);
            }
        });
        return out;
    }

    /** Versions of a subject, oldest first; empty if unknown. */
    List<Version> versions(String subject) {
        TreeMap<Integer, Version> v = subjects.get(subject);
        return v == null ? List.of() : new ArrayList<>(v.values());
    }

    List<Schema> parsedVersions(String subject) {
        List<Schema> out = new ArrayList<>();
        for (Version v : versions(subject)) {
            out.add(new Schema.Parser().parse(v.schema()));
        }
        return out;
    }

    Compatibility globalCompatibility() {
        return globalConfig;
    }

    Compatibility subjectCompatibility(String subject) {
        return subjectConfig.get(subject);
    }

    Compatibility effectiveCompatibility(String subject) {
        return subjectConfig.getOrDefault(subject, globalConfig);
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable _schemas record: " + text, e);
        }
    }
}
