package dev.xssab.evaluator.aggregate;

import dev.xssab.config.Replication;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ErrorRates;
import dev.xssab.schemas.avro.VerificationResult;
import dev.xssab.testkit.StoreSize;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregates count each requestId once with bounded memory: 100,000 distinct results 10 ms
 * apart with a 60 s retention leave RocksDB holding about the last retention's ids, while every
 * result is still counted exactly once. Real topology, real RocksDB (TopologyTestDriver).
 */
class AggregatesBoundedStateIT {
    private static final Topics topics = Topics.create(Map.of("schema.registry.url", "mock://aggregates-bounded-state"));

    @TempDir
    Path state;

    @Test
    void theSeenStoreHoldsOnlyTheRetention() {
        Properties config = KafkaClients.plaintext("127.0.0.1:1").properties(AggregatesTopology.streamsConfig("bounded-agg",
                state.toString(), Replication.SINGLE_NODE));
        config.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "DEBUG");
        try (TopologyTestDriver driver = new TopologyTestDriver(AggregatesTopology.buildTopology(topics, Duration.ofSeconds(60)),
                config)) {
            TestInputTopic<String, VerificationResult> in = driver.createInputTopic(Topics.RESULTS, Serdes.String().serializer(),
                    topics.results().valueSerde().serializer());
            TestOutputTopic<String, ErrorRates> out = driver.createOutputTopic(Topics.AGGREGATES, Serdes.String().deserializer(),
                    topics.aggregates().valueSerde().deserializer());
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            long[] sizes = new long[10];
            long[] exact = new long[10];
            for (int i = 1; i <= 100_000; i++) {
                String id = "bounded/original/none/0/" + i;
                VerificationResult r = AggregatesTopologyTest.result(id, "original", "none", 0, i % 2 == 0, 0.7, i);
                r.getTags().put(EvaluationTags.RUN, "bounded");
                in.pipeInput(id, r, t0.plusMillis(10L * i));
                if (i % 10_000 == 0) {
                    out.readValuesToList(); // drain
                    sizes[i / 10_000 - 1] = StoreSize.estimatedKeys(driver.metrics(), AggregatesTopology.SEEN_STORE);
                    exact[i / 10_000 - 1] = StoreSize.windowEntries(driver.getWindowStore(AggregatesTopology.SEEN_STORE));
                }
            }
            // A replay of a recent result still counts once.
            VerificationResult again = AggregatesTopologyTest.result("bounded/original/none/0/100000", "original", "none", 0, true,
                    0.7, 100_000);
            again.getTags().put(EvaluationTags.RUN, "bounded");
            in.pipeInput(again.getRequestId(), again, t0.plusMillis(10L * 100_000 + 5));
            KeyValueStore<String, ErrorRates> table = driver.getKeyValueStore(AggregatesTopology.AGGREGATES_STORE);
            ErrorRates cell = table.get("bounded|m|csv|original|none|0");
            assertEquals(100_000, cell.getGenuine() + cell.getImpostor(), "every distinct result counted once");
            System.out.println("aggregates seen-id store, RocksDB estimate-num-keys after every 10,000 of 100,000 results: "
                    + Arrays.toString(sizes) + ", exact entries " + Arrays.toString(exact) + " (60 s retention holds 6,000 ids at this rate)");
            // The store's own view holds exactly the last 60 s of ids (6,000 at this rate); RocksDB's
            // estimate also counts the segments not dropped yet (at most three of 60 s) and memtable
            // entries, loosely. Unbounded would be 100,000.
            for (int k = 0; k < sizes.length; k++) {
                assertTrue(exact[k] <= 6_100, "the store holds " + exact[k] + " ids, more than the retention allows");
                assertTrue(sizes[k] <= 30_000, "RocksDB estimates " + sizes[k] + " ids");
            }
        }
    }
}
