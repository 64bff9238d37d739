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
import dev.xssab.observability.Service;
import dev.xssab.observability.ServiceRunner;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
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
        List<RecognitionModelSpec> specs = new ArrayList<>();
        for (String entry : c.list(Settings.EXPLAINER_MODELS)) {
            specs.add(ModelOptions.idOrSpec(entry, Settings.EXPLAINER_MODELS.key()));
        }
        ModelStore store = ModelStore.fromEnvironment();
        ThresholdStore local = ThresholdStore.fromEnvironment();
        List<AutoCloseable> opened = new ArrayList<>();
        try (ServiceEndpoint endpoint = service.endpoint("explainer", Settings.EXPLAINER_METRICS_PORT);
                ThresholdTable thresholds = new ThresholdTable(service.clients(), topics,
                        model -> specs.stream().filter(m -> m.id().equals(model)).findFirst().map(local::thresholdFor)
                                .orElse(specs.get(0).defaultThreshold()))) {
            List<ExplainerLoop.ServedModel> served = new ArrayList<>();
            for (RecognitionModelSpec spec : specs) {
                XssabEngine engine = XssabEngine.load(spec, store);
                opened.add(engine);
                if (spec.isOnnx()) {
                    OrtScorer fast = new OrtScorer(spec, store, 0);
                    opened.add(fast);
                    served.add(new ExplainerLoop.ServedModel(engine, fast));
                } else {
                    served.add(new ExplainerLoop.ServedModel(engine));
                }
            }
            return runLoop(c, topics, group, instance, endpoint, thresholds, served);
        } finally {
            for (AutoCloseable a : opened) {
                a.close();
            }
        }
    }

    private int runLoop(ServiceConfig c, Topics topics, String group, int instance, ServiceEndpoint endpoint,
            ThresholdTable thresholds, List<ExplainerLoop.ServedModel> served) throws Exception {
        try (ExplainerLoop loop = new ExplainerLoop(new ExplainerSettings(service.meteredClients(endpoint), group,
                group + "-" + instance, c.integer(Settings.EXPLAINER_BATCH),
                Duration.ofMillis(c.longValue(Settings.EXPLAINER_MAX_WAIT_MS))), topics, served, thresholds,
                endpoint.metrics())) {
            System.err.println("explainer " + instance + " on " + ((XssabEngine) served.get(0).explainer()).device() + ", models "
                    + served.stream().map(ExplainerLoop.ServedModel::id).toList());
            endpoint.readyWhen("models", loop::modelsProblem)
                    .readyWhen("partitions", () -> loop.assignedPartitions() > 0 ? null
                            : "no partition of " + Topics.ALIGNED_PAIRS + " assigned (yet)")
                    .readyWhen("thresholds", thresholds::problem)
                    .readyWhen("registry", service.registryReachable());
            thresholds.awaitCaughtUp(Duration.ofSeconds(30));
            return ServiceRunner.runUntilSigterm(Service.loop(loop::run, loop::stop));
        }
    }
}
