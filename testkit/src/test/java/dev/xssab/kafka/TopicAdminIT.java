package dev.xssab.kafka;

import dev.xssab.schemas.Topics;

import dev.xssab.config.Replication;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xssab.testkit.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Services that start together create the same topics at once, and none of them may fail for it.
 * Topics that {@link TopicAdmin} has just created take a new idempotent producer's records at
 * once. Without the wait for serving leaders, about one fresh cluster in seven lost a record
 * here: its first batch for a partition was refused as out of order until it expired.
 */
class TopicAdminIT {
    private static final int ROUNDS = 10;

    @Test
    void freshTopicsTakeEveryRecordAtOnce() {
        Random random = new Random(7);
        for (int round = 0; round < ROUNDS; round++) {
            try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
                // Only raw bytes are sent here: the serdes (and so the registry) are never used.
                Topics topics = Topics.create(Map.of("schema.registry.url", "http://127.0.0.1:1"));
                List<String> created = TopicAdmin.ensureTopics(kafka.clients(), topics, 2, Replication.SINGLE_NODE);
                assertEquals(topics.all().size(), created.size(), "all created on a new cluster");
                // A lost record shows within seconds instead of the default two minutes.
                Map<String, Object> p = Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
                try (CheckedProducer producer = new CheckedProducer(kafka.clients(), p)) {
                    for (int i = 0; i < 30; i++) {
                        byte[] value = new byte[1 << 20]; // requests are images: about a megabyte each
                        random.nextBytes(value);
                        producer.send(new ProducerRecord<>(Topics.REQUESTS, "r" + i, value));
                    }
                    int r = round;
                    assertDoesNotThrow(producer::flush, () -> "round " + r);
                }
            }
        }
    }

    /** The broker sets no message.max.bytes of its own: the topic's own max.message.bytes must carry the record. */
    @Test
    void aRecordNearTheSizeLimitCrossesABrokerOfDefaultSizes() {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Topics topics = Topics.create(Map.of("schema.registry.url", "http://127.0.0.1:1"));
            TopicAdmin.ensureTopics(kafka.clients(), topics, 1, Replication.SINGLE_NODE);
            byte[] value = new byte[Topics.MAX_MESSAGE_BYTES - (64 << 10)];
            new Random(11).nextBytes(value);
            try (CheckedProducer producer = new CheckedProducer(kafka.clients(), Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                    Topics.MAX_MESSAGE_BYTES))) {
                producer.send(new ProducerRecord<>(Topics.REQUESTS, "big", value));
                assertDoesNotThrow(producer::flush);
            }
            try (KafkaConsumer<String, byte[]> c = kafka.clients().consumer(Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                    Topics.MAX_MESSAGE_BYTES), new StringDeserializer(), new ByteArrayDeserializer())) {
                TopicPartition p = new TopicPartition(Topics.REQUESTS, 0);
                c.assign(List.of(p));
                c.seekToBeginning(List.of(p));
                List<byte[]> read = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (read.isEmpty() && System.nanoTime() < deadline) {
                    c.poll(Duration.ofMillis(500)).forEach(r -> read.add(r.value()));
                }
                assertEquals(1, read.size(), "the record read back");
                assertArrayEquals(value, read.get(0));
            }
        }
    }

    @Test
    void aReplicationTheClusterCannotHoldIsRefusedNamingTheSetting() {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            TopicAdmin.requireBrokersFor(kafka.clients(), Replication.SINGLE_NODE);
            org.apache.kafka.common.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.apache.kafka.common.config.ConfigException.class,
                    () -> TopicAdmin.requireBrokersFor(kafka.clients(), new Replication((short) 1, 1, (short) 3)));
            assertEquals("streams.replication.factor=3 exceeds the 1 live broker of the cluster (set"
                    + " XSSAB_STREAMS_REPLICATION_FACTOR or --streams-replication-factor to at most 1)", e.getMessage());
        }
    }

    /** Every service of the local stack creates the topics at start, all at once: gateway, explainer, audit, aggregates, ui. */
    private static final int SERVICES = 5;
    private static final int RACE_ROUNDS = 25;

    @Test
    void servicesStartingTogetherAllGetTheirTopics() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SERVICES);
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Topics topics = Topics.create(Map.of("schema.registry.url", "http://127.0.0.1:1"));
            // The application topics themselves, from a fresh cluster, as a fresh `xssab up` meets them ...
            assertEquals(topics.all().size(), race(pool, () -> TopicAdmin.ensureTopics(kafka.clients(), topics, 2, Replication.SINGLE_NODE)),
                    "each topic created by exactly one service");
            // ... and many more rounds on new names, since one round is a coin toss.
            for (int round = 0; round < RACE_ROUNDS; round++) {
                // Two principals: each its own request topic and three outcome topics.
                List<String> principals = List.of("race-" + round + "-a", "race-" + round + "-b");
                int r = round;
                int created = assertDoesNotThrow(() -> race(pool, () -> TopicAdmin.ensurePrincipalTopics(kafka.clients(), principals, 2,
                        Replication.SINGLE_NODE, TopicAdmin.DEFAULT_FACE_RETENTION_MS)), () -> "round " + r);
                assertEquals(4 * principals.size(), created, "round " + round + ": each topic created by exactly one caller");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code create} in every service at the same moment; returns how many topics they created in all. */
    private static int race(ExecutorService pool, java.util.concurrent.Callable<List<String>> create) throws Exception {
        CyclicBarrier start = new CyclicBarrier(SERVICES);
        List<Future<List<String>>> calls = IntStream.range(0, SERVICES).mapToObj(i -> pool.submit(() -> {
            start.await();
            return create.call();
        })).toList();
        int created = 0;
        for (Future<List<String>> call : calls) {
            created += call.get().size();
        }
        return created;
    }
}
