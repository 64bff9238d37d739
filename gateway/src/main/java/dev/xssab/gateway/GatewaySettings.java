package dev.xssab.gateway;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;

import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.SettingGroup;
import dev.xssab.faces.image.DecodeLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The settings of {@code xssab gateway}, declared once, and read through typed getters. */
public final class GatewaySettings {
    public static final Setting METRICS_PORT = new Setting("gateway.metrics.port", "--gateway-metrics-port", Type.INT, 9401,
            Setting.PORT, "Port of the gateway's /metrics and /health.");
    public static final Setting THREADS = new Setting("gateway.threads", "--threads", Type.INT, 0, atLeast(0),
            "Stream threads of the gateway; 0: one per core.");
    public static final Setting DEDUP_WINDOW_MS = new Setting("gateway.dedup.window.ms", "--dedup-window-ms", Type.LONG, 600_000L,
            atLeast(1), "A requestId seen again within this window is rejected as DUPLICATE_REQUEST.");
    public static final Setting MAX_IMAGE_BYTES = new Setting("gateway.max.image.bytes", "--max-image-bytes", Type.LONG,
            10L * 1024 * 1024, atLeast(1), "Largest accepted encoded image, in bytes.");
    public static final Setting MAX_PIXELS = new Setting("gateway.max.pixels", "--max-pixels", Type.LONG, 40_000_000L, atLeast(1),
            "Largest accepted image in pixels, read from the header before decoding.");
    public static final Setting EVALUATION_PRINCIPALS = new Setting("gateway.evaluation.principals", "--evaluation-principals",
            Type.LIST, "*", null, "Principals whose requests (on their own"
                    + " request topic) may carry their own evaluation threshold; others are refused as THRESHOLD_NOT_ALLOWED."
                    + " * allows every request: only for an unsecured local stack. A secured stack lists its evaluator.");
    public static final Setting MODEL_SPECS = new Setting("gateway.model.specs", "--gateway-model-specs", Type.LIST, "", null,
            "Spec JSON files of your own models (docs/architecture.md: Bring your own model) whose faces this gateway"
                    + " prepares, besides the built-in models; their ids are then accepted in requests.");
    public static final Setting APPLICATION_ID = new Setting("gateway.application.id", "--gateway-app-id", Type.STRING,
            "xssab-gateway", Setting.NON_EMPTY,
            "Kafka Streams application.id of the gateway (its group and the prefix of its internal topics).");

    public static final SettingGroup GROUP = new SettingGroup("xssab gateway", List.of(METRICS_PORT, THREADS, DEDUP_WINDOW_MS,
            MAX_IMAGE_BYTES, MAX_PIXELS, EVALUATION_PRINCIPALS, MODEL_SPECS, APPLICATION_ID));

    private final ServiceConfig config;

    public GatewaySettings(ServiceConfig config) {
        this.config = config;
    }

    public int metricsPort() {
        return config.integer(METRICS_PORT);
    }

    /** Stream threads: as set, or one per core for 0. */
    public int streamThreads() {
        int threads = config.integer(THREADS);
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    public Duration dedupWindow() {
        return Duration.ofMillis(config.longValue(DEDUP_WINDOW_MS));
    }

    /** The declared size limits; the smallest side stays the library's. */
    public DecodeLimits decodeLimits() {
        return new DecodeLimits(config.longValue(MAX_IMAGE_BYTES), config.longValue(MAX_PIXELS), DecodeLimits.DEFAULT.minSide());
    }

    public Set<String> evaluationPrincipals() {
        return Set.copyOf(config.list(EVALUATION_PRINCIPALS));
    }

    /** The spec files of the operator's own models, in their order. */
    public List<Path> modelSpecFiles() {
        return config.list(MODEL_SPECS).stream().map(Path::of).toList();
    }

    public String applicationId() {
        return config.string(APPLICATION_ID);
    }
}
