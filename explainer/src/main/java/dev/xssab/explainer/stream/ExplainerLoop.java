package dev.xssab.explainer.stream;

import dev.xssab.explainer.ArgumentMaps;
import dev.xssab.explainer.FacePair;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.schemas.Decision;
import dev.xssab.explainer.InferenceException;
import dev.xssab.explainer.PairExplainer;
import dev.xssab.explainer.PairExplanation;
import dev.xssab.explainer.PairScorer;
import dev.xssab.schemas.Backoff;
import dev.xssab.schemas.CommittedOffsets;
import dev.xssab.schemas.DecisionRule;
import dev.xssab.schemas.Float16;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.RgbImage;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.AlignedFaceImage;
import dev.xssab.schemas.avro.AlignedPair;
import dev.xssab.schemas.avro.DirectionMaps;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.Stage;
import dev.xssab.schemas.avro.VerificationResult;
import dev.xssab.schemas.serde.SchemaRegistryUnavailableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * aligned pairs -> [one batched model call per poll] -> results, explanations, rejections.
 *
 * <p>A plain transactional consume-transform-produce loop rather than Kafka Streams, because the
 * unit of work is a batch: Streams processes record by record, and a GPU (or the CPU's SIMD)
 * wants one forward pass over many pairs. An instance may serve several models: a batch is split
 * by the model each pair names, one forward pass per model. Each batch's outputs and its input offsets commit in
 * one transaction (read_committed downstream), so a crash at any point yields, after restart,
 * exactly one result per request. A record that fails inside a batch is rejected alone.
 *
 * <p>Kafka errors are handled as KIP-1050 sorts them: an abortable one aborts the batch and
 * rewinds to the committed offsets; a commit that timed out is committed again (its outcome is
 * unknown, an abort could race it) until a deadline; anything else (a fenced producer, a lost
 * group membership, a commit still unknown at the deadline) closes both clients and opens new
 * ones, which resume from the committed offsets. Only an explainer started twice with the same instance id, or a configuration error
 * (authorization included), stops the loop.
 */
public final class ExplainerLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExplainerLoop.class);

    private final ExplainerSettings settings;
    private final Topics topics;
    /** The models this instance serves, by id; the first is the default for requests that name none. */
    private final Map<String, ServedModel> served;
    private final String defaultModel;
    /** The live threshold per model id. */
    private final ToDoubleFunction<String> thresholds;
    private final LoopClients clients;
    private final XssabMetrics metrics;
    /** Partitions this instance holds now: readiness means at least one. */
    private volatile int assigned;
    private final Map<String, Object> consumerConfig = new HashMap<>();
    private final Map<String, Object> producerConfig = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Replaced when the clients are reopened; volatile because {@link #stop()} runs on another thread. */
    private volatile Consumer<String, byte[]> consumer;
    private Producer<String, byte[]> producer;
    /** Polled but not yet processed; their offsets are not committed until they are. */
    private final ArrayDeque<ConsumerRecord<String, byte[]>> pending = new ArrayDeque<>();
    private long batches;
    private long pairs;
    private volatile long reopened;
    /** The thread inside {@link #run()}, if any. */
    private volatile Thread runner;

    /**
     * One model an explainer serves: its xSSAB engine and its fast scorer.
     *
     * @param explainer gradients and maps (and scores, when no faster scorer exists)
     * @param fastScorer the score-only path
     * @param fastModel the model behind {@code fastScorer}, whose state readiness checks
     */
    public record ServedModel(PairExplainer explainer, Scorer fastScorer, PairScorer fastModel) {
        /** A model whose fast path is a method of its own explainer (or of nothing with a state of its own). */
        public ServedModel(PairExplainer explainer, Scorer fastScorer) {
            this(explainer, fastScorer, explainer);
        }

        public String id() {
            return explainer.modelId();
        }

        /** Null while both the explainer and the fast scorer can be called, else why not. */
        public String problem() {
            String p = explainer.problem();
            return p != null ? p : fastModel.problem();
        }
    }

    /** For readiness: null while every served model is loaded and open, else the first problem. */
    public String modelsProblem() {
        for (ServedModel m : served.values()) {
            String p = m.problem();
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    public ExplainerLoop(ExplainerSettings settings, Topics topics, PairExplainer explainer, Scorer fastScorer,
            ThresholdTable thresholds) {
        this(settings, topics, List.of(new ServedModel(explainer, fastScorer)), thresholds, XssabMetrics.unregistered());
    }

    /**
     * @param models the models served, the default first; a request naming another is rejected as UNKNOWN_MODEL
     * @param metrics where batches, model times, decisions, latencies and client restarts are counted
     */
    public ExplainerLoop(ExplainerSettings settings, Topics topics, List<ServedModel> models, ThresholdTable thresholds,
            XssabMetrics metrics) {
        this(settings, topics, models, thresholds::thresholdFor, metrics, LoopClients.of(settings.clients()));
    }

    /**
     * @param thresholds the live threshold per model id
     * @param clients where each (re)opening gets its producer and consumer
     */
    public ExplainerLoop(ExplainerSettings settings, Topics topics, List<ServedModel> models,
            ToDoubleFunction<String> thresholds, XssabMetrics metrics, LoopClients clients) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("an explainer serves at least one model");
        }
        this.metrics = metrics;
        this.settings = settings;
        this.topics = topics;
        this.served = new LinkedHashMap<>();
        models.forEach(m -> served.put(m.id(), m));
        this.defaultModel = models.get(0).id();
        this.thresholds = thresholds;
        this.clients = clients;
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxBatch());
        // Static membership: a restarted instance (same id) takes over its partitions at once
        // instead of waiting for the dead one's session to time out.
        consumerConfig.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.transactionalId());
        consumerConfig.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        // An instance that dies mid-batch holds its transaction open at most this long if it
        // never comes back under the same transactional id.
        producerConfig.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    }

    /** Runs until {@link #stop()}; returns normally after finishing (or aborting) the batch in hand. */
    public void run() {
        LOG.info("explainer {} consuming {} (batch up to {}, wait up to {} ms)", settings.transactionalId(),
                Topics.ALIGNED_PAIRS, settings.maxBatch(), settings.maxWait().toMillis());
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        runner = Thread.currentThread();
        try {
            while (running.get()) {
                long before = batches;
                try {
                    openClients();
                    consume();
                    return;
                } catch (WakeupException e) {
                    if (running.get()) {
                        throw e;
                    }
                } catch (FencedInstanceIdException e) {
                    throw new IllegalStateException("another explainer runs as " + settings.transactionalId()
                            + "; give every instance its own --instance number", e);
                } catch (InvalidConfigurationException e) {
                    throw e; // KIP-1050's fatal kind (authorization and unsupported versions included): retrying cannot help
                } catch (RuntimeException e) {
                    if (!running.get()) {
                        return;
                    }
                    reopened++;
                    metrics.clientRestart();
                    if (batches > before) {
                        backoff.reset(); // these clients did work: this is a new failure, not the same one again
                    }
                    LOG.warn("explainer {}: {}; reopening the Kafka clients in {} ms and resuming from the"
                            + " committed offsets", settings.transactionalId(), e.toString(), backoff.next().toMillis());
                    closeClients(); // before the pause: a dead member should leave no open connections behind
                    backoff.pause();
                } finally {
                    closeClients();
                }
            }
        } finally {
            runner = null;
            LOG.info("explainer {} stopping after {} batches, {} pairs, {} client restarts", settings.transactionalId(),
                    batches, pairs, reopened);
        }
    }

    /** New clients: initTransactions fences any older producer with this id and aborts its open transaction. */
    private void openClients() {
        pending.clear();
        producer = clients.producer(producerConfig);
        producer.initTransactions();
        consumer = clients.consumer(consumerConfig);
        consumer.subscribe(List.of(Topics.ALIGNED_PAIRS), new DropPendingOnRevoke());
        if (!running.get()) {
            consumer.wakeup(); // stop() came while the clients were being opened
        }
    }

    private void consume() {
        while (running.get()) {
            List<ConsumerRecord<String, byte[]>> batch = collectBatch();
            if (!batch.isEmpty()) {
                processInTransaction(batch);
            }
        }
    }

    /**
     * Records polled for a partition this instance no longer owns are the new owner's to process;
     * processing them here too would give their requests two results.
     */
    private final class DropPendingOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            assigned = Math.max(0, assigned - partitions.size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned += partitions.size();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }

    /**
     * Up to maxBatch records: waits for the first, then at most maxWait more to fill the batch.
     * Records polled beyond maxBatch wait in {@link #pending} for the next batch.
     */
    private List<ConsumerRecord<String, byte[]>> collectBatch() {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        if (pending.isEmpty()) {
            consumer.poll(Duration.ofMillis(500)).forEach(pending::add);
            if (pending.isEmpty()) {
                return batch;
            }
        }
        long deadline = System.nanoTime() + settings.maxWait().toNanos();
        while (pending.size() < settings.maxBatch() && running.get()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            consumer.poll(Duration.ofMillis(left)).forEach(pending::add);
        }
        while (batch.size() < settings.maxBatch() && !pending.isEmpty()) {
            batch.add(pending.poll());
        }
        return batch;
    }

    /**
     * One batch, one transaction. An abortable failure aborts it and rewinds to the committed
     * offsets; a timed-out commit is committed again, never aborted; any other failure (including
     * one from the abort itself, or a commit whose outcome is unknown at the deadline) propagates
     * to {@link #run()}, which reopens the clients.
     */
    private void processInTransaction(List<ConsumerRecord<String, byte[]>> batch) {
        List<ProducerRecord<String, byte[]>> outputs = process(batch);
        producer.beginTransaction();
        try {
            for (ProducerRecord<String, byte[]> out : outputs) {
                producer.send(out);
            }
            producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
            TransactionCommit.commit(producer, settings.commitDeadline());
            batches++;
            pairs += batch.size();
        } catch (ApplicationRecoverableException e) {
            throw e;
        } catch (TransactionAbortableException e) {
            LOG.warn("aborting a batch of {} and retrying it: {}", batch.size(), e.toString());
            producer.abortTransaction();
            pending.clear(); // polled but uncommitted: they are fetched again from the committed offsets
            CommittedOffsets.rewind(consumer);
        }
    }

    /** The outputs of one batch: one result (plus an explanation if asked) or one rejection per record. */
    /** How many partitions of the aligned pairs this instance holds now. */
    public int assignedPartitions() {
        return assigned;
    }

    List<ProducerRecord<String, byte[]>> process(List<ConsumerRecord<String, byte[]>> batch) {
        metrics.batchSize(batch.size());
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        Map<String, List<Item>> byModel = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            AlignedPair pair;
            try {
                pair = topics.alignedPairs().valueSerde().deserializer().deserialize(r.topic(), r.value());
            } catch (SchemaRegistryUnavailableException e) {
                throw e; // not this record's fault: run() backs off and the batch is read again
            } catch (RuntimeException e) {
                out.add(rejection(r, r.key(), ReasonCode.MALFORMED_REQUEST, "unreadable aligned pair: " + e.getMessage(), Map.of()));
                continue;
            }
            ServedModel model = served.get(pair.getModelId() == null ? defaultModel : pair.getModelId());
            if (model == null) {
                out.add(rejection(r, pair.getRequestId(), ReasonCode.UNKNOWN_MODEL, "model " + pair.getModelId()
                        + " is not served here (this explainer serves " + String.join(", ", served.keySet()) + ")", pair.getTags()));
                continue;
            }
            byModel.computeIfAbsent(model.id(), k -> new ArrayList<>())
                    .add(new Item(r, pair, new FacePair(image(pair.getProbe()), image(pair.getReference())), model));
        }
        // One forward pass per model (and per threshold, for explanations) over its share of the batch.
        for (List<Item> items : byModel.values()) {
            processModel(items.get(0).model(), items, out);
        }
        return out;
    }

    private void processModel(ServedModel model, List<Item> items, List<ProducerRecord<String, byte[]>> out) {
        List<Item> fast = new ArrayList<>();
        List<Item> explained = new ArrayList<>();
        items.forEach(item -> (item.pair().getExplain() ? explained : fast).add(item));
        double live = thresholds.applyAsDouble(model.id());
        if (!fast.isEmpty()) {
            long t0 = System.nanoTime();
            double[] scores = scoreAll(model, fast, out);
            metrics.modelTime(model.id(), "score", System.nanoTime() - t0);
            double ms = (System.nanoTime() - t0) / 1e6 / fast.size();
            for (int i = 0; i < fast.size(); i++) {
                if (!Double.isNaN(scores[i])) {
                    out.add(result(fast.get(i), scores[i], fast.get(i).threshold(live), false, ms, fast.size()));
                }
            }
        }
        // The threshold shapes the maps (the mask is t/d), so one model call per threshold in the
        // batch: live traffic at the live t, each evaluation at its run's t.
        Map<Double, List<Item>> byThreshold = new LinkedHashMap<>();
        explained.forEach(item -> byThreshold.computeIfAbsent(item.threshold(live), k -> new ArrayList<>()).add(item));
        for (Map.Entry<Double, List<Item>> group : byThreshold.entrySet()) {
            List<Item> group1 = group.getValue();
            long t0 = System.nanoTime();
            PairExplanation[] done = explainAll(model, group1, group.getKey(), out);
            metrics.modelTime(model.id(), "explain", System.nanoTime() - t0);
            double ms = (System.nanoTime() - t0) / 1e6 / group1.size();
            for (int i = 0; i < group1.size(); i++) {
                if (done[i] != null) {
                    out.add(result(group1.get(i), done[i].cosine(), group.getKey(), true, ms, explained.size()));
                    out.add(explanation(group1.get(i), done[i]));
                }
            }
        }
    }

    private record Item(ConsumerRecord<String, byte[]> record, AlignedPair pair, FacePair faces, ServedModel model) {
        /** The request's own (evaluation) threshold, which the gateway allowed, else the live one. */
        double threshold(double live) {
            return pair.getEvaluationThreshold() != null ? pair.getEvaluationThreshold() : live;
        }

        String thresholdSource() {
            return pair.getEvaluationThreshold() != null ? "request" : "live";
        }
    }

    /** Scores in one call; if the batch fails, pair by pair, rejecting only the ones that fail. NaN marks a rejection. */
    private double[] scoreAll(ServedModel model, List<Item> items, List<ProducerRecord<String, byte[]>> out) {
        Scorer fastScorer = model.fastScorer();
        try {
            return fastScorer.score(items.stream().map(Item::faces).toList());
        } catch (InferenceException | RuntimeException batchFailure) {
            double[] scores = new double[items.size()];
            for (int i = 0; i < items.size(); i++) {
                try {
                    scores[i] = fastScorer.score(List.of(items.get(i).faces()))[0];
                } catch (InferenceException | RuntimeException e) {
                    scores[i] = Double.NaN;
                    out.add(failed(items.get(i), e));
                }
            }
            return scores;
        }
    }

    private PairExplanation[] explainAll(ServedModel model, List<Item> items, double t, List<ProducerRecord<String, byte[]>> out) {
        PairExplainer explainer = model.explainer();
        try {
            return explainer.explain(items.stream().map(Item::faces).toList(), t).toArray(new PairExplanation[0]);
        } catch (InferenceException | RuntimeException batchFailure) {
            PairExplanation[] done = new PairExplanation[items.size()];
            for (int i = 0; i < items.size(); i++) {
                try {
                    done[i] = explainer.explain(List.of(items.get(i).faces()), t).get(0);
                } catch (InferenceException | RuntimeException e) {
                    out.add(failed(items.get(i), e));
                }
            }
            return done;
        }
    }

    private ProducerRecord<String, byte[]> failed(Item item, Exception e) {
        LOG.warn("request {} failed in the model: {}", item.pair().getRequestId(), e.toString());
        return rejection(item.record(), item.pair().getRequestId(), ReasonCode.INFERENCE_FAILED, String.valueOf(e.getMessage()),
                item.pair().getTags());
    }

    private ProducerRecord<String, byte[]> result(Item item, double score, double t, boolean explained, double modelMs, int batchSize) {
        AlignedPair p = item.pair();
        MDC.put("requestId", p.getRequestId());
        MDC.put("service", "explainer");
        Decision decision = DecisionRule.decide(score, t);
        metrics.request("explainer", true);
        metrics.decision(item.model().id(), decision.name());
        VerificationResult r = VerificationResult.newBuilder()
                .setRequestId(p.getRequestId())
                .setModelId(item.model().id())
                .setScore(score)
                .setThreshold(t)
                .setDecision(decision)
                .setThresholdSource(item.thresholdSource())
                .setSubmittedBy(p.getSubmittedBy())
                .setSubmitterAuthenticated(p.getSubmitterAuthenticated())
                .setExplained(explained)
                .setTags(p.getTags())
                .setSubmittedAtMs(p.getSubmittedAtMs())
                .setCompletedAtMs(Instant.now())
                .setGatewayMs(p.getGatewayMs())
                .setModelMs(modelMs)
                .setBatchSize(batchSize)
                .build();
        metrics.decisionLatency(Duration.between(p.getSubmittedAtMs(), r.getCompletedAtMs()));
        MDC.remove("requestId");
        MDC.remove("service");
        return record(Topics.RESULTS, p.getRequestId(), topics.results().valueSerde().serializer(), r);
    }

    private ProducerRecord<String, byte[]> explanation(Item item, PairExplanation e) {
        AlignedPair p = item.pair();
        Explanation x = Explanation.newBuilder()
                .setRequestId(p.getRequestId())
                .setModelId(item.model().id())
                .setScore(e.cosine())
                .setThreshold(e.threshold())
                .setThresholdSource(item.thresholdSource())
                .setTags(p.getTags())
                .setWidth(e.probeMaps().width())
                .setHeight(e.probeMaps().height())
                .setProbeFace(p.getProbe().getRgb())
                .setReferenceFace(p.getReference().getRgb())
                .setProbe(maps(e.probeMaps()))
                .setReference(maps(e.referenceMaps()))
                .build();
        return record(Topics.EXPLANATIONS, p.getRequestId(), topics.explanations().valueSerde().serializer(), x);
    }

    private static DirectionMaps maps(ArgumentMaps m) {
        return DirectionMaps.newBuilder()
                .setSPlus(m.sPlus())
                .setSMinus(m.sMinus())
                .setPositive(ByteBuffer.wrap(Float16.encode(m.positive())))
                .setNegative(ByteBuffer.wrap(Float16.encode(m.negative())))
                .setCombined(ByteBuffer.wrap(Float16.encode(m.combined())))
                .build();
    }

    private ProducerRecord<String, byte[]> rejection(ConsumerRecord<String, byte[]> r, String requestId, ReasonCode reason,
            String message, Map<String, String> tags) {
        metrics.request("explainer", false);
        metrics.rejection(reason.name());
        Rejection x = Rejection.newBuilder()
                .setRequestId(requestId)
                .setReason(reason)
                .setStage(Stage.EXPLAINER)
                .setMessage(message)
                .setSourceTopic(r.topic())
                .setSourcePartition(r.partition())
                .setSourceOffset(r.offset())
                .setOriginalKey(r.key() == null ? null : ByteBuffer.wrap(r.key().getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(r.value() == null ? null : ByteBuffer.wrap(r.value()))
                .setRejectedAtMs(Instant.now())
                .setTags(tags)
                .build();
        return record(Topics.REJECTIONS, requestId, topics.rejections().valueSerde().serializer(), x);
    }

    private static <V> ProducerRecord<String, byte[]> record(String topic, String key, Serializer<V> serializer, V value) {
        return new ProducerRecord<>(topic, key, serializer.serialize(topic, value));
    }

    private static RgbImage image(AlignedFaceImage face) {
        byte[] rgb = new byte[face.getRgb().remaining()];
        face.getRgb().duplicate().get(rgb);
        return new RgbImage(face.getWidth(), face.getHeight(), rgb);
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<String, byte[]>> batch) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            next.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return next;
    }

    /** How often the Kafka clients were closed and reopened after a failure (0 on a healthy run). */
    public long clientRestarts() {
        return reopened;
    }

    /** Asks the loop to finish its batch and return; safe from any thread (e.g. a SIGTERM hook). */
    public void stop() {
        running.set(false);
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Closes without committing anything in flight (a crash, as far as Kafka can tell, minus the timeout). Idempotent. */
    private void closeClients() {
        Consumer<String, byte[]> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
                settings.clients().release(c);
            } catch (RuntimeException e) {
                LOG.debug("closing the consumer", e);
            }
        }
        Producer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            try {
                p.close(Duration.ofSeconds(5));
                settings.clients().release(p);
            } catch (RuntimeException e) {
                LOG.debug("closing the producer", e);
            }
        }
    }

    /**
     * Stops the loop and closes the clients. If {@link #run()} is active on another thread, waits
     * for it to return (it closes its own clients): a Kafka client must not be closed under the
     * thread that is using it.
     */
    @Override
    public void close() {
        stop();
        Thread active = runner;
        if (active != null && active != Thread.currentThread()) {
            try {
                active.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeClients();
    }
}
