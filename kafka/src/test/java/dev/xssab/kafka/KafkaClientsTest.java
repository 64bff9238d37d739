package dev.xssab.kafka;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Which layer of a client's settings wins (the rule is in config's KeptClientSettings). */
class KafkaClientsTest {
    @Test
    void theUsersClientSettingsWinOverTheCodesChoicesButNotOverWhatCorrectnessNeeds() {
        KafkaClients clients = new KafkaClients("127.0.0.1:9092", Map.of("max.poll.records", "7", "security.protocol", "SSL"));
        Properties p = clients.properties(Map.of("max.poll.records", 50, "isolation.level", "read_committed"));
        assertEquals("7", p.get("max.poll.records"), "a tunable: the user's value");
        assertEquals("read_committed", p.get("isolation.level"));
        assertEquals("SSL", p.get("security.protocol"));
        KafkaClients contradicting = new KafkaClients("127.0.0.1:9092", Map.of("isolation.level", "read_uncommitted"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> contradicting.properties(Map.of("isolation.level", "read_committed")));
        assertTrue(e.getMessage().startsWith("kafka.isolation.level=read_uncommitted contradicts"), e.getMessage());
        KafkaClients agreeing = new KafkaClients("127.0.0.1:9092", Map.of("acks", "all"));
        assertEquals("all", agreeing.properties(Map.of("acks", "all")).get("acks"), "the same value is no contradiction");
    }
}
