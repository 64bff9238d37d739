package dev.xssab.config;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * One declared setting: its key (the name in a properties file), its command-line flag, its
 * group, its type, default, validation and documentation. The environment variable is derived
 * from the key ({@code explainer.batch} is {@code XSSAB_EXPLAINER_BATCH}), so there is nothing
 * else to keep in step.
 *
 * @param defaultValue {@link ConfigDef#NO_DEFAULT_VALUE} for a required setting, {@code null} for
 *     an optional one with no value
 * @param validator {@code null} when the type says everything
 */
public record Setting(String key, String flag, Group group, ConfigDef.Type type, Object defaultValue,
        ConfigDef.Validator validator, String doc) {

    /** What a setting belongs to: the service that reads it, or the clients every service has. */
    public enum Group {
        KAFKA("Kafka clients and topics (every service and client)"),
        OBSERVABILITY("Metrics, health and logs (every service)"),
        SCHEMA_REGISTRY_CLIENT("Schema registry client (Confluent's own keys)"),
        BROKER("xssab broker"),
        REGISTRY("xssab registry"),
        GATEWAY("xssab gateway"),
        EXPLAINER("xssab explainer"),
        AUDIT("xssab audit run, list, show"),
        AGGREGATES("xssab aggregates"),
        UI("xssab ui"),
        CLIENT("Clients that submit requests (submit, demo, evaluate, ui replay)");

        private final String title;

        Group(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    public Setting {
        if (!flag.startsWith("--")) {
            throw new IllegalArgumentException("flag of " + key + " must start with --");
        }
    }

    /** The environment variable that sets it. */
    public String env() {
        return "XSSAB_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** True for passwords and other secrets: never printed, never logged. */
    public boolean secret() {
        return type == ConfigDef.Type.PASSWORD;
    }
}
