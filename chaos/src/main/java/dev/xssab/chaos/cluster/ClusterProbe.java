package dev.xssab.chaos.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * What an admin client sees of a cluster (a {@link ProcessKafkaCluster}, or the local stack's for status): the active controller, live brokers,
 * leaders, coordinators, ISRs. Every question has a deadline, since a node may be dead or frozen.
 */
public final class ClusterProbe implements AutoCloseable {
    private static final long CALL_SECONDS = 15;

    private final Admin admin;
    private final Admin controllers;

    /**
     * @param admin a client of the brokers
     * @param controllers a client of the controllers (bootstrap.controllers): brokers forward a
     *     quorum question to the controller they know, and a frozen one holds it for the
     *     forwarding channel's 30 s timeout, long after the others elected a new leader
     */
    public ClusterProbe(Admin admin, Admin controllers) {
        this.admin = admin;
        this.controllers = controllers;
    }

    /** A probe from client settings alone, for callers that keep Kafka's client API out of their code (the CLI). */
    public static ClusterProbe connect(Map<String, Object> brokerSettings, Map<String, Object> controllerSettings) {
        Admin brokers = Admin.create(brokerSettings);
        try {
            return new ClusterProbe(brokers, Admin.create(controllerSettings));
        } catch (RuntimeException e) {
            brokers.close(Duration.ZERO);
            throw e;
        }
    }

    public int activeController() {
        return get(controllers.describeMetadataQuorum().quorumInfo()).leaderId();
    }

    /** The unfenced brokers: those that heartbeat to the active controller in time. */
    public Set<Integer> liveBrokers() {
        return get(admin.describeCluster().nodes()).stream().map(Node::id).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The leader's node id, -1 when the partition has none. */
    public int leaderOf(TopicPartition partition) {
        TopicDescription topic = get(admin.describeTopics(Set.of(partition.topic())).allTopicNames()).get(partition.topic());
        Node leader = topic.partitions().get(partition.partition()).leader();
        return leader == null ? -1 : leader.id();
    }

    public int transactionCoordinatorOf(String transactionalId) {
        return get(admin.describeTransactions(Set.of(transactionalId)).description(transactionalId)).coordinatorId();
    }

    /**
     * The partitions of the transaction its coordinator holds open now (state Ongoing), other
     * than the consumer offsets: empty when none is open or it has written nothing yet.
     */
    public Set<TopicPartition> openTransactionPartitions(String transactionalId) {
        TransactionDescription d = get(admin.describeTransactions(Set.of(transactionalId)).description(transactionalId));
        if (d.state() != TransactionState.ONGOING) {
            return Set.of();
        }
        return d.topicPartitions().stream().filter(tp -> !tp.topic().startsWith("__"))
                .collect(Collectors.toCollection(() -> new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString))));
    }

    public int groupCoordinatorOf(String groupId) {
        return get(admin.describeConsumerGroups(Set.of(groupId)).describedGroups().get(groupId)).coordinator().id();
    }

    /** Every partition of every topic, internal ones included. */
    public Map<TopicPartition, TopicPartitionInfo> partitions() {
        Set<String> names = get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names());
        Map<TopicPartition, TopicPartitionInfo> out = new TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        for (TopicDescription t : get(admin.describeTopics(names).allTopicNames()).values()) {
            for (TopicPartitionInfo p : t.partitions()) {
                out.put(new TopicPartition(t.name(), p.partition()), p);
            }
        }
        return out;
    }

    /** Partitions with fewer in-sync replicas than replicas (or no leader), and their ISR. */
    public Map<TopicPartition, String> underReplicatedPartitions() {
        Map<TopicPartition, String> out = new TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        partitions().forEach((tp, p) -> {
            if (p.leader() == null || p.isr().size() < p.replicas().size()) {
                out.put(tp, "isr " + ids(p.isr()) + " of " + ids(p.replicas()));
            }
        });
        return out;
    }

    /**
     * Polls {@code condition} until it holds; admin calls failing meanwhile (a node down, an
     * election under way) count as "not yet".
     *
     * @throws IllegalStateException after {@code timeout}, with {@code state} and the last failure
     */
    public static void await(String what, Duration timeout, Callable<Boolean> condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            sleep(200);
        }
        String seen;
        try {
            seen = state.get();
        } catch (RuntimeException e) {
            seen = "unknown (" + e + ")";
        }
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what + "; state: " + seen
                + (last == null ? "" : "; last error: " + last), last);
    }

    private static String ids(java.util.List<Node> nodes) {
        return nodes.stream().map(n -> String.valueOf(n.id())).collect(Collectors.joining(",", "[", "]"));
    }

    private static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(CALL_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer from the cluster in " + CALL_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        controllers.close(Duration.ofSeconds(5));
    }
}
