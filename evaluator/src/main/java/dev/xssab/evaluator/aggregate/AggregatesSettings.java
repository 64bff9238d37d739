package dev.xssab.evaluator.aggregate;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;

import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.SettingGroup;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The settings of {@code xssab aggregates}, declared once, and read through typed getters. */
public final class AggregatesSettings {
    public static final Setting HTTP_HOST = new Setting("aggregates.http.host", "--http-host", Type.STRING, "127.0.0.1",
            Setting.NON_EMPTY, "Address of the aggregates' HTTP endpoint.");
    public static final Setting HTTP_PORT = new Setting("aggregates.http.port", "--http-port", Type.INT, 8082, Setting.PORT,
            "Port of the aggregates' HTTP endpoint.");
    public static final Setting METRICS_PORT = new Setting("aggregates.metrics.port", "--aggregates-metrics-port", Type.INT, 9404,
            Setting.PORT, "Port of the aggregates' /metrics and /health.");
    public static final Setting DEDUP_RETENTION_MS = new Setting("aggregates.dedup.retention.ms", "--aggregates-dedup-retention-ms",
            Type.LONG, 7L * 24 * 3600 * 1000, atLeast(60_000),
            "How long a requestId is remembered so that a replayed result counts once. Memory is bounded by the ids of"
                    + " this period; a result replayed later than this would count again.");
    public static final Setting APPLICATION_ID = new Setting("aggregates.application.id", "--aggregates-app-id", Type.STRING,
            "xssab-aggregates", Setting.NON_EMPTY, "Kafka Streams application.id of the aggregates.");

    public static final SettingGroup GROUP = new SettingGroup("xssab aggregates", List.of(HTTP_HOST, HTTP_PORT, METRICS_PORT,
            DEDUP_RETENTION_MS, APPLICATION_ID));

    private final ServiceConfig config;

    public AggregatesSettings(ServiceConfig config) {
        this.config = config;
    }

    public String httpHost() {
        return config.string(HTTP_HOST);
    }

    public int httpPort() {
        return config.integer(HTTP_PORT);
    }

    public int metricsPort() {
        return config.integer(METRICS_PORT);
    }

    public Duration dedupRetention() {
        return Duration.ofMillis(config.longValue(DEDUP_RETENTION_MS));
    }

    public String applicationId() {
        return config.string(APPLICATION_ID);
    }
}
