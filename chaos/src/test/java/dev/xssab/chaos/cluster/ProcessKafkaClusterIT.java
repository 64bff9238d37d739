package dev.xssab.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three broker processes, and the failures of issue 15: a partition leader killed with SIGKILL
 * while a producer writes, the active controller frozen with SIGSTOP past the session timeout, a
 * transaction coordinator killed before the commit. Nothing acknowledged may be lost or doubled.
 * Each test starts and ends with every partition fully in sync.
 */
class ProcessKafkaClusterIT {
    private static final int PARTITIONS = 3;
    private static final Duration HEAL = Duration.ofSeconds(60);
    private static ProcessKafkaCluster cluster;

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        cluster = ProcessKafkaCluster.start(3);
        System.out.printf("3-node cluster up in %d ms; RSS %s%n", (System.nanoTime() - t0) / 1_000_000, rss());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            System.out.printf("RSS at the end %s%n", rss());
            cluster.close();
        }
    }

    @BeforeEach
    void healthy() {
        cluster.awaitFullIsr(HEAL);
    }

    @Test
    void killingThePartitionLeaderLosesNoAcknowledgedRecord() throws Exception {
        RecordLedger ledger = new RecordLedger(createTopic("leader-kill"));
        int leader;
        try (KafkaProducer<Long, Long> producer = RecordLedger.producer(cluster.clients(), Map.of())) {
            ledger.send(producer, 0, 2_000);
            producer.flush();
            leader = cluster.leaderOf(new TopicPartition("leader-kill", 0));
            long t0 = System.nanoTime();
            cluster.kill9(leader);
            ledger.send(producer, 2_000, 4_000);
            producer.flush();
            System.out.printf("leader %d killed; 2000 more records acknowledged %d ms later%n", leader,
                    (System.nanoTime() - t0) / 1_000_000);
        }
        assertNotEquals(leader, cluster.leaderOf(new TopicPartition("leader-kill", 0)), "a new leader took over");
        ledger.assertReadBackExactlyOnce(cluster.clients(), PARTITIONS, Duration.ofSeconds(30));
        ledger.assertAllAcknowledged(4_000);
        cluster.restart(leader);
        cluster.awaitFullIsr(HEAL);
    }

    @Test
    void aFrozenControllerIsReplacedAndWritesGoOn() throws Exception {
        RecordLedger ledger = new RecordLedger(createTopic("controller-pause"));
        int controller = cluster.activeController();
        long t0 = System.nanoTime();
        cluster.pause(controller);
        try {
            ClusterProbe.await("a new active controller", Duration.ofSeconds(30), () -> {
                int now = cluster.activeController();
                return now >= 0 && now != controller;
            }, () -> "controller " + cluster.activeController());
            long elected = (System.nanoTime() - t0) / 1_000_000;
            ClusterProbe.await("node " + controller + " fenced", Duration.ofSeconds(30),
                    () -> !cluster.liveBrokers().contains(controller), () -> "live " + cluster.liveBrokers());
            System.out.printf("controller %d frozen: %d elected after %d ms, %d fenced after %d ms%n", controller,
                    cluster.activeController(), elected, controller, (System.nanoTime() - t0) / 1_000_000);
            try (KafkaProducer<Long, Long> producer = RecordLedger.producer(cluster.clients(), Map.of())) {
                ledger.send(producer, 0, 1_000);
                producer.flush();
            }
            assertFalse(cluster.liveBrokers().contains(controller), "still frozen while the others wrote");
        } finally {
            cluster.resume(controller);
        }
        ledger.assertReadBackExactlyOnce(cluster.clients(), PARTITIONS, Duration.ofSeconds(30));
        ledger.assertAllAcknowledged(1_000);
        cluster.awaitFullIsr(HEAL);
        assertTrue(cluster.liveBrokers().contains(controller), "the resumed node is a broker again");
    }

    @Test
    void aTransactionCommitsThroughItsCoordinatorsDeath() throws Exception {
        RecordLedger ledger = new RecordLedger(createTopic("coordinator-kill"));
        String txId = "xssab-it-coordinator-kill";
        int coordinator;
        try (KafkaProducer<Long, Long> producer = RecordLedger.producer(cluster.clients(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txId, ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000))) {
            producer.initTransactions();
            producer.beginTransaction();
            ledger.send(producer, 0, 500);
            producer.commitTransaction();
            coordinator = cluster.transactionCoordinatorOf(txId);
            producer.beginTransaction();
            ledger.send(producer, 500, 1_000);
            producer.flush();
            long t0 = System.nanoTime();
            cluster.kill9(coordinator);
            producer.commitTransaction();
            System.out.printf("coordinator %d killed; commit took %d ms%n", coordinator, (System.nanoTime() - t0) / 1_000_000);
        }
        assertNotEquals(coordinator, cluster.transactionCoordinatorOf(txId), "another node coordinates the transaction");
        ledger.assertReadBackExactlyOnce(cluster.clients(), PARTITIONS, Duration.ofSeconds(30));
        ledger.assertAllAcknowledged(1_000);
        cluster.restart(coordinator);
        cluster.awaitFullIsr(HEAL);
    }

    /** RF 3 and min.insync.replicas 2: acks=all means on two nodes, and one node may be lost. */
    private static String createTopic(String name) throws Exception {
        try (Admin admin = cluster.clients().admin()) {
            NewTopic topic = new NewTopic(name, PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2"));
            admin.createTopics(List.of(topic)).all().get();
        }
        return name;
    }

    private static String rss() {
        StringBuilder out = new StringBuilder();
        for (int id : cluster.layout().nodeIds()) {
            try {
                out.append(" node ").append(id).append(' ').append(cluster.rssKb(id) / 1024).append(" MB");
            } catch (RuntimeException e) {
                out.append(" node ").append(id).append(" down");
            }
        }
        return out.toString().trim();
    }
}
