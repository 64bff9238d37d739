package dev.xssab.config;

import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/** The declared settings as a Markdown table: {@code xssab config --doc} and docs/operations.md. */
public final class ConfigDoc {
    private ConfigDoc() {}

    public static String markdown(SettingsCatalog catalog) {
        StringBuilder out = new StringBuilder();
        for (SettingGroup group : catalog.groups()) {
            List<Setting> settings = group.settings();
            if (settings.isEmpty()) {
                continue;
            }
            out.append("**").append(group.title()).append("**\n\n");
            out.append("| key | flag | environment | type | default | valid | description |\n");
            out.append("| --- | --- | --- | --- | --- | --- | --- |\n");
            for (Setting s : settings) {
                out.append("| `").append(s.key()).append("` | `").append(s.flag()).append("` | `").append(s.env())
                        .append("` | ").append(s.type().name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(defaultText(s, catalog)).append(" | ").append(s.validator() == null ? "" : escape(s.validator().toString()))
                        .append(" | ").append(escape(s.doc())).append(" |\n");
            }
            out.append('\n');
        }
        out.append("Kafka client settings: any key under `").append(CommonSettings.KAFKA_PREFIX)
                .append("` in a `--config` file (for example `kafka.security.protocol=SASL_SSL`), or any key of the")
                .append(" file named by `client.config.file`, reaches every producer, consumer, admin and Streams client")
                .append(" unchanged. They win over the services' own client choices (sizes, timeouts, poll and commit")
                .append(" intervals), except these, which exactly-once processing rests on and which a contradicting value")
                .append(" is refused for: ").append(String.join(", ", new java.util.TreeSet<>(KeptClientSettings.KEYS)
                        .stream().map(k -> "`" + k + "`").toList()))
                .append(". Replication is not a client setting: ").append(String.join(", ", new java.util.TreeSet<>(
                        Replication.DECIDED_HERE.keySet()).stream().map(k -> "`" + CommonSettings.KAFKA_PREFIX + k + "`").toList()))
                .append(" are refused; use `").append(CommonSettings.TOPICS_REPLICATION.key()).append("`, `")
                .append(CommonSettings.TOPICS_MIN_INSYNC_REPLICAS.key()).append("` and `").append(CommonSettings.STREAMS_REPLICATION.key())
                .append("`.\n");
        return out.toString();
    }

    private static String defaultText(Setting s, SettingsCatalog catalog) {
        Object d = catalog.defaultValue(s);
        if (d == ConfigDef.NO_DEFAULT_VALUE) {
            return "(required)";
        }
        if (d == null || d.toString().isEmpty()) {
            return "";
        }
        return s.secret() ? "(hidden)" : "`" + d + "`";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
