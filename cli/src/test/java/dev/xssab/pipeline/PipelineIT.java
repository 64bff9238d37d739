package dev.xssab.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.xssab.evaluator.LabelledPair;
import dev.xssab.evaluator.PairsCsv;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.OrtModels;
import dev.xssab.kafka.CheckedProducer;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.schemas.avro.VerificationResult;
import dev.xssab.testkit.SharedData;
import dev.xssab.testkit.pipeline.Pipeline;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a real in-JVM broker and the real registry, with the real models and the
 * shared faces: the gateway in this JVM (Kafka Streams), the explainer as a separate process that
 * is killed (SIGKILL) mid-stream and restarted. Counted by requestId on read_committed consumers.
 */
class PipelineIT {
    @TempDir
    Path tmp;

    @Test
    void everyRequestGetsExactlyOneOutcomeEvenWhenTheExplainerIsKilled() throws Exception {
        Path faces = SharedData.deepface();
        int sessionsBefore = OrtModels.sessionsLoaded();
        // The gateway in this JVM; the explainer is a process of its own, to be killed.
        try (Pipeline pipeline = Pipeline.builder(tmp).services(Pipeline.Stage.GATEWAY).start()) {
            Topics topics = pipeline.topics();
            // 30 real pairs (every third explained), then one malformed request of each kind.
            List<LabelledPair> pairs = PairsCsv.read(faces.resolve("pairs.csv")).subList(0, 30);
            Map<String, Boolean> explain = new HashMap<>();
            Map<String, ReasonCode> expectedRejection = new HashMap<>();
            try (CheckedProducer producer = producer(pipeline.bootstrapServers())) {
                var ser = topics.requests().valueSerde().serializer();
                for (int i = 0; i < pairs.size(); i++) {
                    String id = "pair-" + i;
                    explain.put(id, i % 3 == 0);
                    VerificationRequest r = request(id, Files.readAllBytes(faces.resolve(pairs.get(i).first())),
                            Files.readAllBytes(faces.resolve(pairs.get(i).second())), i % 3 == 0);
                    producer.send(new ProducerRecord<>(Topics.REQUESTS, id, ser.serialize(Topics.REQUESTS, r)));
                }
                byte[] face = Files.readAllBytes(faces.resolve("img1.jpg"));
                producer.send(new ProducerRecord<>(Topics.REQUESTS, "bad-bytes", "\u0000\u0000garbage".getBytes(StandardCharsets.UTF_8)));
                expectedRejection.put("bad-bytes", ReasonCode.MALFORMED_REQUEST);
                send(producer, ser, request("empty", new byte[0], face, false));
                expectedRejection.put("empty", ReasonCode.EMPTY_IMAGE);
                send(producer, ser, request("text", face, "just words".getBytes(StandardCharsets.UTF_8), false));
                expectedRejection.put("text", ReasonCode.UNDECODABLE_IMAGE);
                send(producer, ser, request("no-face", face, sceneWithoutFace(), false));
                expectedRejection.put("no-face", ReasonCode.NO_FACE);
                byte[] huge = new byte[(int) DecodeLimits.DEFAULT.maxBytes() + 1];
                send(producer, ser, request("oversized", face, huge, false));
                expectedRejection.put("oversized", ReasonCode.IMAGE_TOO_MANY_BYTES);
                send(producer, ser, request("pair-0", face, face, false));
                producer.flush();
            }

            Set<String> everyId = new TreeSet<>(explain.keySet());
            everyId.addAll(expectedRejection.keySet());
            Outcomes seen = new Outcomes(pipeline.bootstrapServers(), topics);
            PipelineDiagnosis diagnosis = new PipelineDiagnosis(pipeline.bootstrapServers(), topics, pipeline.gateway(), pipeline.ids().gateway());
            Path firstLog = tmp.resolve("explainer-1.log");
            Process first = startExplainer(pipeline.bootstrapServers(), pipeline.registryUrl(), firstLog);
            try {
                seen.awaitResults(5, Duration.ofMinutes(3), first, everyId, diagnosis.with(firstLog));
                first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no commit, no goodbye
                System.out.printf("explainer killed after %d results%n", seen.results.size());
            } finally {
                first.destroyForcibly();
            }
            Path secondLog = tmp.resolve("explainer-2.log");
            Process second = startExplainer(pipeline.bootstrapServers(), pipeline.registryUrl(), secondLog);
            try {
                seen.awaitResults(pairs.size(), Duration.ofMinutes(4), second, everyId, diagnosis.with(firstLog).with(secondLog));
                seen.drain(Duration.ofSeconds(5)); // anything extra would show up now
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
                System.out.print(PipelineDiagnosis.tail(secondLog, 15));
            }
            seen.close();

            for (String id : explain.keySet()) {
                assertEquals(1, seen.count(seen.results, id), "results for " + id);
                assertEquals(explain.get(id) ? 1 : 0, seen.count(seen.explanations, id), "explanations for " + id);
            }
            assertEquals(pairs.size(), seen.results.size(), "no result for a rejected request, none twice");
            for (var e : expectedRejection.entrySet()) {
                List<Rejection> r = seen.rejections.stream().filter(x -> e.getKey().equals(x.getRequestId())).toList();
                assertEquals(1, r.size(), "rejections for " + e.getKey());
                assertEquals(e.getValue(), r.get(0).getReason(), e.getKey());
            }
            List<Rejection> duplicates = seen.rejections.stream().filter(x -> "pair-0".equals(x.getRequestId())).toList();
            assertEquals(1, duplicates.size());
            assertEquals(ReasonCode.DUPLICATE_REQUEST, duplicates.get(0).getReason());
            assertEquals(expectedRejection.size() + 1, seen.rejections.size());

            // Decisions agree with the labels (the default model separates these pairs).
            for (int i = 0; i < pairs.size(); i++) {
                String id = "pair-" + i;
                VerificationResult r = seen.results.stream().filter(x -> x.getRequestId().equals(id)).findFirst().orElseThrow();
                assertEquals(pairs.get(i).genuine(), r.getDecision().name().equals("MATCH"), "pair " + i);
            }
            Explanation x = seen.explanations.get(0);
            assertEquals(2 * 112 * 112, x.getProbe().getPositive().remaining());
            assertTrue(Math.abs(x.getProbe().getSPlus() + x.getProbe().getSMinus() - x.getScore()) < 1e-5);
            // Both partitions' tasks ran on the one fr_detect and one fr_landmark session of the process.
            assertEquals(2, OrtModels.sessionsLoaded() - sessionsBefore, "ONNX Runtime sessions the gateway loaded");
        }
    }

    private static void send(CheckedProducer producer, org.apache.kafka.common.serialization.Serializer<VerificationRequest> ser,
            VerificationRequest r) {
        producer.send(new ProducerRecord<>(Topics.REQUESTS, r.getRequestId(), ser.serialize(Topics.REQUESTS, r)));
    }

    private static VerificationRequest request(String id, byte[] probe, byte[] reference, boolean explain) {
        return VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now())
                .setProbe(ByteBuffer.wrap(probe)).setReference(ByteBuffer.wrap(reference)).setExplain(explain).build();
    }

    private static byte[] sceneWithoutFace() throws Exception {
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                img.setRGB(x, y, ((x * 255 / 400) << 16) | ((y * 255 / 300) << 8) | 90);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    /** Every request the test sends must reach the broker: a lost one fails here, not as a missing result later. */
    private static CheckedProducer producer(String bootstrap) {
        return new CheckedProducer(KafkaClients.plaintext(bootstrap), Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Topics.MAX_MESSAGE_BYTES));
    }

    /** The explainer as a child JVM; its output goes to a log file, shown when the test fails. */
    private static Process startExplainer(String bootstrap, String registry, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.xssab.cli.XssabCli", "explainer",
                "--bootstrap", bootstrap, "--registry", registry, "--partitions", "2", "--instance", "0", "--batch", "4",
                "--explainer-metrics-port", "0"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Reads results, explanations and rejections with read_committed consumers. */
    static final class Outcomes implements AutoCloseable {
        final List<VerificationResult> results = new ArrayList<>();
        final List<Explanation> explanations = new ArrayList<>();
        final List<Rejection> rejections = new ArrayList<>();
        private final KafkaConsumer<String, byte[]> consumer;
        private final Topics topics;

        Outcomes(String bootstrap, Topics topics) {
            this.topics = topics;
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-outcomes");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            consumer.subscribe(Set.of(Topics.RESULTS, Topics.EXPLANATIONS, Topics.REJECTIONS));
        }

        /**
         * Polls until n results have arrived. On a timeout, or if the explainer exits, the failure
         * names the requests that have no outcome at all and says where each one is stuck (see
         * {@link PipelineDiagnosis}).
         */
        void awaitResults(int n, Duration timeout, Process explainer, Set<String> everyId, PipelineDiagnosis diagnosis) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (results.size() < n && System.nanoTime() < deadline && explainer.isAlive()) {
                poll();
            }
            if (results.size() < n) {
                String why = explainer.isAlive() ? "within " + timeout : "before the explainer exited with code " + explainer.exitValue();
                Set<String> missing = new TreeSet<>(everyId);
                results.forEach(r -> missing.remove(r.getRequestId()));
                rejections.forEach(r -> missing.remove(r.getRequestId()));
                String rejected = rejections.stream().map(r -> r.getRequestId() + "=" + r.getReason() + " (" + r.getMessage() + ")")
                        .collect(Collectors.joining("; "));
                fail("only " + results.size() + " of " + n + " results " + why + "; no outcome yet for " + missing
                        + "; rejections: " + rejected + "\n" + diagnosis.explain(missing));
            }
        }

        void drain(Duration d) {
            long deadline = System.nanoTime() + d.toNanos();
            while (System.nanoTime() < deadline) {
                poll();
            }
        }

        private void poll() {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                switch (r.topic()) {
                    case Topics.RESULTS -> results.add(read(topics.results().valueSerde().deserializer(), r));
                    case Topics.EXPLANATIONS -> explanations.add(read(topics.explanations().valueSerde().deserializer(), r));
                    default -> rejections.add(read(topics.rejections().valueSerde().deserializer(), r));
                }
            }
        }

        private static <T> T read(Deserializer<T> d, ConsumerRecord<String, byte[]> r) {
            return d.deserialize(r.topic(), r.value());
        }

        long count(List<?> list, String id) {
            return list.stream().filter(o -> id.equals(o instanceof VerificationResult v ? v.getRequestId()
                    : ((Explanation) o).getRequestId())).count();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
