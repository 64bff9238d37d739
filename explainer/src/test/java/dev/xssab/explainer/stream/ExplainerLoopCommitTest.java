package dev.xssab.explainer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.PairExplainer;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.render.PairExplanation;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.AlignedFaceImage;
import dev.xssab.schemas.avro.AlignedPair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A commit that times out has an unknown outcome: the loop commits again (never aborts, see
 * KAFKA-17754), and only past the deadline replaces the producer. Kafka's mock clients, an
 * in-memory registry.
 */
class ExplainerLoopCommitTest {
    private static final Topics TOPICS = Topics.create(Map.of("schema.registry.url", "mock://explainer-loop-commit-test"));
    private static final TopicPartition IN = new TopicPartition(Topics.ALIGNED_PAIRS, 0);

    /** A MockProducer whose commit attempts fail as {@code failure} says (null: that attempt commits). */
    static final class FlakyCommits extends MockProducer<String, byte[]> {
        private final IntFunction<RuntimeException> failure;
        int attempts;
        boolean aborted;

        FlakyCommits(IntFunction<RuntimeException> failure) {
            super(true, null, new StringSerializer(), new ByteArraySerializer());
            this.failure = failure;
        }

        @Override
        public synchronized void commitTransaction() {
            commitTransactionException = failure.apply(++attempts);
            super.commitTransaction();
        }

        @Override
        public synchronized void abortTransaction() {
            aborted = true;
            super.abortTransaction();
        }
    }

    /** Hands out the given producers in turn, and a new consumer holding the three pairs each time. */
    static final class Clients implements LoopClients {
        final List<FlakyCommits> producers;
        final List<FlakyCommits> handedOut = new CopyOnWriteArrayList<>();

        Clients(FlakyCommits... producers) {
            this.producers = new ArrayList<>(List.of(producers));
        }

        @Override
        public synchronized Producer<String, byte[]> producer(Map<String, Object> config) {
            FlakyCommits p = producers.remove(0);
            handedOut.add(p);
            return p;
        }

        @Override
        public Consumer<String, byte[]> consumer(Map<String, Object> config) {
            MockConsumer<String, byte[]> c = new MockConsumer<>("earliest");
            c.schedulePollTask(() -> {
                c.rebalance(List.of(IN));
                c.updateBeginningOffsets(Map.of(IN, 0L));
                for (int i = 0; i < 3; i++) {
                    c.addRecord(new ConsumerRecord<>(Topics.ALIGNED_PAIRS, 0, i, "req-" + i, pair("req-" + i)));
                }
            });
            return c;
        }
    }

    @Test
    void aTimedOutCommitIsCommittedAgainNotAborted() throws Exception {
        FlakyCommits producer = new FlakyCommits(attempt -> attempt == 1 ? new TimeoutException("commit timed out") : null);
        Clients clients = new Clients(producer);
        SimpleMeterRegistry meters = runUntilCommitted(clients, Duration.ofSeconds(30), producer);

        assertEquals(2, producer.attempts, "the timed-out commit is called again");
        assertFalse(producer.aborted, "a commit with an unknown outcome is never aborted");
        assertEquals(1, producer.commitCount());
        assertEquals(List.of("req-0", "req-1", "req-2"), resultKeys(producer), "each pair's result committed once");
        List<Map<String, Map<TopicPartition, OffsetAndMetadata>>> offsets = producer.consumerGroupOffsetsHistory();
        assertEquals(1, offsets.size(), "the input offsets committed once, in the same transaction");
        assertEquals(List.of(Map.of(IN, new OffsetAndMetadata(3))), List.copyOf(offsets.get(0).values()));
        assertEquals(0, meters.counter("xssab.client.restarts").count());
        assertEquals(1, clients.handedOut.size(), "the producer is kept");
    }

    @Test
    void aCommitStillUnknownAtTheDeadlineReplacesTheProducer() throws Exception {
        FlakyCommits stuck = new FlakyCommits(attempt -> new TimeoutException("commit timed out"));
        FlakyCommits fresh = new FlakyCommits(attempt -> null);
        Clients clients = new Clients(stuck, fresh);
        SimpleMeterRegistry meters = runUntilCommitted(clients, Duration.ZERO, fresh);

        assertFalse(stuck.aborted, "past the deadline the producer is closed, not aborted");
        assertTrue(stuck.closed());
        assertEquals(0, stuck.commitCount());
        assertEquals(1, meters.counter("xssab.client.restarts").count());
        assertEquals(List.of("req-0", "req-1", "req-2"), resultKeys(fresh), "the new producer decides the batch once");
    }

    /** The meters the loop counted into. */
    private static SimpleMeterRegistry runUntilCommitted(Clients clients, Duration deadline, MockProducer<?, ?> committer)
            throws InterruptedException {
        ExplainerLoopSettings settings = new ExplainerLoopSettings(KafkaClients.plaintext("127.0.0.1:9"), "commit-test", "commit-test-0", 8,
                Duration.ofMillis(10), deadline);
        Fixed model = new Fixed();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ExplainerLoop loop = new ExplainerLoop(settings, TOPICS, List.of(new ExplainerLoop.ServedModel(model)),
                m -> 0.5, new XssabMetrics(meters), clients);
        Thread thread = new Thread(loop::run, "commit-test-loop");
        thread.start();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (committer.commitCount() == 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        loop.stop();
        thread.join(30_000);
        assertFalse(thread.isAlive(), "the loop returns after stop()");
        return meters;
    }

    private static List<String> resultKeys(MockProducer<String, byte[]> producer) {
        return producer.history().stream().filter(r -> r.topic().equals(Topics.RESULTS)).map(ProducerRecord::key).toList();
    }

    static byte[] pair(String id) {
        AlignedFaceImage face = AlignedFaceImage.newBuilder().setWidth(1).setHeight(1)
                .setRgb(ByteBuffer.wrap(new byte[] {60, 0, 0})).setDetectionScore(1f).setFitErrorPx(0f).build();
        AlignedPair p = AlignedPair.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now()).setExplain(false)
                .setProbe(face).setReference(face).setGatewayMs(1).build();
        return TOPICS.alignedPairs().valueSerde().serializer().serialize(Topics.ALIGNED_PAIRS, p);
    }

    /** Every pair scores 0.6; explanations are not asked for here. */
    static class Fixed implements PairExplainer {
        @Override
        public String modelId() {
            return "fixed";
        }

        @Override
        public double[] score(List<FacePair> pairs) {
            double[] s = new double[pairs.size()];
            java.util.Arrays.fill(s, 0.6);
            return s;
        }

        @Override
        public List<PairExplanation> explain(List<FacePair> pairs, double threshold) {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public String problem() {
            return null;
        }

        @Override
        public void close() {}
    }
}
