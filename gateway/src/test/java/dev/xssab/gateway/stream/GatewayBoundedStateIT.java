package dev.xssab.gateway.stream;

import dev.xssab.config.Replication;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.testkit.StoreSize;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's dedup store stays bounded: 100,000 distinct requestIds, arriving 10 ms apart
 * (1,000 s in all) with a 60 s window, leave RocksDB holding only about the last window's ids.
 * Runs the real topology on real RocksDB (TopologyTestDriver); reads RocksDB's own estimate.
 */
class GatewayBoundedStateIT {
    private static final Topics topics = Topics.create(Map.of("schema.registry.url", "mock://gateway-bounded-state"));

    @TempDir
    Path state;

    @Test
    void theDedupStoreHoldsOnlyTheWindow() {
        Duration window = Duration.ofSeconds(60);
        Properties config = KafkaClients.plaintext("127.0.0.1:1").properties(GatewayTopology.streamsConfig("bounded-gateway",
                state.toString(), 1, Replication.SINGLE_NODE));
        config.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "DEBUG");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        try (TopologyTestDriver driver = new TopologyTestDriver(GatewayTopology.buildTopology(topics,
                GatewayTopologyTest.FixedAligner::new, GatewayTopologyTest.anyPrincipal(window)), config, start)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(Topics.REQUESTS, Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, byte[]> aligned = driver.createOutputTopic(Topics.ALIGNED_PAIRS, Serdes.String().deserializer(),
                    Serdes.ByteArray().deserializer());
            var ser = topics.requests().valueSerde().serializer();
            long accepted = 0;
            long[] sizes = new long[10];
            long[] exact = new long[10];
            for (int i = 1; i <= 100_000; i++) {
                String id = "r" + i;
                VerificationRequest r = VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(start)
                        .setProbe(ByteBuffer.wrap("Face".getBytes(StandardCharsets.UTF_8)))
                        .setReference(ByteBuffer.wrap("Face".getBytes(StandardCharsets.UTF_8))).build();
                in.pipeInput(id, ser.serialize(Topics.REQUESTS, r));
                driver.advanceWallClockTime(Duration.ofMillis(10));
                if (i % 10_000 == 0) {
                    accepted += aligned.readValuesToList().size(); // drain the driver's output as we go
                    sizes[i / 10_000 - 1] = StoreSize.estimatedKeys(driver.metrics(), GatewayTopology.SEEN_STORE);
                    exact[i / 10_000 - 1] = StoreSize.windowEntries(driver.getWindowStore(GatewayTopology.SEEN_STORE));
                }
            }
            assertEquals(100_000, accepted, "every distinct id accepted once");
            System.out.println("gateway dedup store, RocksDB estimate-num-keys after every 10,000 of 100,000 ids: "
                    + java.util.Arrays.toString(sizes) + ", exact entries " + java.util.Arrays.toString(exact)
                    + " (the 60 s window holds 6,000 ids at this rate)");
            // Retention 60 s in 60 s segments keeps at most two segments, 12,000 ids; RocksDB's estimate
            // counts memtable and file entries loosely, so allow it twice that. Unbounded would be 100,000.
            // The store's own view holds exactly the last 60 s of ids (6,000 at this rate); RocksDB's
            // estimate also counts the segments not dropped yet (at most three of 60 s) and memtable
            // entries, loosely. Unbounded would be 100,000.
            for (int k = 0; k < sizes.length; k++) {
                assertTrue(exact[k] <= 6_100, "the store holds " + exact[k] + " ids, more than the retention allows");
                assertTrue(sizes[k] <= 30_000, "RocksDB estimates " + sizes[k] + " ids");
            }
            // And the window is still enforced at the end: a repeat of the newest id is a duplicate.
            in.pipeInput("r100000", ser.serialize(Topics.REQUESTS, VerificationRequest.newBuilder().setRequestId("r100000")
                    .setSubmittedAtMs(start).setProbe(ByteBuffer.wrap(new byte[] {'F'})).setReference(ByteBuffer.wrap(
                            new byte[] {'F'})).build()));
            assertTrue(aligned.isEmpty(), "a repeat within the window is not accepted again");
        }
    }
}
