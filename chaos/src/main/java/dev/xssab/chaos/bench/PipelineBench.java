package dev.xssab.chaos.bench;

import dev.xssab.evaluator.replay.EvaluationInputs;
import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.InferenceException;
import dev.xssab.explainer.XssabEngine;
import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.PreprocessingException;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.kafka.client.PipelineClient;
import dev.xssab.kafka.client.PipelineClient.Outcome;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import dev.xssab.schemas.avro.VerificationRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code xssab bench-pipeline}: explained pairs per second through Kafka (request to result and
 * explanation) beside the same engine in process at the same batch size.
 *
 * <p>Requests carry pre-aligned 112x112 crops, so that what is compared is the pipeline's cost
 * around the model (serialisation, the broker, transactions, the gateway's pass-through), not
 * face detection, which the in-process engine does not do either.
 */
public final class PipelineBench {
    /**
     * @param pairsPerSecond explained pairs per second, request to result and explanation
     * @param engineInPipeline the explainer's own rate during the run, from the model time it reports per pair
     * @param meanBatch the mean batch size the explainer ran
     */
    public record PipelineRate(double pairsPerSecond, double engineInPipeline, double meanBatch) {}

    private PipelineBench() {}

    /** The aligned face of each photo. */
    public static List<RgbImage> align(ModelStore store, RecognitionModelSpec spec, List<Path> photos)
            throws IOException, PreprocessingException {
        List<RgbImage> faces = new ArrayList<>();
        try (FacePreprocessor pre = FacePreprocessor.standalone(store, spec, DecodeLimits.DEFAULT)) {
            for (Path f : photos) {
                faces.add(pre.preprocess(Files.readAllBytes(f)).image());
            }
        }
        return faces;
    }

    /** {@code count} pairs of the faces, spread so that few repeat. */
    public static List<FacePair> pairs(List<RgbImage> faces, int count) {
        List<FacePair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pairs.add(new FacePair(faces.get(i % faces.size()), faces.get((i * 7 + 3) % faces.size())));
        }
        return pairs;
    }

    /** Explained pairs per second of the engine in this process, in batches of {@code batch}, after one untimed batch. */
    public static double engineRate(ModelStore store, RecognitionModelSpec spec, List<FacePair> pairs, int batch)
            throws IOException, InferenceException {
        double t = spec.defaultThreshold();
        try (XssabEngine engine = XssabEngine.load(spec, store)) {
            engine.explain(pairs.subList(0, Math.min(batch, pairs.size())), t);
            long t0 = System.nanoTime();
            for (int i = 0; i < pairs.size(); i += batch) {
                engine.explain(pairs.subList(i, Math.min(pairs.size(), i + batch)), t);
            }
            return pairs.size() / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** Sends every pair at once (after one warm-up request) and waits for each result and explanation. */
    public static PipelineRate throughPipeline(PipelineClient client, String clientId, List<FacePair> pairs)
            throws IOException, BenchException {
        String run = "bench-" + Long.toString(System.currentTimeMillis(), 36);
        // Warm-up request: the explainer may just have started.
        client.send(request(run + "-warmup", pairs.get(0), clientId));
        client.flush();
        if (client.await(run + "-warmup", true, Duration.ofMinutes(3)) == null) {
            throw new BenchException("the pipeline did not answer a warm-up request within 3 minutes; see ./xssab up logs");
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < pairs.size(); i++) {
            client.send(request(run + "-" + i, pairs.get(i), clientId));
        }
        client.flush();
        double modelMs = 0;
        double batchSum = 0;
        for (int i = 0; i < pairs.size(); i++) {
            Outcome o = client.await(run + "-" + i, true, Duration.ofMinutes(5));
            if (o == null || o.result() == null) {
                throw new BenchException("request " + i + " got no result within 5 minutes");
            }
            modelMs += o.result().getModelMs();
            batchSum += o.result().getBatchSize();
        }
        double rate = pairs.size() / ((System.nanoTime() - t0) / 1e9);
        // The explainer reports each pair's share of its batch's model time: the engine's own
        // rate inside the pipeline, on the same machine state, in the same run.
        return new PipelineRate(rate, 1000.0 / (modelMs / pairs.size()), batchSum / pairs.size());
    }

    private static VerificationRequest request(String id, FacePair pair, String clientId) throws IOException {
        return VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now())
                .setProbe(ByteBuffer.wrap(EvaluationInputs.png(pair.probe())))
                .setReference(ByteBuffer.wrap(EvaluationInputs.png(pair.reference())))
                .setProbeAligned(true).setReferenceAligned(true).setExplain(true).setClientId(clientId).build();
    }
}
