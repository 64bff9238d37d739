package dev.xssab.cli.service;

import dev.xssab.cli.ModelOptions;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.SettingGroup;
import dev.xssab.explainer.ExplainerSettings;
import dev.xssab.explainer.stream.ExplainerService;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.ThresholdStore;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.observability.ServiceRunner;
import dev.xssab.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xssab explainer}: the batched, transactional explainer loop, until SIGTERM. */
@Command(name = "explainer", description = "Run an explainer instance: aligned pairs -> results, explanations (exactly once).")
public final class ExplainerCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public List<SettingGroup> settingGroups() {
        return List.of(CommonSettings.KAFKA, CommonSettings.OBSERVABILITY, CommonSettings.SCHEMA_REGISTRY_CLIENT, ExplainerSettings.GROUP);
    }

    @Override
    public Integer call() throws Exception {
        Topics topics = service.topics();
        ExplainerSettings settings = new ExplainerSettings(service.config());
        ExplainerService.Options options = options(settings);
        try (ServiceEndpoint endpoint = service.endpoint("explainer", settings.metricsPort());
                ExplainerService explainer = ExplainerService.load(new ExplainerService.Connections(service.meteredClients(endpoint),
                        service.clients(), topics), ModelStore.fromEnvironment(), ThresholdStore.fromEnvironment(), options,
                        endpoint.metrics())) {
            System.err.println(explainer.describe());
            service.readyWhen(endpoint, explainer.checks());
            return ServiceRunner.runUntilSigterm(explainer);
        }
    }

    /** The models served (ids or spec files), the group and instance, and the batching. */
    private static ExplainerService.Options options(ExplainerSettings settings) throws java.io.IOException {
        List<RecognitionModelSpec> specs = new ArrayList<>();
        for (String entry : settings.models()) {
            specs.add(ModelOptions.idOrSpec(entry, ExplainerSettings.MODELS.key()));
        }
        return new ExplainerService.Options(specs, settings.groupId(), settings.instance(), settings.batch(), settings.maxWait());
    }
}
