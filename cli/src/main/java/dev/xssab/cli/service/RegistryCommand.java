package dev.xssab.cli.service;

import dev.xssab.cli.ServiceOptions;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.Settings;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.observability.Service;
import dev.xssab.observability.ServiceRunner;
import dev.xssab.registry.SchemaRegistryServer;
import dev.xssab.schemas.Topics;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xssab registry}: the Confluent-compatible schema registry, in the foreground. */
@Command(name = "registry", description = "Run the Confluent-compatible schema registry (state in the _schemas topic).")
public final class RegistryCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public Set<Setting.Group> settingGroups() {
        return EnumSet.of(Setting.Group.KAFKA, Setting.Group.OBSERVABILITY, Setting.Group.REGISTRY);
    }

    @Override
    public Integer call() throws Exception {
        ServiceConfig c = service.config();
        String keystore = c.optional(Settings.REGISTRY_KEYSTORE);
        String users = c.optional(Settings.REGISTRY_USERS_FILE);
        SchemaRegistryServer.Security security = SchemaRegistryServer.Security.load(keystore == null ? null : Path.of(keystore),
                c.secret(Settings.REGISTRY_KEYSTORE_PASSWORD), users == null ? null : Path.of(users));
        try (ServiceEndpoint endpoint = service.endpoint("registry", Settings.REGISTRY_METRICS_PORT);
                SchemaRegistryServer server = SchemaRegistryServer.start(service.clients(), Topics.SCHEMAS,
                service.replication(), c.string(Settings.REGISTRY_HOST), c.integer(Settings.REGISTRY_PORT),
                security)) {
            // Ready once the _schemas log was replayed (ids answer as before the restart) and while its broker
            // answers, so that a schema can be registered; until start returns the endpoint says "starting".
            endpoint.readyWhen("schemas", server::problem);
            System.err.println("schema registry listening on " + server.url() + (security.users() != null
                    ? " (basic authentication required)" : ""));
            return ServiceRunner.runUntilSigterm(Service.alreadyRunning());
        }
    }
}
