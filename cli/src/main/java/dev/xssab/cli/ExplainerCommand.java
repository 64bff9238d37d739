package dev.xssab.cli;

import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.Settings;
import dev.xssab.explainer.OrtScorer;
import dev.xssab.explainer.XssabEngine;
import dev.xssab.explainer.stream.ExplainerLoop;
import dev.xssab.explainer.stream.ExplainerSettings;
import dev.xssab.explainer.stream.ThresholdTable;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.ThresholdStore;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xssab explainer}: the batched, transactional explainer loop, until SIGTERM. */
@Command(name = "explainer", description = "Run an explainer instance: aligned pairs -> results, explanations (exactly once).")
final class ExplainerCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public Set<Setting.Group> settingGroups() {
        return EnumSet.of(Setting.Group.KAFKA, Setting.Group.OBSERVABILITY, Setting.Group.SCHEMA_REGISTRY_CLIENT, Setting.Group.EXPLAINER);
    }

    @Override
    public Integer call() throws Exception {
        ServiceConfig c = service.config();
        int instance = c.integer(Settings.EXPLAINER_INSTANCE);
        String group = c.string(Settings.EXPLAINER_GROUP_ID);
        Topics topics = service.topics();
        RecognitionModelSpec spec = RecognitionModelSpec.frFeature();
        ModelStore store = ModelStore.fromEnvironment();
        ThresholdStore local = ThresholdStore.fromEnvironment();
        CountDownLatch done = new CountDownLatch(1);
        try (ServiceEndpoint endpoint = service.endpoint("explainer", Settings.EXPLAINER_METRICS_PORT);
                XssabEngine engine = XssabEngine.load(spec, store);
                OrtScorer fast = new OrtScorer(spec, store, 0);
                ThresholdTable thresholds = new ThresholdTable(service.clients(), topics,
                        model -> model.equals(spec.id()) ? local.thresholdFor(spec) : spec.defaultThreshold());
                ExplainerLoop loop = new ExplainerLoop(new ExplainerSettings(service.meteredClients(endpoint), group,
                        group + "-" + instance, c.integer(Settings.EXPLAINER_BATCH),
                        Duration.ofMillis(c.longValue(Settings.EXPLAINER_MAX_WAIT_MS))), topics, engine, fast::score, thresholds,
                        endpoint.metrics())) {
            System.err.println("explainer " + instance + " on " + engine.device() + ", model " + spec.id());
            endpoint.readyWhen("models", () -> null)
                    .readyWhen("partitions", () -> loop.assignedPartitions() > 0 ? null
                            : "no partition of " + Topics.ALIGNED_PAIRS + " assigned (yet)")
                    .readyWhen("registry", service.registryReachable());
            thresholds.awaitCaughtUp(Duration.ofSeconds(30));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                loop.stop();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            try {
                loop.run();
            } finally {
                done.countDown();
            }
        }
        return 0;
    }
}
