package dev.xssab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.evaluator.Calibration;
import dev.xssab.evaluator.aggregate.EvaluationTags;
import dev.xssab.evaluator.dataset.Dataset;
import dev.xssab.evaluator.dataset.DatasetLoader;
import dev.xssab.evaluator.patch.Replacement;
import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.OrtScorer;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.XssabHome;
import dev.xssab.schemas.Float16;
import dev.xssab.schemas.RgbImage;
import dev.xssab.schemas.CheckedProducer;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.ModelThreshold;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.schemas.avro.VerificationResult;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xssab evaluate}: the xSSAB paper's protocol replayed through the production topics.
 *
 * <ol>
 *   <li>Align every image once (cached), calibrate t on the original pairs (EER point, rounded
 *       down by at most 1e-6), publish it to the thresholds topic and record it with the run.</li>
 *   <li>Send every original pair (score only) and every Patch-LFW pair (explained).</li>
 *   <li>When a patched pair's explanation arrives, build its replacement variants from the
 *       combined map of image 1 (best_worst) and from a seeded order (random), for each
 *       percentage, and send them score-only.</li>
 * </ol>
 * Every request is tagged with the run and its cell; the aggregates topology turns results into
 * FMR/FNMR at the run's t. Request ids are deterministic (run/variant/strategy/percentage/pair):
 * a second call with the same run resumes, sending only what has no outcome yet.
 */
@Command(name = "evaluate", description = "Replay originals, Patch-LFW and pixel-replacement variants through the pipeline.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, description = "lfw:DIR, ref:DIR or csv:DIR")
    String dataset;

    @Option(names = "--strategies", split = ",", description = "best_worst and/or random (default: ${DEFAULT-VALUE}).")
    List<String> strategies = List.of("best_worst", "random");

    @Option(names = "--steps", description = "Percentages FROM..TO/STEP (default: ${DEFAULT-VALUE}).")
    String steps = "5..95/5";

    @Option(names = "--seed", description = "Seed of Patch-LFW and the random orders (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--run", description = "Run name; the same name resumes (default: derived from dataset, seed, grid).")
    String runName;

    @Option(names = "--timeout", description = "Longest wait for all outcomes, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofMinutes(120);

    @Option(names = "--no-up", description = "Do not start the local stack: use --bootstrap and --registry as they are.")
    boolean noUp;

    @picocli.CommandLine.Mixin
    ServiceOptions service;

    static List<Integer> parseSteps(String spec) {
        var m = java.util.regex.Pattern.compile("(\\d+)\\.\\.(\\d+)/(\\d+)").matcher(spec.trim());
        List<Integer> out = new ArrayList<>();
        if (m.matches()) {
            int from = Integer.parseInt(m.group(1));
            int to = Integer.parseInt(m.group(2));
            int step = Integer.parseInt(m.group(3));
            if (step <= 0 || from < 1 || to > 99 || from > to) {
                throw new UserException("--steps " + spec + ": need 1 <= FROM <= TO <= 99 and STEP > 0");
            }
            for (int p = from; p <= to; p += step) {
                out.add(p);
            }
            return out;
        }
        for (String s : spec.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }

    @Override
    public Integer call() throws Exception {
        List<Integer> percentages = parseSteps(steps);
        for (String s : strategies) {
            if (!s.equals("best_worst") && !s.equals("random")) {
                throw new UserException("--strategies takes best_worst and/or random, got " + s);
            }
        }
        Dataset data = DatasetLoader.load(dataset);
        RecognitionModelSpec spec = RecognitionModelSpec.frFeature();
        ModelStore store = ModelStore.fromEnvironment();
        String run = runName != null ? runName : "eval-" + data.name() + "-s" + seed + "-"
                + EvaluationInputs.sha256((Path.of(dataset.substring(dataset.indexOf(':') + 1)).toAbsolutePath().normalize() + "|"
                + percentages + "|" + strategies).getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 8);
        System.err.println("run " + run + ": " + data.pairs().size() + " pairs, strategies " + strategies + ", steps " + percentages);
        EvaluationInputs in = EvaluationInputs.prepare(data, spec, store, seed);
        in.excluded.forEach(e -> System.err.println("excluded (not aligned): " + e));
        if (in.pairs.isEmpty()) {
            throw new UserException("no pair of " + dataset + " could be aligned");
        }

        double[] scores = new double[in.pairs.size()];
        boolean[] labels = new boolean[in.pairs.size()];
        try (OrtScorer scorer = new OrtScorer(spec, store, 0)) {
            for (int i = 0; i < scores.length; i++) {
                EvaluationInputs.PreparedPair p = in.pairs.get(i);
                scores[i] = scorer.score(List.of(new FacePair(p.first(), p.second())))[0];
                labels[i] = p.pair().genuine();
            }
        }
        Calibration c = Calibration.fromScores(scores, labels);
        double t = c.decisionThreshold();
        System.err.printf(Locale.ROOT, "calibrated t = %.6f on %d original pairs (EER %.4f)%n", t, scores.length, c.eer());

        if (!noUp) {
            Stack.up(Duration.ofMinutes(2));
        }
        Topics topics = service.topics();
        recordRun(run, data, in, percentages, t, c);

        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, service.bootstrap);
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        pp.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        try (CheckedProducer producer = new CheckedProducer(pp);
                KafkaConsumer<String, byte[]> consumer = outcomesFromTheBeginning(service.bootstrap)) {
            producer.send(new ProducerRecord<>(Topics.THRESHOLDS, spec.id(), topics.thresholds().valueSerde().serializer()
                    .serialize(Topics.THRESHOLDS, ModelThreshold.newBuilder().setModelId(spec.id()).setThreshold(t)
                            .setSource("xssab evaluate run " + run).setUpdatedAtMs(Instant.now()).build())));

            Replay replay = new Replay(run, spec.id(), data.name(), t, in, percentages, topics, producer);
            ProgressBar bar = new ProgressBar("evaluating", replay.expected.size());
            replay.onProgress = bar::step;
            replay.catchUp(consumer); // resume: what already has an outcome is not sent again
            replay.sendInitial();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!replay.complete() && System.nanoTime() < deadline) {
                replay.poll(consumer, Duration.ofMillis(300));
            }
            bar.done();
            System.out.printf(Locale.ROOT, "run          %s%n", run);
            System.out.printf(Locale.ROOT, "threshold    %.6f (EER %.4f on the originals)%n", t, c.eer());
            System.out.printf(Locale.ROOT, "outcomes     %d of %d (%d rejected)%n", replay.done.size(), replay.expected.size(),
                    replay.rejected);
            System.out.printf(Locale.ROOT, "next         ./xssab report %s --out out/report-%s%n", run, run);
            return replay.complete() ? 0 : 1;
        }
    }

    private void recordRun(String run, Dataset data, EvaluationInputs in, List<Integer> percentages, double t, Calibration c)
            throws Exception {
        Path dir = Files.createDirectories(XssabHome.dir().resolve("runs").resolve(run));
        ObjectNode json = Json.object();
        json.put("run", run);
        json.put("dataset", dataset);
        json.put("pairs", in.pairs.size());
        json.put("threshold", t);
        json.put("eer", c.eer());
        json.put("seed", seed);
        ArrayNode steps = json.putArray("percentages");
        percentages.forEach(steps::add);
        ArrayNode strat = json.putArray("strategies");
        strategies.forEach(strat::add);
        ArrayNode excluded = json.putArray("excluded");
        in.excluded.forEach(excluded::add);
        json.put("recordedAt", Instant.now().toString());
        Files.writeString(dir.resolve("run.json"), Json.MAPPER.writeValueAsString(json));
    }

    private static KafkaConsumer<String, byte[]> outcomesFromTheBeginning(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(Topics.RESULTS, Topics.EXPLANATIONS, Topics.REJECTIONS)) {
            consumer.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return consumer;
    }

    /** The replay's state: what is expected, what has an outcome, what was sent. */
    final class Replay {
        final String run;
        final String model;
        final String datasetName;
        final double t;
        final EvaluationInputs in;
        final List<Integer> percentages;
        final Topics topics;
        final CheckedProducer producer;
        final Set<String> expected = new LinkedHashSet<>();
        final Set<String> done = new HashSet<>();
        final Set<String> sent = new HashSet<>();
        final Map<Integer, EvaluationInputs.PreparedPair> byIndex = new HashMap<>();
        int rejected;
        Runnable onProgress = () -> {};
        /** While replaying stored outcomes, explanations wait until the done set is complete. */
        private boolean catchingUp;
        private final List<Explanation> deferred = new ArrayList<>();

        Replay(String run, String model, String datasetName, double t, EvaluationInputs in, List<Integer> percentages,
                Topics topics, CheckedProducer producer) {
            this.run = run;
            this.model = model;
            this.datasetName = datasetName;
            this.t = t;
            this.in = in;
            this.percentages = percentages;
            this.topics = topics;
            this.producer = producer;
            for (EvaluationInputs.PreparedPair p : in.pairs) {
                byIndex.put(p.index(), p);
                expected.add(id(EvaluationTags.ORIGINAL, EvaluationTags.NO_STRATEGY, 0, p.index()));
                expected.add(id(EvaluationTags.PATCHED, EvaluationTags.NO_STRATEGY, 0, p.index()));
                for (String s : strategies) {
                    for (int pct : percentages) {
                        expected.add(id(EvaluationTags.REPLACED, s, pct, p.index()));
                    }
                }
            }
        }

        String id(String variant, String strategy, int pct, int pair) {
            return run + "/" + variant + "/" + strategy + "/" + pct + "/" + pair;
        }

        boolean complete() {
            return done.containsAll(expected);
        }

        /** Reads every outcome already in the topics; replacement variants follow from stored explanations. */
        void catchUp(KafkaConsumer<String, byte[]> consumer) throws Exception {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            catchingUp = true;
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                poll(consumer, Duration.ofMillis(200));
            }
            catchingUp = false;
            for (Explanation x : deferred) {
                replacements(x);
            }
            deferred.clear();
        }

        /** Everything sent so far is on the broker, or the run stops here saying what was lost. */
        private void flush() {
            try {
                producer.flush();
            } catch (IllegalStateException e) {
                throw new UserException(e.getMessage() + "; run the same command again: it resumes and sends only what has"
                        + " no outcome yet");
            }
        }

        void sendInitial() throws Exception {
            for (EvaluationInputs.PreparedPair p : in.pairs) {
                send(EvaluationTags.ORIGINAL, EvaluationTags.NO_STRATEGY, 0, p, p.first(), false);
                send(EvaluationTags.PATCHED, EvaluationTags.NO_STRATEGY, 0, p, p.patched().image(), true);
            }
            flush();
        }

        void poll(KafkaConsumer<String, byte[]> consumer, Duration wait) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
                if (r.key() == null || !r.key().startsWith(run + "/")) {
                    continue;
                }
                try {
                    switch (r.topic()) {
                        case Topics.RESULTS -> {
                            VerificationResult v = topics.results().valueSerde().deserializer().deserialize(r.topic(), r.value());
                            markDone(v.getRequestId());
                        }
                        case Topics.REJECTIONS -> {
                            Rejection v = topics.rejections().valueSerde().deserializer().deserialize(r.topic(), r.value());
                            if (v.getReason() != dev.xssab.schemas.ReasonCode.DUPLICATE_REQUEST && markDone(v.getRequestId())) {
                                rejected++;
                                System.err.println("rejected " + v.getRequestId() + ": " + v.getReason() + " " + v.getMessage());
                                if (v.getRequestId().contains("/" + EvaluationTags.PATCHED + "/")) {
                                    // No explanation will come: its replacement cells cannot be built.
                                    int pair = Integer.parseInt(v.getRequestId().substring(v.getRequestId().lastIndexOf('/') + 1));
                                    for (String s : strategies) {
                                        for (int pct : percentages) {
                                            expected.remove(id(EvaluationTags.REPLACED, s, pct, pair));
                                        }
                                    }
                                }
                            }
                        }
                        default -> {
                            Explanation x = topics.explanations().valueSerde().deserializer().deserialize(r.topic(), r.value());
                            if (catchingUp) {
                                deferred.add(x);
                            } else {
                                replacements(x);
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot handle " + r.key() + " from " + r.topic() + ": " + e.getMessage(), e);
                }
            }
            flush();
        }

        private boolean markDone(String id) {
            if (expected.contains(id) && done.add(id)) {
                onProgress.run();
                return true;
            }
            return false;
        }

        /** The replacement variants of one explained patched pair (only those not yet done or sent). */
        private void replacements(Explanation x) throws Exception {
            String id = x.getRequestId();
            if (!id.contains("/" + EvaluationTags.PATCHED + "/")) {
                return;
            }
            int pair = Integer.parseInt(id.substring(id.lastIndexOf('/') + 1));
            EvaluationInputs.PreparedPair p = byIndex.get(pair);
            if (p == null) {
                return;
            }
            byte[] combined = new byte[x.getProbe().getCombined().remaining()];
            x.getProbe().getCombined().duplicate().get(combined);
            float[] map = Float16.decode(combined);
            RgbImage original = p.first();
            RgbImage patched = p.patched().image();
            for (String s : strategies) {
                int[] order = s.equals("best_worst") ? Replacement.bestWorstOrder(map, x.getScore() < t)
                        : Replacement.randomOrder(map.length, seed, pair);
                for (int pct : percentages) {
                    send(EvaluationTags.REPLACED, s, pct, p, Replacement.restore(original, patched, order, pct), false);
                }
            }
        }

        private void send(String variant, String strategy, int pct, EvaluationInputs.PreparedPair p, RgbImage image1,
                boolean explain) throws Exception {
            String id = id(variant, strategy, pct, p.index());
            if (done.contains(id) || !sent.add(id)) {
                return;
            }
            Map<String, String> tags = new HashMap<>();
            tags.put(EvaluationTags.RUN, run);
            tags.put(EvaluationTags.MODEL, model);
            tags.put(EvaluationTags.DATASET, datasetName);
            tags.put(EvaluationTags.VARIANT, variant);
            tags.put(EvaluationTags.STRATEGY, strategy);
            tags.put(EvaluationTags.PERCENTAGE, Integer.toString(pct));
            tags.put(EvaluationTags.PAIR, Integer.toString(p.index()));
            tags.put(EvaluationTags.GENUINE, Boolean.toString(p.pair().genuine()));
            tags.put(EvaluationTags.THRESHOLD, Double.toString(t));
            VerificationRequest request = VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now())
                    .setProbe(ByteBuffer.wrap(EvaluationInputs.png(image1)))
                    .setReference(ByteBuffer.wrap(p.secondPng()))
                    .setProbeAligned(true).setReferenceAligned(true).setExplain(explain).setModelId(model)
                    .setClientId("xssab-evaluate").setTags(tags).build();
            producer.send(new ProducerRecord<>(Topics.REQUESTS, id,
                    topics.requests().valueSerde().serializer().serialize(Topics.REQUESTS, request)));
        }
    }
}
