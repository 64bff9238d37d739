package dev.xssab.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.ModelThreshold;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.kafka.client.PipelineClient;
import dev.xssab.kafka.client.PipelineClient.Outcome;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xssab.cli.XssabCli;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.evaluator.aggregate.AggregatesService;
import dev.xssab.evaluator.aggregate.AggregatesTopology;
import dev.xssab.evaluator.aggregate.EvaluationTags;
import dev.xssab.explainer.stream.ExplainerService;
import dev.xssab.models.ModelCatalog;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ErrorRates;
import dev.xssab.schemas.avro.VerificationResult;
import dev.xssab.testkit.SharedData;
import dev.xssab.testkit.pipeline.Pipeline;
import dev.xssab.testkit.pipeline.PipelineCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator end to end on the embedded broker: the 300 shared deepface pairs as a miniature
 * LFW at three percentages, both strategies, for two models in one run (fr_feature, an ONNX file,
 * and mobileface, a TF.js graph), through the real gateway, one explainer serving both, and the
 * aggregates. The aggregates must appear, over HTTP and on the topic, and equal a recount of the
 * results topic; the report must draw both models.
 */
class EvaluationIT {
    @TempDir
    Path tmp;

    @Test
    void aggregatesMatchARecountOfTheResults() throws Exception {
        Path faces = SharedData.deepface();
        try (PipelineCluster kafka = PipelineCluster.plain(2)) {
            Topics topics = kafka.topics();
            RecognitionModelSpec spec = RecognitionModelSpec.frFeature();
            // The operator's live threshold, deliberately far from the run's EER t (0.4292).
            double live = 0.25;
            assertEquals(0, XssabCli.run("threshold", "set", spec.id(), Double.toString(live), "--reason", "EvaluationIT",
                    "--bootstrap", kafka.bootstrapServers(), "--registry", kafka.registryUrl()));
            // The gateway, one explainer serving both models, and the aggregates, as the CLI builds them.
            try (Pipeline pipeline = Pipeline.builder(tmp).named("eval-it").models(spec, ModelCatalog.byId("mobileface"))
                    .explainerBatch(8).services(Pipeline.Stage.GATEWAY, Pipeline.Stage.EXPLAINER, Pipeline.Stage.AGGREGATES)
                    .startOn(kafka)) {
                AggregatesService aggregates = pipeline.aggregates();
                ExplainerService explainer = pipeline.explainer();
                // A door's request while the evaluation runs: judged at the live t, not the run's.
                CompletableFuture<Outcome> production = CompletableFuture.supplyAsync(() -> {
                    try (PipelineClient door = new PipelineClient(kafka.clients(), topics, null)) {
                        Thread.sleep(20_000);
                        door.send(VerificationRequest.newBuilder().setRequestId("door-during-eval")
                                .setSubmittedAtMs(java.time.Instant.now()).setClientId("door")
                                .setProbe(ByteBuffer.wrap(Files.readAllBytes(faces.resolve("img1.jpg"))))
                                .setReference(ByteBuffer.wrap(Files.readAllBytes(faces.resolve("img2.jpg")))).build());
                        door.flush();
                        return door.await("door-during-eval", false, Duration.ofMinutes(15));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                try {
                    int code = XssabCli.run("evaluate", "--dataset", "csv:" + faces, "--models", "fr_feature,mobileface",
                            "--steps", "10..90/40", "--run", "it-run",
                            "--no-up", "--bootstrap", kafka.bootstrapServers(), "--registry", kafka.registryUrl(), "--partitions", "2",
                            "--timeout", "PT20M");
                    assertEquals(0, code, "evaluate finished every cell");
                    Outcome door = production.get(15, TimeUnit.MINUTES);
                    assertEquals(live, door.result().getThreshold(), "a production request is judged at the live t");
                    assertEquals("live", door.result().getThresholdSource());
                } finally {
                    explainer.close(); // waits for the batch in hand
                }

                // Evaluation never moves a live threshold: the topic holds only the operator's record.
                try (KafkaConsumer<String, ModelThreshold> c = consumer(kafka.bootstrapServers(),
                        topics.thresholds().valueSerde().deserializer())) {
                    List<ModelThreshold> all = readAll(c, Topics.THRESHOLDS);
                    assertEquals(1, all.size(), "only the operator's threshold set wrote to " + Topics.THRESHOLDS);
                    assertEquals(live, all.get(0).getThreshold());
                    assertEquals("manual", all.get(0).getMode());
                }
                // Every explanation of the run was built at its model's run t, by that model, and says so.
                JsonNode runJson = new ObjectMapper().readTree(dev.xssab.models.XssabHome.dir().resolve("runs").resolve("it-run")
                        .resolve("run.json").toFile());
                try (KafkaConsumer<String, Explanation> c = consumer(kafka.bootstrapServers(),
                        topics.explanations().valueSerde().deserializer())) {
                    List<Explanation> explanations = readAll(c, Topics.EXPLANATIONS).stream()
                            .filter(x -> x.getRequestId().startsWith("it-run/")).toList();
                    assertEquals(600, explanations.size(), "one explanation per patched pair and model");
                    for (Explanation x : explanations) {
                        double runT = runJson.get("models").get(x.getModelId()).get("threshold").asDouble();
                        assertTrue(x.getRequestId().startsWith("it-run/" + x.getModelId() + "/"), x.getRequestId());
                        assertEquals(runT, x.getThreshold(), 0.0, x.getRequestId());
                        assertEquals("request", x.getThresholdSource(), x.getRequestId());
                    }
                    assertEquals(112, explanations.stream().filter(x -> x.getModelId().equals("mobileface")).findFirst()
                            .orElseThrow().getWidth());
                }

                Map<String, long[]> recount = recount(kafka.bootstrapServers(), topics);
                assertEquals(2 * (2 + 2 * 3), recount.size(), "per model: original, patched, and 2 strategies x 3 percentages");
                Map<String, ErrorRates> published = awaitAggregates(kafka.bootstrapServers(), topics, recount);
                for (var e : recount.entrySet()) {
                    ErrorRates a = published.get(e.getKey());
                    long[] c = e.getValue();
                    assertEquals(c[0], a.getGenuine(), e.getKey());
                    assertEquals(c[1], a.getFalseNonMatches(), e.getKey());
                    assertEquals(c[2], a.getImpostor(), e.getKey());
                    assertEquals(c[3], a.getFalseMatches(), e.getKey());
                    assertEquals(38 + 262, a.getGenuine() + a.getImpostor(), "every pair counted once in " + e.getKey());
                }
                JsonNode http = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + aggregates.port() + "/aggregates/it-run")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertEquals(recount.size(), http.size());
                for (JsonNode cell : http) {
                    assertEquals(published.get(cell.get("key").asText()).getFmr(), cell.get("fmr").asDouble(), 1e-12);
                }
                ErrorRates original = published.get("it-run|fr_feature|csv|original|none|0");
                assertEquals(0.0, original.getFmr(), "the originals separate at the calibrated t");
                assertEquals(0.0, original.getFnmr());

                Path report = tmp.resolve("report");
                assertEquals(0, XssabCli.run("report", "it-run", "--out", report.toString(), "--bootstrap",
                        kafka.bootstrapServers(), "--registry", kafka.registryUrl()));
                assertTrue(ImageIO.read(report.resolve("fnmr.png").toFile()).getWidth() > 500);
                assertTrue(Files.readString(report.resolve("fmr.svg")).contains("stroke-dasharray=\"8,5\""), "random is dashed");
                assertTrue(Files.readString(report.resolve("index.html")).contains("fnmr.svg"));
                for (String metric : List.of("fmr.svg", "fnmr.svg")) {
                    String svg = Files.readString(report.resolve(metric));
                    for (String m : List.of("fr_feature", "mobileface")) {
                        assertTrue(svg.contains(m + " best_worst") && svg.contains(m + " random"), m + " drawn in " + metric);
                    }
                }
                String table = Files.readString(report.resolve("table.txt"));
                assertTrue(table.contains("mobileface      best_worst") && table.contains("fr_feature      random"),
                        "the area table has a row per model and strategy:\n" + table);
                String det = Files.readString(report.resolve("det.svg"));
                assertTrue(det.contains("data-model=\"fr_feature\"") && det.contains("data-model=\"mobileface\""), "DET per model");
                assertTrue(Files.readString(report.resolve("index.html")).contains("det.svg"));
            }
        }
    }

    /** Counts (genuine, false non-matches, impostor, false matches) per cell, once per requestId, at the run's t. */
    private static Map<String, long[]> recount(String bootstrap, Topics topics) {
        Map<String, long[]> counts = new HashMap<>();
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, VerificationResult> c = consumer(bootstrap, topics.results().valueSerde().deserializer())) {
            for (VerificationResult r : readAll(c, Topics.RESULTS)) {
                if (!"it-run".equals(r.getTags().get(EvaluationTags.RUN)) || !seen.add(r.getRequestId())) {
                    continue;
                }
                double t = Double.parseDouble(r.getTags().get(EvaluationTags.THRESHOLD));
                boolean genuine = Boolean.parseBoolean(r.getTags().get(EvaluationTags.GENUINE));
                boolean match = r.getScore() >= t;
                long[] k = counts.computeIfAbsent(AggregatesTopology.cellKey(r.getTags(), r.getModelId()), x -> new long[4]);
                k[genuine ? 0 : 2]++;
                if (genuine && !match) {
                    k[1]++;
                }
                if (!genuine && match) {
                    k[3]++;
                }
            }
        }
        return counts;
    }

    private static Map<String, ErrorRates> awaitAggregates(String bootstrap, Topics topics, Map<String, long[]> recount)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Map<String, ErrorRates> latest = new HashMap<>();
        while (System.nanoTime() < deadline) {
            latest.clear();
            try (KafkaConsumer<String, ErrorRates> c = consumer(bootstrap, topics.aggregates().valueSerde().deserializer())) {
                for (ErrorRates r : readAll(c, Topics.AGGREGATES)) {
                    latest.put(String.join("|", r.getRun(), r.getModel(), r.getDataset(), r.getVariant(), r.getStrategy(),
                            Integer.toString(r.getPercentage())), r);
                }
            }
            boolean complete = recount.entrySet().stream().allMatch(e -> latest.containsKey(e.getKey())
                    && latest.get(e.getKey()).getGenuine() + latest.get(e.getKey()).getImpostor() == e.getValue()[0] + e.getValue()[2]);
            if (complete) {
                return latest;
            }
            Thread.sleep(1000);
        }
        return latest;
    }

    private static <V> KafkaConsumer<String, V> consumer(String bootstrap, org.apache.kafka.common.serialization.Deserializer<V> d) {
        return KafkaClients.plaintext(bootstrap).consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Topics.MAX_MESSAGE_BYTES), new StringDeserializer(), d);
    }

    private static <V> List<V> readAll(KafkaConsumer<String, V> c, String topic) {
        List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        Map<TopicPartition, Long> end = c.endOffsets(parts);
        List<V> out = new java.util.ArrayList<>();
        while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
            for (ConsumerRecord<String, V> r : c.poll(Duration.ofMillis(300))) {
                out.add(r.value());
            }
        }
        return out;
    }
}
