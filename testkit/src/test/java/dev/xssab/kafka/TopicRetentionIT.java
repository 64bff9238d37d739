package dev.xssab.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.xssab.config.Replication;
import dev.xssab.schemas.Topics;
import dev.xssab.testkit.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Topics that carry faces keep them only for the declared retention: set at creation, corrected on
 * topics made before, and the bytes really leave the broker, its files included.
 */
class TopicRetentionIT {
    private static final long DAY_MS = 86_400_000L;
    private static final long WEEK_MS = 7 * DAY_MS;
    private static final Topics TOPICS = Topics.create(Map.of("schema.registry.url", "http://127.0.0.1:1"));
    private static final String DOOR = Topics.requestsFrom("door-7");

    @Test
    void faceTopicsAreCreatedWithTheRetentionAndAtMostAnHourPerSegment() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            TopicAdmin.ensureTopics(kafka.clients(), TOPICS, 1, Replication.SINGLE_NODE, 2 * DAY_MS);
            TopicAdmin.ensurePrincipalTopics(kafka.clients(), List.of("door-7"), 1, Replication.SINGLE_NODE, 120_000L);
            Topics.Outcomes doorOutcomes = Topics.outcomesFor(java.util.Optional.of("door-7"));
            Map<String, Config> configs = configs(kafka, Stream.concat(TOPICS.all().stream().map(Topics.Topic::name),
                    Stream.concat(Stream.of(DOOR), doorOutcomes.all().stream())).toList());
            for (Topics.Topic<String, ?> t : TOPICS.all()) {
                Config c = configs.get(t.name());
                if (t.faces()) {
                    assertOwn(c, TopicConfig.RETENTION_MS_CONFIG, String.valueOf(2 * DAY_MS), t.name());
                    assertOwn(c, TopicConfig.SEGMENT_MS_CONFIG, "3600000", t.name());
                } else {
                    assertNotEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, c.get(TopicConfig.RETENTION_MS_CONFIG).source(), t.name());
                    assertEquals(String.valueOf(WEEK_MS), c.get(TopicConfig.RETENTION_MS_CONFIG).value(), t.name() + ": the broker's");
                }
            }
            // Under an hour of retention, a segment is no longer than the retention.
            assertOwn(configs.get(DOOR), TopicConfig.RETENTION_MS_CONFIG, "120000", DOOR);
            assertOwn(configs.get(DOOR), TopicConfig.SEGMENT_MS_CONFIG, "120000", DOOR);
            // A door's explanations and dead letters hold faces as well; its results do not.
            for (String t : List.of(doorOutcomes.explanations(), doorOutcomes.rejections())) {
                assertOwn(configs.get(t), TopicConfig.RETENTION_MS_CONFIG, "120000", t);
            }
            assertEquals(String.valueOf(WEEK_MS), configs.get(doorOutcomes.results()).get(TopicConfig.RETENTION_MS_CONFIG).value());
            assertEquals(List.of(Topics.ALIGNED_PAIRS, Topics.EXPLANATIONS, doorOutcomes.explanations(), Topics.REJECTIONS,
                    doorOutcomes.rejections(), Topics.REQUESTS, DOOR), TopicAdmin.existingFaceTopics(kafka.clients()));
            assertEquals(Map.of(), TopicAdmin.correctFaceRetention(kafka.clients(), List.of(Topics.REQUESTS), 2 * DAY_MS),
                    "a topic created with the retention needs no correction");
        }
    }

    @Test
    void theOldSignatureGivesTheDeclaredDefault() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            TopicAdmin.ensureTopics(kafka.clients(), TOPICS, 1, Replication.SINGLE_NODE);
            assertOwn(configs(kafka, List.of(Topics.EXPLANATIONS)).get(Topics.EXPLANATIONS), TopicConfig.RETENTION_MS_CONFIG, "86400000",
                    Topics.EXPLANATIONS);
        }
    }

    /** Topics made by an older up (7 days, or the broker's default) are set to the declared retention, once. */
    @Test
    void existingFaceTopicsAreCorrectedOnceAndTheOthersLeftAlone() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(); Admin admin = kafka.clients().admin()) {
            Map<String, String> week = Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(WEEK_MS));
            admin.createTopics(List.of(new NewTopic(Topics.REQUESTS, 1, (short) 1).configs(week),
                    new NewTopic(Topics.RESULTS, 1, (short) 1).configs(week),
                    new NewTopic(DOOR, 1, (short) 1),
                    new NewTopic(Topics.REJECTIONS, 1, (short) 1).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(DAY_MS)))))
                    .all().get(60, TimeUnit.SECONDS);
            List<String> faces = TopicAdmin.existingFaceTopics(kafka.clients());
            assertEquals(List.of(Topics.REJECTIONS, Topics.REQUESTS, DOOR), faces);

            Map<String, String> both = new TreeMap<>(Map.of(TopicConfig.RETENTION_MS_CONFIG, "86400000", TopicConfig.SEGMENT_MS_CONFIG, "3600000"));
            Map<String, Map<String, String>> changed = TopicAdmin.correctFaceRetention(kafka.clients(), faces, DAY_MS);
            assertEquals(Map.of(Topics.REQUESTS, both, DOOR, both,
                    Topics.REJECTIONS, Map.of(TopicConfig.SEGMENT_MS_CONFIG, "3600000")), changed, "what was set, and only that");
            Map<String, Config> after = configs(kafka, List.of(Topics.REQUESTS, Topics.RESULTS, DOOR, Topics.REJECTIONS));
            for (String t : faces) {
                assertOwn(after.get(t), TopicConfig.RETENTION_MS_CONFIG, "86400000", t);
                assertOwn(after.get(t), TopicConfig.SEGMENT_MS_CONFIG, "3600000", t);
            }
            assertEquals(String.valueOf(WEEK_MS), after.get(Topics.RESULTS).get(TopicConfig.RETENTION_MS_CONFIG).value(),
                    "results carry no face: left as they were");
            assertEquals(Map.of(), TopicAdmin.correctFaceRetention(kafka.clients(), faces, DAY_MS), "a second call changes nothing");
            assertEquals(Map.of(), TopicAdmin.correctFaceRetention(kafka.clients(), List.of(Topics.RESULTS), DAY_MS),
                    "a topic without faces is never touched");
        }
    }

    /**
     * Retention 5 s on a broker that checks every second: while requests keep coming, the oldest
     * leave (which needs segment.ms: the active segment would otherwise take every record for a
     * week, and a segment goes only when its newest record is past retention); once they stop,
     * all leave, and no log file holds their bytes.
     */
    @Test
    void theBytesAreGoneAfterTheRetention() throws Exception {
        // The first check comes after log.initial.task.delay.ms (30 s by default), then one a second.
        Map<String, String> broker = Map.of("log.retention.check.interval.ms", "1000", "log.initial.task.delay.ms", "1000",
                "log.segment.delete.delay.ms", "500");
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.startWith(broker); Admin admin = kafka.clients().admin()) {
            TopicAdmin.ensureTopics(kafka.clients(), TOPICS, 1, Replication.SINGLE_NODE, 5_000L);
            TopicPartition p = new TopicPartition(Topics.REQUESTS, 0);
            long started = System.nanoTime();
            int sent = 0;
            try (CheckedProducer producer = new CheckedProducer(kafka.clients(), Map.of())) {
                // One request every 300 ms: the partition is never idle for as long as the retention.
                while (logStart(admin, p) == 0 && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(40)) {
                    producer.send(new ProducerRecord<>(Topics.REQUESTS, "r" + sent, face(sent++)));
                    producer.flush();
                    Thread.sleep(300);
                }
            }
            long whileSending = logStart(admin, p);
            assertTrue(whileSending > 0, "the oldest requests are still there after " + sent + " sent over "
                    + seconds(started) + " s with a retention of 5 s");
            System.out.printf("while sending: the first %d of %d requests gone after %.1f s%n", whileSending, sent, seconds(started));
            int total = sent;
            long stopped = System.nanoTime();
            awaitTrue(() -> logStart(admin, p) == total, Duration.ofSeconds(30), () -> "log start " + logStart(admin, p) + " of " + total
                    + " after the last request: the active segment was not deleted");
            System.out.printf("after the last request: all %d gone after %.1f s, the active segment with them%n", total, seconds(stopped));
            assertEquals(List.of(), readFromTheBeginning(kafka, p), "a reader from the beginning finds nothing");
            awaitTrue(() -> filesHolding(admin, p).isEmpty(), Duration.ofSeconds(30), () -> "face bytes in " + filesHolding(admin, p));
            assertEquals(0L, replicaSize(admin, p), "bytes of the partition on the broker");
            System.out.printf("no log file holds a face marker %.1f s after the last request%n", seconds(stopped));
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /** A face's stand-in: random bytes behind a marker that the log files are searched for. */
    private static byte[] face(int i) {
        byte[] value = new byte[16 << 10];
        new Random(i).nextBytes(value);
        byte[] marker = ("xssab-face-bytes-" + i + ";").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(marker, 0, value, 0, marker.length);
        return value;
    }

    private static List<String> readFromTheBeginning(EmbeddedKafkaBroker kafka, TopicPartition p) {
        try (KafkaConsumer<String, byte[]> c = kafka.clients().consumer(Map.of(), new StringDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(p));
            c.seekToBeginning(List.of(p));
            List<String> keys = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < end) {
                c.poll(Duration.ofMillis(300)).forEach(r -> keys.add(r.key()));
            }
            assertEquals(c.endOffsets(List.of(p)).get(p), c.position(p), "the beginning is the end");
            return keys;
        }
    }

    private static long logStart(Admin admin, TopicPartition p) {
        try {
            return admin.listOffsets(Map.of(p, org.apache.kafka.clients.admin.OffsetSpec.earliest())).partitionResult(p)
                    .get(30, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, LogDirDescription> logDirs(Admin admin) throws Exception {
        List<Integer> ids = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id).toList();
        return admin.describeLogDirs(ids).allDescriptions().get(30, TimeUnit.SECONDS).values().iterator().next();
    }

    private static long replicaSize(Admin admin, TopicPartition p) throws Exception {
        return logDirs(admin).values().stream().filter(d -> d.replicaInfos().containsKey(p))
                .mapToLong(d -> d.replicaInfos().get(p).size()).sum();
    }

    /** The files of the partition's folder (segments, and segments marked .deleted) that hold any face marker. */
    private static List<Path> filesHolding(Admin admin, TopicPartition p) {
        byte[] marker = "xssab-face-bytes-".getBytes(StandardCharsets.US_ASCII);
        try {
            List<Path> holding = new ArrayList<>();
            for (String dir : logDirs(admin).keySet()) {
                try (Stream<Path> files = Files.list(Path.of(dir, p.topic() + "-" + p.partition()))) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        if (contains(readIfThere(f), marker)) {
                            holding.add(f);
                        }
                    }
                }
            }
            return holding;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A segment may be deleted between the listing and the read. */
    private static byte[] readIfThere(Path f) throws IOException {
        try {
            return Files.readAllBytes(f);
        } catch (java.nio.file.NoSuchFileException e) {
            return new byte[0];
        }
    }

    private static boolean contains(byte[] data, byte[] marker) {
        for (int i = 0; i + marker.length <= data.length; i++) {
            if (data[i] == marker[0] && Arrays.equals(data, i, i + marker.length, marker, 0, marker.length)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Config> configs(EmbeddedKafkaBroker kafka, List<String> topics) throws Exception {
        try (Admin admin = kafka.clients().admin()) {
            Map<String, Config> byName = new TreeMap<>();
            admin.describeConfigs(topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all()
                    .get(60, TimeUnit.SECONDS).forEach((r, c) -> byName.put(r.name(), c));
            return byName;
        }
    }

    /** The topic's own setting, not one inherited from the broker (whose defaults may change under it). */
    private static void assertOwn(Config config, String key, String value, String topic) {
        ConfigEntry e = config.get(key);
        assertEquals(value, e.value(), topic + " " + key);
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, e.source(), topic + " " + key + " is its own");
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(failure.get());
            }
            Thread.sleep(200);
        }
    }
}
