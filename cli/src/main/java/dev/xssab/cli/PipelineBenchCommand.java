package dev.xssab.cli;

import dev.xssab.evaluator.replay.EvaluationInputs;
import dev.xssab.config.Setting;
import dev.xssab.kafka.client.PipelineClient;
import dev.xssab.kafka.client.PipelineClient.Outcome;
import java.util.EnumSet;
import java.util.Set;
import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.XssabEngine;
import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.VerificationRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xssab bench-pipeline}: explained pairs per second through Kafka (request to result and
 * explanation) beside the same engine in process at the same batch size, and their ratio.
 *
 * <p>Requests carry pre-aligned 112x112 crops, so that what is compared is the pipeline's cost
 * around the model (serialisation, the broker, transactions, the gateway's pass-through), not
 * face detection, which the in-process engine does not do either.
 */
@Command(name = "bench-pipeline", description = "Pipeline throughput vs in-process engine throughput (explanations on).")
final class PipelineBenchCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Override
    public Set<Setting.Group> settingGroups() {
        return EnumSet.of(Setting.Group.KAFKA, Setting.Group.SCHEMA_REGISTRY_CLIENT, Setting.Group.CLIENT);
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
        List<RgbImage> faces = new ArrayList<>();
        try (Stream<Path> files = Files.list(images);
                FacePreprocessor pre = FacePreprocessor.standalone(store, spec, DecodeLimits.DEFAULT)) {
            for (Path f : files.filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png)$")).sorted().toList()) {
                faces.add(pre.preprocess(Files.readAllBytes(f)).image());
            }
        }
        if (faces.size() < 2) {
            throw new UserException("--images needs at least 2 face photos");
        }
        List<FacePair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pairs.add(new FacePair(faces.get(i % faces.size()), faces.get((i * 7 + 3) % faces.size())));
        }
        double t = spec.defaultThreshold();
        double engineRate;
        try (XssabEngine engine = XssabEngine.load(spec, store)) {
            engine.explain(pairs.subList(0, batch), t);
            long t0 = System.nanoTime();
            for (int i = 0; i < pairs.size(); i += batch) {
                engine.explain(pairs.subList(i, Math.min(pairs.size(), i + batch)), t);
            }
            engineRate = pairs.size() / ((System.nanoTime() - t0) / 1e9);
        }
        Stack.up(Duration.ofMinutes(2));
        Topics topics = service.topics();
        String run = "bench-" + Long.toString(System.currentTimeMillis(), 36);
        double pipelineRate;
        double engineInPipeline;
        double meanBatch;
        try (PipelineClient client = service.pipelineClient(topics)) {
            // Warm-up request: the explainer may just have started.
            send(client, run + "-warmup", pairs.get(0));
            client.flush();
            if (client.await(run + "-warmup", true, Duration.ofMinutes(3)) == null) {
                throw new UserException("the pipeline did not answer a warm-up request within 3 minutes; see ./xssab up logs");
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < pairs.size(); i++) {
                send(client, run + "-" + i, pairs.get(i));
            }
            client.flush();
            double modelMs = 0;
            double batchSum = 0;
            for (int i = 0; i < pairs.size(); i++) {
                Outcome o = client.await(run + "-" + i, true, Duration.ofMinutes(5));
                if (o == null || o.result() == null) {
                    throw new UserException("request " + i + " got no result within 5 minutes");
                }
                modelMs += o.result().getModelMs();
                batchSum += o.result().getBatchSize();
            }
            pipelineRate = pairs.size() / ((System.nanoTime() - t0) / 1e9);
            // The explainer reports each pair's share of its batch's model time: the engine's own
            // rate inside the pipeline, on the same machine state, in the same run.
            engineInPipeline = 1000.0 / (modelMs / pairs.size());
            meanBatch = batchSum / pairs.size();
        }
        System.out.printf(Locale.ROOT, "engine in this process, batch %d:                 %.2f explained pairs/s%n", batch, engineRate);
        System.out.printf(Locale.ROOT, "engine inside the explainer during the run (batch %.1f): %.2f pairs/s%n", meanBatch,
                engineInPipeline);
        System.out.printf(Locale.ROOT, "pipeline, request -> result + explanation:        %.2f pairs/s%n", pipelineRate);
        System.out.printf(Locale.ROOT, "pipeline / engine (same run, same process state): %.2f%n", pipelineRate / engineInPipeline);
        System.out.printf(Locale.ROOT, "pipeline / engine (separate in-process run):      %.2f%n", pipelineRate / engineRate);
        return 0;
    }

    private void send(PipelineClient client, String id, FacePair pair) throws Exception {
        client.send(VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now())
                .setProbe(ByteBuffer.wrap(EvaluationInputs.png(pair.probe())))
                .setReference(ByteBuffer.wrap(EvaluationInputs.png(pair.reference())))
                .setProbeAligned(true).setReferenceAligned(true).setExplain(true).setClientId(service.clientId()).build());
    }
}
