package dev.xssab.schemas.serde;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** The configuration keys of the serdes, named as Confluent names them. */
public final class AvroSerdeConfig {
    /** Base URL of the registry (Confluent accepts a comma-separated list; the first is used). */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Register the writer's schema on first use (default true); false looks it up instead. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Deserialize to the generated SpecificRecord class (true) or a GenericRecord (default false). */
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

    private AvroSerdeConfig() {}

    static String url(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, "the schema registry URL is required");
        }
        return url.toString();
    }

    static boolean flag(Map<String, ?> configs, String key, boolean dflt) {
        Object v = configs.get(key);
        return v == null ? dflt : Boolean.parseBoolean(v.toString());
    }
}
