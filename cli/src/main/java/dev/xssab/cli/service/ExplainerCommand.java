package dev.xssab.cli.service;

import dev.xssab.cli.ModelOptions;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.Settings;
import dev.xssab.explainer.stream.ExplainerService;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.ThresholdStore;
import dev.xssab.observability.ServiceEndpoint;
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
public final class ExplainerCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public Set<Setting.Group> settingGroups() {
        return EnumSet.of(Setting.Group.KAFKA, Setting.Group.OBSERVABILITY, Setting.Group.SCHEMA_REGISTRY_CLIENT, Setting.Group.EXPLAINER);
    }

    @Override
    public Integer call() throws Exception {
        Topics topics = service.topics();
        ExplainerService.Options options = options(service.config());
        try (ServiceEndpoint endpoint = service.endpoint("explainer", Settings.EXPLAINER_METRICS_PORT);
                ExplainerService explainer = ExplainerService.load(new ExplainerService.Connections(service.meteredClients(endpoint),
                        service.clients(), topics), ModelStore.fromEnvironment(), ThresholdStore.fromEnvironment(), options,
                        endpoint.metrics())) {
            System.err.println(explainer.describe());
            service.readyWhen(endpoint, explainer.checks());
            return ServiceRunner.runUntilSigterm(explainer);
        }
    }

    /** The models served (ids or spec files), the group and instance, and the batching. */
    private static ExplainerService.Options options(ServiceConfig c) throws java.io.IOException {
        List<RecognitionModelSpec> specs = new ArrayList<>();
        for (String entry : c.list(Settings.EXPLAINER_MODELS)) {
            specs.add(ModelOptions.idOrSpec(entry, Settings.EXPLAINER_MODELS.key()));
        }
        return new ExplainerService.Options(specs, c.string(Settings.EXPLAINER_GROUP_ID), c.integer(Settings.EXPLAINER_INSTANCE),
                c.integer(Settings.EXPLAINER_BATCH), Duration.ofMillis(c.longValue(Settings.EXPLAINER_MAX_WAIT_MS)));
    }
}
