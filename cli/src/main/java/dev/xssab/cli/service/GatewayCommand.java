package dev.xssab.cli.service;

import dev.xssab.cli.ModelOptions;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.SettingGroup;
import dev.xssab.gateway.GatewaySettings;
import dev.xssab.gateway.stream.GatewayService;
import dev.xssab.gateway.stream.GatewayTopology;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.XssabHome;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.observability.ServiceRunner;
import dev.xssab.schemas.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xssab gateway}: the Kafka Streams gateway, in the foreground until SIGTERM. */
@Command(name = "gateway", description = "Run the gateway: requests -> aligned pairs | rejections (exactly once).")
public final class GatewayCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public List<SettingGroup> settingGroups() {
        return List.of(CommonSettings.KAFKA, CommonSettings.OBSERVABILITY, CommonSettings.SCHEMA_REGISTRY_CLIENT, GatewaySettings.GROUP);
    }

    @Override
    public Integer call() throws Exception {
        GatewaySettings settings = new GatewaySettings(service.config());
        Topics topics = service.topics();
        var config = GatewayTopology.streamsConfig(settings.applicationId(),
                XssabHome.dir().resolve("state").resolve("gateway").toString(), settings.streamThreads(), service.replication());
        GatewayService.Faces faces = faces(settings);
        try (ServiceEndpoint endpoint = service.endpoint("gateway", settings.metricsPort());
                GatewayService gateway = GatewayService.load(service.meteredClients(endpoint), topics, faces,
                        new GatewayTopology.Options(settings.dedupWindow(), settings.evaluationPrincipals(), endpoint.metrics()),
                        config)) {
            service.readyWhen(endpoint, gateway.checks());
            System.err.println("gateway running: " + Topics.REQUESTS + " -> " + Topics.ALIGNED_PAIRS + " | " + Topics.REJECTIONS);
            return ServiceRunner.runUntilSigterm(gateway);
        }
    }

    /** The default model's faces, decoded within the declared limits, and the further models' templates. */
    private static GatewayService.Faces faces(GatewaySettings settings) throws IOException {
        List<RecognitionModelSpec> own = new ArrayList<>();
        for (Path file : settings.modelSpecFiles()) {
            own.add(ModelOptions.readSpec(file, GatewaySettings.MODEL_SPECS.key()));
        }
        return new GatewayService.Faces(ModelStore.fromEnvironment(), RecognitionModelSpec.frFeature(), settings.decodeLimits(), own);
    }
}
