package dev.xssab.cli.bench;

import dev.xssab.chaos.bench.BenchException;
import dev.xssab.chaos.bench.FacePhotos;
import dev.xssab.chaos.bench.PipelineBench;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.cli.service.LocalCluster;
import dev.xssab.cli.service.Stack;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.SettingGroup;
import dev.xssab.explainer.FacePair;
import dev.xssab.kafka.client.ClientSettings;
import dev.xssab.kafka.client.PipelineClient;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xssab bench-pipeline}: explained pairs per second through Kafka (request to result and
 * explanation) beside the same engine in process at the same batch size, and their ratio
 * ({@link PipelineBench}). Starts the local stack first, unless the bootstrap servers are not the
 * local stack's.
 */
@Command(name = "bench-pipeline", description = "Pipeline throughput vs in-process engine throughput (explanations on).")
public final class PipelineBenchCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Override
    public List<SettingGroup> settingGroups() {
        return List.of(CommonSettings.KAFKA, CommonSettings.SCHEMA_REGISTRY_CLIENT, ClientSettings.GROUP);
    }

    @Mixin
    ServiceOptions service;

    @Option(names = "--images", description = "Face photos to align first (default: ${DEFAULT-VALUE}).")
    Path images = Path.of("../shared/faces/deepface");

    @Option(names = "--pairs", description = "Pairs per measurement (default: ${DEFAULT-VALUE}).")
    int count = 96;

    @Option(names = "--batch", description = "Batch size of the in-process run; keep it equal to the explainer's --batch (default: ${DEFAULT-VALUE}).")
    int batch = 8;

    @Override
    public Integer call() throws Exception {
        RecognitionModelSpec spec = RecognitionModelSpec.frFeature();
        ModelStore store = ModelStore.fromEnvironment();
        List<RgbImage> faces = PipelineBench.align(store, spec, FacePhotos.list(images, FacePhotos.JPEG_PNG));
        if (faces.size() < 2) {
            throw new UserException("--images needs at least 2 face photos");
        }
        List<FacePair> pairs = PipelineBench.pairs(faces, count);
        double engineRate = PipelineBench.engineRate(store, spec, pairs, batch);
        if (onLocalStack()) {
            Stack.up(Duration.ofMinutes(2));
        }
        PipelineBench.PipelineRate pipeline;
        try (PipelineClient client = service.pipelineClient(service.topics())) {
            pipeline = PipelineBench.throughPipeline(client, service.clientId(), pairs);
        } catch (BenchException e) {
            throw new UserException(e.getMessage());
        }
        System.out.printf(Locale.ROOT, "engine in this process, batch %d:                 %.2f explained pairs/s%n", batch, engineRate);
        System.out.printf(Locale.ROOT, "engine inside the explainer during the run (batch %.1f): %.2f pairs/s%n", pipeline.meanBatch(),
                pipeline.engineInPipeline());
        System.out.printf(Locale.ROOT, "pipeline, request -> result + explanation:        %.2f pairs/s%n", pipeline.pairsPerSecond());
        System.out.printf(Locale.ROOT, "pipeline / engine (same run, same process state): %.2f%n",
                pipeline.pairsPerSecond() / pipeline.engineInPipeline());
        System.out.printf(Locale.ROOT, "pipeline / engine (separate in-process run):      %.2f%n", pipeline.pairsPerSecond() / engineRate);
        return 0;
    }

    /**
     * Whether the bench's servers are the local stack's (the default, or the cluster up started), which it starts
     * if needed; a cluster given elsewhere (--bootstrap, a test's broker) is the caller's to run.
     */
    private boolean onLocalStack() throws java.io.IOException {
        String servers = service.clients().bootstrapServers();
        return servers.equals(CommonSettings.BOOTSTRAP_SERVERS.defaultValue()) || servers.equals(LocalCluster.remembered(Stack.runDir()).bootstrap());
    }
}
