package dev.xssab.cli.service;

import dev.xssab.cli.ModelOptions;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.Settings;
import dev.xssab.faces.image.DecodeLimits;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xssab gateway}: the Kafka Streams gateway, in the foreground until SIGTERM. */
@Command(name = "gateway", description = "Run the gateway: requests -> aligned pairs | rejections (exactly once).")
public final class GatewayCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public Set<Setting.Group> settingGroups() {
        return EnumSet.of(Setting.Group.KAFKA, Setting.Group.OBSERVABILITY, Setting.Group.SCHEMA_REGISTRY_CLIENT, Setting.Group.GATEWAY);
    }

    @Override
    public Integer call() throws Exception {
        ServiceConfig c = service.config();
        Topics topics = service.topics();
        var config = GatewayTopology.streamsConfig(c.string(Settings.GATEWAY_APPLICATION_ID),
                XssabHome.dir().resolve("state").resolve("gateway").toString(), c.integer(Settings.GATEWAY_THREADS) > 0
                        ? c.integer(Settings.GATEWAY_THREADS) : Runtime.getRuntime().availableProcessors(), service.replication());
        Set<String> evaluators = Set.copyOf(c.list(Settings.GATEWAY_EVALUATION_PRINCIPALS));
        GatewayService.Faces faces = faces(c);
        try (ServiceEndpoint endpoint = service.endpoint("gateway", Settings.GATEWAY_METRICS_PORT);
                GatewayService gateway = GatewayService.load(service.meteredClients(endpoint), topics, faces,
                        new GatewayTopology.Options(Duration.ofMillis(c.longValue(Settings.GATEWAY_DEDUP_WINDOW_MS)), evaluators,
                                endpoint.metrics()), config)) {
            service.readyWhen(endpoint, gateway.checks());
            System.err.println("gateway running: " + Topics.REQUESTS + " -> " + Topics.ALIGNED_PAIRS + " | " + Topics.REJECTIONS);
            return ServiceRunner.runUntilSigterm(gateway);
        }
    }

    /** The default model's faces, decoded within the declared limits, and the further models' templates. */
    private static GatewayService.Faces faces(ServiceConfig c) throws IOException {
        DecodeLimits limits = new DecodeLimits(c.longValue(Settings.GATEWAY_MAX_IMAGE_BYTES),
                c.longValue(Settings.GATEWAY_MAX_PIXELS), DecodeLimits.DEFAULT.minSide());
        List<RecognitionModelSpec> own = new ArrayList<>();
        for (String file : c.list(Settings.GATEWAY_MODEL_SPECS)) {
            own.add(ModelOptions.readSpec(Path.of(file), Settings.GATEWAY_MODEL_SPECS.key()));
        }
        return new GatewayService.Faces(ModelStore.fromEnvironment(), RecognitionModelSpec.frFeature(), limits, own);
    }
}
