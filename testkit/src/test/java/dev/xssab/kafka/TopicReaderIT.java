package dev.xssab.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.config.Replication;
import dev.xssab.schemas.Topics;
import dev.xssab.testkit.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one reader of a topic (registry log, threshold table, UI pages): real broker, two partitions. */
class TopicReaderIT {
    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void readsToTheEndAsOfTheCallOrOnlyTheNewestPerPartition() throws Exception {
        String topic = topic("window");
        send(topic, 0, 5);
        send(topic, 1, 3);
        TopicReader<String, String> reader = reader(topic);
        List<ConsumerRecord<String, String>> all = new CopyOnWriteArrayList<>();
        assertTrue(reader.readToEnd(Long.MAX_VALUE, Duration.ofSeconds(30), all::add));
        assertEquals(8, all.size());
        List<ConsumerRecord<String, String>> newest = new CopyOnWriteArrayList<>();
        assertTrue(reader.readToEnd(2, Duration.ofSeconds(30), newest::add));
        assertEquals(List.of("p0-3", "p0-4", "p1-1", "p1-2"), newest.stream().map(ConsumerRecord::value).sorted().toList());
        assertEquals("p1-2", reader.recordAt(1, 2, Duration.ofSeconds(10)).orElseThrow().value());
        assertTrue(reader.recordAt(1, 3, Duration.ofSeconds(1)).isEmpty(), "no record there yet");
    }

    @Test
    void aFollowerCatchesUpSkipsWhatItsCallbackRefusesAndKeepsFollowing() throws Exception {
        String topic = topic("follow");
        send(topic, 0, 3);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TopicFollower<String, String> follower = reader(topic).follow(TopicReader.From.BEGINNING, "test-follow", r -> {
            if (r.value().equals("p0-1")) {
                throw new IllegalArgumentException("refused");
            }
            seen.add(r.value());
        })) {
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));
            assertNull(follower.problem());
            assertEquals(List.of("p0-0", "p0-2"), seen);
            send(topic, 1, 1);
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < 3 && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertEquals(List.of("p0-0", "p0-2", "p1-0"), seen, "records after the refused one still arrive");
        }
    }

    @Test
    void aFollowerFromTheEndSeesOnlyNewRecords() throws Exception {
        String topic = topic("tail");
        send(topic, 0, 2);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TopicFollower<String, String> follower = reader(topic).follow(TopicReader.From.END, "test-tail", r -> seen.add(r.value()))) {
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));
            send(topic, 1, 1);
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertEquals(List.of("p1-0"), seen);
        }
        assertFalse(seen.contains("p0-0"));
    }

    /** A family is the shared topic and every principal's own, including one made after the follower started. */
    @Test
    void aFamilyReaderReadsEveryTopicOfTheFamilyAndNoOther() throws Exception {
        topic("fam");
        topic("fam.by.a");
        topic("famous");
        send("fam", 0, 1);
        send("fam.by.a", 1, 1);
        send("famous", 0, 1);
        TopicReader<String, String> family = new TopicReader<>(kafka.clients(), Topics.family("fam"),
                StringDeserializer::new, StringDeserializer::new);
        List<String> read = new CopyOnWriteArrayList<>();
        assertTrue(family.readToEnd(10, Duration.ofSeconds(30), r -> read.add(r.topic() + "/" + r.value())));
        assertEquals(List.of("fam.by.a/p1-0", "fam/p0-0"), read.stream().sorted().toList());
        assertTrue(family.recordAt("fam.by.a", 1, 0, Duration.ofSeconds(10)).isPresent());
        assertFalse(family.recordAt("famous", 0, 0, Duration.ofSeconds(10)).isPresent(), "a topic outside the family is never read");
        List<String> followed = new CopyOnWriteArrayList<>();
        try (TopicFollower<String, String> follower = family.follow(TopicReader.From.END, "test-family",
                r -> followed.add(r.topic() + "/" + r.value()))) {
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));
            topic("fam.by.b"); // a principal added while the follower runs
            send("fam.by.b", 0, 1);
            send("famous", 1, 1);
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (followed.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            Thread.sleep(500);
            assertEquals(List.of("fam.by.b/p0-0"), followed);
        }
    }

    private static TopicReader<String, String> reader(String topic) {
        return new TopicReader<>(kafka.clients(), topic, StringDeserializer::new, StringDeserializer::new);
    }

    private static String topic(String name) throws Exception {
        try (Admin admin = kafka.clients().admin()) {
            admin.createTopics(List.of(new NewTopic(name, 2, Replication.SINGLE_NODE.topicFactor()))).all().get();
        }
        return name;
    }

    private static void send(String topic, int partition, int count) throws Exception {
        try (KafkaProducer<String, String> p = kafka.clients().producer(Map.of(ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                p.send(new ProducerRecord<>(topic, partition, "k", "p" + partition + "-" + i)).get();
            }
        }
    }
}
