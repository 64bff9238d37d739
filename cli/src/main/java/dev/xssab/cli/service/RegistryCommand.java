package dev.xssab.cli.service;

import dev.xssab.cli.ServiceOptions;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.SettingGroup;
import dev.xssab.observability.Service;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.observability.ServiceRunner;
import dev.xssab.registry.RegistrySettings;
import dev.xssab.registry.SchemaRegistryServer;
import dev.xssab.schemas.Topics;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xssab registry}: the Confluent-compatible schema registry, in the foreground. */
@Command(name = "registry", description = "Run the Confluent-compatible schema registry (state in the _schemas topic).")
public final class RegistryCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public List<SettingGroup> settingGroups() {
        return List.of(CommonSettings.KAFKA, CommonSettings.OBSERVABILITY, RegistrySettings.GROUP);
    }

    @Override
    public Integer call() throws Exception {
        RegistrySettings settings = new RegistrySettings(service.config());
        SchemaRegistryServer.Security security = settings.security();
        try (ServiceEndpoint endpoint = service.endpoint("registry", settings.metricsPort());
                SchemaRegistryServer server = SchemaRegistryServer.start(service.clients(), Topics.SCHEMAS,
                service.replication(), settings.host(), settings.port(), security)) {
            // Ready once the _schemas log was replayed (ids answer as before the restart) and while its broker
            // answers, so that a schema can be registered; until start returns the endpoint says "starting".
            endpoint.readyWhen("schemas", server::problem);
            System.err.println("schema registry listening on " + server.url() + (security.users() != null
                    ? " (basic authentication required)" : ""));
            return ServiceRunner.runUntilSigterm(Service.alreadyRunning());
        }
    }
}
