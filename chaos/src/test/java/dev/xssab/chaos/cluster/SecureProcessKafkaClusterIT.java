package dev.xssab.chaos.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * The secured cluster that {@code up --secure --brokers 3} wants: three SASL_SSL nodes sharing one
 * key form a quorum, replicate among themselves, and serve the admin.
 */
class SecureProcessKafkaClusterIT {
    @Test
    void threeSecuredNodesReplicateAndServeTheAdmin() throws Exception {
        try (ProcessKafkaCluster cluster = ProcessKafkaCluster.startSecure(3, List.of("client"))) {
            try (Admin admin = cluster.clients().admin()) {
                admin.createTopics(List.of(new NewTopic("secured", 3, (short) 3))).all().get();
            }
            RecordLedger ledger = new RecordLedger("secured");
            try (KafkaProducer<Long, Long> producer = RecordLedger.producer(cluster.clients(), Map.of())) {
                ledger.send(producer, 0, 300);
                producer.flush();
            }
            ledger.assertReadBackExactlyOnce(cluster.clients(), 3, Duration.ofSeconds(30));
            cluster.awaitFullIsr(Duration.ofSeconds(30));
        }
    }
}
