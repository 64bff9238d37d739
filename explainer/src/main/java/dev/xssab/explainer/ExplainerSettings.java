package dev.xssab.explainer;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.SettingGroup;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The settings of {@code xssab explainer}, declared once, and read through typed getters. */
public final class ExplainerSettings {
    public static final Setting INSTANCE = new Setting("explainer.instance", "--instance", Type.INT, 0, atLeast(0),
            "Instance number, unique among running explainers: the static group member and transactional id.");
    public static final Setting BATCH = new Setting("explainer.batch", "--batch", Type.INT, 8, between(1, 256),
            "Largest batch per model call.");
    public static final Setting MODELS = new Setting("explainer.models", "--explainer-models", Type.LIST, "fr_feature", null,
            "Models this explainer serves: built-in ids or spec JSON files of your own (also list those in"
                    + " gateway.model.specs), the default (for requests naming none) first; a request for another is rejected as"
                    + " UNKNOWN_MODEL. Each is loaded once. The local stack (./xssab up) serves"
                    + " fr_feature,mobileface,faceapi_resnet so that evaluations can compare them.");
    public static final Setting MAX_WAIT_MS = new Setting("explainer.max.wait.ms", "--max-wait-ms", Type.LONG, 20L, atLeast(0),
            "Longest wait to fill a batch, in milliseconds.");
    public static final Setting METRICS_PORT = new Setting("explainer.metrics.port", "--explainer-metrics-port", Type.INT, 9402,
            Setting.PORT, "Port of the explainer's /metrics and /health (one per instance on one host).");
    public static final Setting GROUP_ID = new Setting("explainer.group.id", "--explainer-group", Type.STRING, "xssab-explainer",
            Setting.NON_EMPTY, "Consumer group of the explainers; also the prefix of their transactional ids.");

    public static final SettingGroup GROUP = new SettingGroup("xssab explainer", List.of(INSTANCE, BATCH, MODELS, MAX_WAIT_MS,
            METRICS_PORT, GROUP_ID));

    private final ServiceConfig config;

    public ExplainerSettings(ServiceConfig config) {
        this.config = config;
    }

    public int instance() {
        return config.integer(INSTANCE);
    }

    public int batch() {
        return config.integer(BATCH);
    }

    /** The served models as given (built-in ids or spec files), the default first. */
    public List<String> models() {
        return config.list(MODELS);
    }

    public Duration maxWait() {
        return Duration.ofMillis(config.longValue(MAX_WAIT_MS));
    }

    public int metricsPort() {
        return config.integer(METRICS_PORT);
    }

    public String groupId() {
        return config.string(GROUP_ID);
    }
}
