package dev.xssab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replication comes from the declared settings only, and the user's client settings win where the code allows. */
class ReplicationTest {
    private static final SettingsCatalog COMMON = new SettingsCatalog(List.of(), Map.of());

    @TempDir
    Path dir;

    @Test
    void theDeclaredSettingsDecideEveryReplicationFactor() {
        Replication r = Replication.from(ServiceConfig.load(COMMON, null, Map.of("XSSAB_TOPICS_REPLICATION_FACTOR", "3",
                "XSSAB_TOPICS_MIN_INSYNC_REPLICAS", "2"), Map.of("streams.replication.factor", "3")));
        assertEquals(new Replication((short) 3, 2, (short) 3), r);
        assertEquals(Map.of("min.insync.replicas", "2"), r.topicConfigs());
        assertEquals(3, r.streamsSettings().get("replication.factor"));
        assertEquals("2", r.streamsSettings().get("topic.min.insync.replicas"));
        assertEquals(Replication.SINGLE_NODE, Replication.from(ServiceConfig.load(COMMON, null, Map.of(), Map.of())), "defaults: one broker");
    }

    @Test
    void moreReplicasThanLiveBrokersIsRefusedNamingTheSetting() {
        Replication three = new Replication((short) 3, 2, (short) 3);
        three.requireBrokers(3);
        ConfigException e = assertThrows(ConfigException.class, () -> three.requireBrokers(1));
        assertEquals("topics.replication.factor=3 exceeds the 1 live broker of the cluster (set XSSAB_TOPICS_REPLICATION_FACTOR"
                + " or --replication-factor to at most 1)", e.getMessage());
        ConfigException streams = assertThrows(ConfigException.class, () -> new Replication((short) 1, 1, (short) 2).requireBrokers(1));
        assertTrue(streams.getMessage().startsWith("streams.replication.factor=2 exceeds"), streams.getMessage());
    }

    @Test
    void minInsyncAboveTheFactorCouldNeverAcknowledge() {
        ConfigException e = assertThrows(ConfigException.class, () -> new Replication((short) 1, 2, (short) 3));
        assertTrue(e.getMessage().contains("topics.min.insync.replicas=2 exceeds topics.replication.factor=1"), e.getMessage());
    }

    @Test
    void replicationAsAKafkaClientSettingIsRefused() throws IOException {
        Path file = dir.resolve("settings.properties");
        Properties p = new Properties();
        p.setProperty("kafka.replication.factor", "3");
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, null);
        }
        ConfigException e = assertThrows(ConfigException.class, () -> ServiceConfig.load(COMMON, file, Map.of(), Map.of()));
        assertTrue(e.getMessage().startsWith("kafka.replication.factor: replication is a declared setting of its own"
                + " (streams.replication.factor"), e.getMessage());
    }
}
