package dev.xssab.cli.service;

import dev.xssab.cli.ServiceOptions;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.Settings;
import dev.xssab.evaluator.aggregate.AggregatesService;
import dev.xssab.evaluator.aggregate.AggregatesTopology;
import dev.xssab.models.XssabHome;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.observability.ServiceRunner;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xssab aggregates}: live FMR/FNMR per evaluation cell, with HTTP at /aggregates. */
@Command(name = "aggregates", description = "Run the aggregates topology and its HTTP endpoint (/aggregates, /aggregates/{run}).")
public final class AggregatesCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public Set<Setting.Group> settingGroups() {
        return EnumSet.of(Setting.Group.KAFKA, Setting.Group.OBSERVABILITY, Setting.Group.SCHEMA_REGISTRY_CLIENT, Setting.Group.AGGREGATES);
    }

    @Override
    public Integer call() throws Exception {
        ServiceConfig c = service.config();
        Topics topics = service.topics();
        var config = AggregatesTopology.streamsConfig(c.string(Settings.AGGREGATES_APPLICATION_ID),
                XssabHome.dir().resolve("state").resolve("aggregates").toString(), service.replication());
        try (ServiceEndpoint endpoint = service.endpoint("aggregates", Settings.AGGREGATES_METRICS_PORT);
                AggregatesService aggregates = new AggregatesService(service.meteredClients(endpoint), topics,
                        Duration.ofMillis(c.longValue(Settings.AGGREGATES_DEDUP_RETENTION_MS)), config,
                        c.string(Settings.AGGREGATES_HTTP_HOST), c.integer(Settings.AGGREGATES_HTTP_PORT))) {
            service.readyWhen(endpoint, aggregates.checks());
            System.err.println("aggregates: " + Topics.RESULTS + " -> " + Topics.AGGREGATES + ", http://"
                    + c.string(Settings.AGGREGATES_HTTP_HOST) + ":" + aggregates.port() + "/aggregates");
            return ServiceRunner.runUntilSigterm(aggregates);
        }
    }
}
