package dev.xssab.chaos.cluster;

import dev.xssab.broker.KafkaClusterLayout;
import dev.xssab.broker.SecureNode;
import dev.xssab.chaos.process.ManagedProcess;
import dev.xssab.kafka.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * A real N-node KRaft cluster ({@link KafkaClusterLayout}: static voters, node ids 1..N, every node
 * broker and controller) with every node a {@code java} process of its own on 127.0.0.1, free ports
 * and a temporary folder: what a test needs to kill, freeze, restart nodes and see what the cluster
 * makes of it. Each node logs to {@code node-<id>/node.log} in {@link #dir()}.
 *
 * <p>Frozen (SIGSTOP) nodes always get their SIGCONT: in {@link #close()} before anything else, and
 * in a shutdown hook if the test JVM ends without closing the cluster.
 */
public final class ProcessKafkaCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final KafkaClusterLayout layout;
    private final SecureNode security;
    private final Thread shutdownHook = new Thread(this::emergencyStop, "xssab-cluster-shutdown");
    private ClusterNodes nodes;
    private ClusterProbe probe;

    private ProcessKafkaCluster(Path dir, KafkaClusterLayout layout, SecureNode security) {
        this.dir = dir;
        this.layout = layout;
        this.security = security;
    }

    /** Starts {@code size} plain (PLAINTEXT) nodes and returns once all are live brokers with a controller elected. */
    public static ProcessKafkaCluster start(int size) {
        return start(size, null);
    }

    /**
     * The same, secured as the tests' in-JVM secure broker is: SASL_SSL with SCRAM-SHA-512,
     * ACLs, one key shared by every node. {@code users} get passwords; {@link #clients()} is the admin.
     */
    public static ProcessKafkaCluster startSecure(int size, List<String> users) {
        try {
            return start(size, SecureNode.createOrOpen(Files.createTempDirectory("xssab-cluster-security-"), users));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProcessKafkaCluster start(int size, SecureNode security) {
        ProcessKafkaCluster cluster;
        try {
            List<Integer> ports = dev.xssab.broker.LoopbackPorts.unused(2 * size);
            KafkaClusterLayout layout = KafkaClusterLayout.of(ports.subList(0, size), ports.subList(size, 2 * size));
            cluster = new ProcessKafkaCluster(Files.createTempDirectory("xssab-cluster-"), layout, security);
            cluster.nodes = ClusterNodes.format(cluster.dir, layout, security, Uuid.randomUuid().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.probe = cluster.newProbe();
            cluster.nodes.all().forEach(ManagedProcess::start);
            cluster.awaitReady(START_TIMEOUT);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Short timeouts and metadata refreshes: a frozen node must not hold up what the others can answer. */
    private ClusterProbe newProbe() {
        Map<String, Object> quick = Map.of("request.timeout.ms", 3000, "default.api.timeout.ms", 15000, "metadata.max.age.ms", 1000);
        Map<String, Object> controllers = new java.util.HashMap<>(quick);
        controllers.putAll(security == null ? Map.of() : security.controllerClientSettings());
        controllers.put("bootstrap.controllers", layout.bootstrapControllers());
        return new ClusterProbe(Admin.create(clients().properties(quick)), Admin.create(controllers));
    }

    /** Waits until every running node is a live broker and the quorum has a leader. */
    private void awaitReady(Duration timeout) {
        List<Integer> running = layout.nodeIds().stream().filter(id -> nodes.node(id).alive()).toList();
        ClusterProbe.await("brokers " + running + " live and a controller elected", timeout,
                () -> probe.liveBrokers().containsAll(running) && probe.activeController() >= 0,
                () -> "live brokers " + probe.liveBrokers() + ", controller " + probe.activeController() + ", exited "
                        + layout.nodeIds().stream().filter(id -> !nodes.node(id).alive()).toList());
    }

    public KafkaClusterLayout layout() {
        return layout;
    }

    /** The folder with each node's settings, data and log. */
    public Path dir() {
        return dir;
    }

    public Path logFile(int nodeId) {
        return node(nodeId).log();
    }

    /** Every node's client address: clients bootstrap through whichever is up. */
    public String bootstrapServers() {
        return layout.bootstrapServers();
    }

    /** Clients of this cluster; of a secured one, as the admin (the super user). */
    public KafkaClients clients() {
        return security == null ? KafkaClients.plaintext(bootstrapServers()) : clientsFor(SecureNode.ADMIN);
    }

    /** Clients that authenticate as {@code user} (a secured cluster only). */
    public KafkaClients clientsFor(String user) {
        if (security == null) {
            throw new IllegalStateException("a plain cluster has no users");
        }
        return new KafkaClients(bootstrapServers(), security.clientSettings(user));
    }

    /** The secured cluster's certificates and passwords (null for a plain one). */
    public SecureNode security() {
        return security;
    }

    public long pid(int nodeId) {
        return node(nodeId).pid();
    }

    /** SIGKILL; returns once the process is gone. Its data stays for {@link #restart}. */
    public void kill9(int nodeId) {
        node(nodeId).kill9();
    }

    /** SIGTERM (controlled shutdown), SIGKILL if it takes longer than 30 s. */
    public void stop(int nodeId) {
        node(nodeId).stop(Duration.ofSeconds(30));
    }

    /** SIGSTOP: the node freezes with its sockets open. Always {@link #resume} it (close() does too). */
    public void pause(int nodeId) {
        node(nodeId).pause();
    }

    /** SIGCONT. */
    public void resume(int nodeId) {
        node(nodeId).resume();
    }

    /** Starts a killed or stopped node again on its data and waits until it is a live broker again. */
    public void restart(int nodeId) {
        node(nodeId).start();
        awaitReady(START_TIMEOUT);
    }

    /** The node id of the quorum leader, the active controller. */
    public int activeController() {
        return probe.activeController();
    }

    /** The node ids of the unfenced brokers. */
    public java.util.Set<Integer> liveBrokers() {
        return probe.liveBrokers();
    }

    /** The leader of {@code partition}, -1 when it has none (offline). */
    public int leaderOf(TopicPartition partition) {
        return probe.leaderOf(partition);
    }

    /** The coordinator of an ongoing or finished transaction (its producer has called initTransactions). */
    public int transactionCoordinatorOf(String transactionalId) {
        return probe.transactionCoordinatorOf(transactionalId);
    }

    /** The data partitions of the transaction open now under {@code transactionalId}; empty if none is. */
    public java.util.Set<TopicPartition> openTransactionPartitions(String transactionalId) {
        return probe.openTransactionPartitions(transactionalId);
    }

    /** The coordinator of a consumer group that exists. */
    public int groupCoordinatorOf(String groupId) {
        return probe.groupCoordinatorOf(groupId);
    }

    /** Every partition (internal ones included) with fewer in-sync replicas than replicas or no leader, with its ISR. */
    public Map<TopicPartition, String> underReplicatedPartitions() {
        return probe.underReplicatedPartitions();
    }

    /** Waits until every partition's ISR is all its replicas. */
    public void awaitFullIsr(Duration timeout) {
        ClusterProbe.await("every partition's ISR to be all its replicas", timeout,
                () -> probe.underReplicatedPartitions().isEmpty(), () -> "under-replicated " + probe.underReplicatedPartitions());
    }

    /** Resident set size of the node's process in kB (/proc/<pid>/status VmRSS). */
    public long rssKb(int nodeId) {
        return node(nodeId).rssKb();
    }

    private ManagedProcess node(int nodeId) {
        return nodes.node(nodeId);
    }

    /** Resumes every node first (a frozen one would ignore SIGTERM), stops them all and deletes the folder. */
    @Override
    public void close() {
        try {
            if (probe != null) {
                probe.close();
            }
            if (nodes != null) {
                nodes.stopAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            emergencyStop();
            removeShutdownHook();
            if (nodes != null) {
                nodes.deleteDir();
            }
        }
    }

    private void emergencyStop() {
        if (nodes != null) {
            nodes.emergencyStop();
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway, and finds nothing left to stop
        }
    }
}
