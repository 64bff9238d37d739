package dev.xssab.explainer.stream;

import dev.xssab.explainer.ArgumentMaps;
import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.InferenceException;
import dev.xssab.explainer.PairExplainer;
import dev.xssab.explainer.PairExplanation;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * aligned pairs -> [one batched model call per poll] -> results, explanations, rejections.
 *
 * <p>A plain transactional consume-transform-produce loop rather than Kafka Streams, because the
 * unit of work is a batch: Streams processes record by record, and a GPU (or the CPU's SIMD)
 * wants one forward pass over many pairs. Each batch's outputs and its input offsets commit in
 * one transaction (read_committed downstream), so a crash at any point yields, after restart,
 * exactly one result per request. A record that fails inside a batch is rejected alone.
 */
public final class ExplainerLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExplainerLoop.class);

    private final ExplainerSettings settings;
    private final Topics topics;
    private final PairExplainer explainer;
    private final Scorer fastScorer;
    private final ThresholdTable thresholds;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Polled but not yet processed; their offsets are not committed until they are. */
    private final java.util.ArrayDeque<ConsumerRecord<String, byte[]>> pending = new java.util.ArrayDeque<>();
    private long batches;
    private long pairs;

    public ExplainerLoop(ExplainerSettings settings, Topics topics, PairExplainer explainer, Scorer fastScorer,
            ThresholdTable thresholds) {
        this.settings = settings;
        this.topics = topics;
        this.explainer = explainer;
        this.fastScorer = fastScorer;
        this.thresholds = thresholds;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxBatch());
        // Static membership: a restarted instance (same id) takes over its partitions at once
        // instead of waiting for the dead one's session to time out.
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.transactionalId());
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // An instance that dies mid-batch holds its transaction open at most this long if it
        // never comes back under the same transactional id.
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Runs until {@link #stop()}; returns normally after finishing (or aborting) the batch in hand. */
    public void run() {
        producer.initTransactions();
        consumer.subscribe(List.of(Topics.ALIGNED_PAIRS));
        LOG.info("explainer {} consuming {} (batch up to {}, wait up to {} ms)", settings.transactionalId(),
                Topics.ALIGNED_PAIRS, settings.maxBatch(), settings.maxWait().toMillis());
        try {
            while (running.get()) {
                List<ConsumerRecord<String, byte[]>> batch = collectBatch();
                if (!batch.isEmpty()) {
                    processInTransaction(batch);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            LOG.info("explainer {} stopping after {} batches, {} pairs", settings.transactionalId(), batches, pairs);
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

    private void processInTransaction(List<ConsumerRecord<String, byte[]>> batch) {
        try {
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> out : process(batch)) {
                producer.send(out);
            }
            producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
            producer.commitTransaction();
            batches++;
            pairs += batch.size();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            // Another instance took over this transactional id, or the producer is broken: stop.
            throw e;
        } catch (KafkaException e) {
            LOG.warn("aborting a batch of {} and retrying it: {}", batch.size(), e.toString());
            producer.abortTransaction();
            rewind(batch);
        }
    }

    /** The outputs of one batch: one result (plus an explanation if asked) or one rejection per record. */
    List<ProducerRecord<String, byte[]>> process(List<ConsumerRecord<String, byte[]>> batch) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        List<Item> fast = new ArrayList<>();
        List<Item> explained = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            AlignedPair pair;
            try {
                pair = topics.alignedPairs().valueSerde().deserializer().deserialize(r.topic(), r.value());
            } catch (RuntimeException e) {
                out.add(rejection(r, r.key(), ReasonCode.MALFORMED_REQUEST, "unreadable aligned pair: " + e.getMessage(), Map.of()));
                continue;
            }
            if (pair.getModelId() != null && !pair.getModelId().equals(explainer.modelId())) {
                out.add(rejection(r, pair.getRequestId(), ReasonCode.UNKNOWN_MODEL, "model " + pair.getModelId()
                        + " is not served here (this explainer serves " + explainer.modelId() + ")", pair.getTags()));
                continue;
            }
            Item item = new Item(r, pair, new FacePair(image(pair.getProbe()), image(pair.getReference())));
            (pair.getExplain() ? explained : fast).add(item);
        }
        String model = explainer.modelId();
        double t = thresholds.thresholdFor(model);
        if (!fast.isEmpty()) {
            long t0 = System.nanoTime();
            double[] scores = scoreAll(fast, out);
            double ms = (System.nanoTime() - t0) / 1e6 / fast.size();
            for (int i = 0; i < fast.size(); i++) {
                if (!Double.isNaN(scores[i])) {
                    out.add(result(fast.get(i), scores[i], t, false, ms, fast.size()));
                }
            }
        }
        if (!explained.isEmpty()) {
            long t0 = System.nanoTime();
            PairExplanation[] done = explainAll(explained, t, out);
            double ms = (System.nanoTime() - t0) / 1e6 / explained.size();
            for (int i = 0; i < explained.size(); i++) {
                if (done[i] != null) {
                    out.add(result(explained.get(i), done[i].cosine(), t, true, ms, explained.size()));
                    out.add(explanation(explained.get(i), done[i]));
                }
            }
        }
        return out;
    }

    private record Item(ConsumerRecord<String, byte[]> record, AlignedPair pair, FacePair faces) {}

    /** Scores in one call; if the batch fails, pair by pair, rejecting only the ones that fail. NaN marks a rejection. */
    private double[] scoreAll(List<Item> items, List<ProducerRecord<String, byte[]>> out) {
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

    private PairExplanation[] explainAll(List<Item> items, double t, List<ProducerRecord<String, byte[]>> out) {
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
        VerificationResult r = VerificationResult.newBuilder()
                .setRequestId(p.getRequestId())
                .setModelId(explainer.modelId())
                .setScore(score)
                .setThreshold(t)
                .setDecision(DecisionRule.decide(score, t))
                .setExplained(explained)
                .setTags(p.getTags())
                .setSubmittedAtMs(p.getSubmittedAtMs())
                .setCompletedAtMs(Instant.now())
                .setGatewayMs(p.getGatewayMs())
                .setModelMs(modelMs)
                .setBatchSize(batchSize)
                .build();
        return record(Topics.RESULTS, p.getRequestId(), topics.results().valueSerde().serializer(), r);
    }

    private ProducerRecord<String, byte[]> explanation(Item item, PairExplanation e) {
        AlignedPair p = item.pair();
        Explanation x = Explanation.newBuilder()
                .setRequestId(p.getRequestId())
                .setModelId(explainer.modelId())
                .setScore(e.cosine())
                .setThreshold(e.threshold())
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

    /**
     * After an abort, go back to the first uncommitted offset on every partition the batch or the
     * pending records touched; the pending records will be fetched again, so they are dropped.
     */
    private void rewind(List<ConsumerRecord<String, byte[]>> batch) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        for (ConsumerRecord<String, byte[]> r : pending) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        pending.clear();
        // After a rebalance some partitions may belong to another instance now: leave those to it.
        first.forEach((tp, offset) -> {
            if (consumer.assignment().contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
    }

    /** Asks the loop to finish its batch and return; safe from any thread (e.g. a SIGTERM hook). */
    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    /** Closes without committing anything in flight (a crash, as far as Kafka can tell, minus the timeout). */
    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
    }
}
