package dev.xssab.cli.service;

import dev.xssab.cli.ServiceOptions;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.SettingGroup;
import dev.xssab.evaluator.aggregate.AggregatesService;
import dev.xssab.evaluator.aggregate.AggregatesSettings;
import dev.xssab.evaluator.aggregate.AggregatesTopology;
import dev.xssab.models.XssabHome;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.observability.ServiceRunner;
import dev.xssab.schemas.Topics;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xssab aggregates}: live FMR/FNMR per evaluation cell, with HTTP at /aggregates. */
@Command(name = "aggregates", description = "Run the aggregates topology and its HTTP endpoint (/aggregates, /aggregates/{run}).")
public final class AggregatesCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public List<SettingGroup> settingGroups() {
        return List.of(CommonSettings.KAFKA, CommonSettings.OBSERVABILITY, CommonSettings.SCHEMA_REGISTRY_CLIENT, AggregatesSettings.GROUP);
    }

    @Override
    public Integer call() throws Exception {
        AggregatesSettings settings = new AggregatesSettings(service.config());
        Topics topics = service.topics();
        var config = AggregatesTopology.streamsConfig(settings.applicationId(),
                XssabHome.dir().resolve("state").resolve("aggregates").toString(), service.replication());
        try (ServiceEndpoint endpoint = service.endpoint("aggregates", settings.metricsPort());
                AggregatesService aggregates = new AggregatesService(service.meteredClients(endpoint), topics,
                        settings.dedupRetention(), config, settings.httpHost(), settings.httpPort())) {
            service.readyWhen(endpoint, aggregates.checks());
            System.err.println("aggregates: " + Topics.RESULTS + " -> " + Topics.AGGREGATES + ", http://"
                    + settings.httpHost() + ":" + aggregates.port() + "/aggregates");
            return ServiceRunner.runUntilSigterm(aggregates);
        }
    }
}
