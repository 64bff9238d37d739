package dev.xssab.broker;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kafka.tools.StorageTool;

/**
 * A KRaft cluster of N nodes on one machine, each node broker and controller in one process, with
 * node ids 1..N: which ports node i listens on, its settings and how its storage is formatted.
 *
 * <p>One node is {@link SingleNodeKafka}: a dynamic quorum ({@code controller.quorum.bootstrap.servers},
 * formatted {@code --standalone}) and every replication factor 1, exactly as before clusters existed,
 * so that existing data stays usable. Two or more nodes form a static quorum
 * ({@code controller.quorum.voters}, every node formatted with the same cluster id and nothing else),
 * replicate every internal topic min(N, 3) times and require two in-sync replicas from three nodes on.
 */
public final class KafkaClusterLayout {
    /** How far apart xssab broker's nodes' ports are: room for a client and a controller port each. */
    public static final int PORT_STEP = 2;

    private final List<Integer> clientPorts;
    private final List<Integer> controllerPorts;

    private KafkaClusterLayout(List<Integer> clientPorts, List<Integer> controllerPorts) {
        if (clientPorts.isEmpty() || clientPorts.size() != controllerPorts.size()) {
            throw new IllegalArgumentException("one client and one controller port per node: " + clientPorts + ", " + controllerPorts);
        }
        Set<Integer> all = new HashSet<>(clientPorts);
        all.addAll(controllerPorts);
        if (all.size() != 2 * clientPorts.size()) {
            throw new IllegalArgumentException("ports collide: clients " + clientPorts + ", controllers " + controllerPorts);
        }
        this.clientPorts = List.copyOf(clientPorts);
        this.controllerPorts = List.copyOf(controllerPorts);
    }

    /** Node i (1-based) gets {@code clientPorts[i-1]} and {@code controllerPorts[i-1]} (free ports in tests). */
    public static KafkaClusterLayout of(List<Integer> clientPorts, List<Integer> controllerPorts) {
        return new KafkaClusterLayout(clientPorts, controllerPorts);
    }

    /**
     * xssab broker's scheme: node i's ports are the base ports plus {@link #PORT_STEP}*(i-1), so the
     * defaults 9092/9093 give node 1 9092/9093 (as a single node has always had), node 2 9094/9095
     * and node 3 9096/9097, clear of the services' 8081-8090 and 9401-9405.
     */
    public static KafkaClusterLayout fromBasePorts(int size, int clientPort, int controllerPort) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster has at least one node: " + size);
        }
        List<Integer> clients = IntStream.range(0, size).mapToObj(i -> clientPort + PORT_STEP * i).toList();
        List<Integer> controllers = IntStream.range(0, size).mapToObj(i -> controllerPort + PORT_STEP * i).toList();
        return new KafkaClusterLayout(clients, controllers);
    }

    public int size() {
        return clientPorts.size();
    }

    /** 1..N. */
    public List<Integer> nodeIds() {
        return IntStream.rangeClosed(1, size()).boxed().toList();
    }

    public int clientPort(int nodeId) {
        return clientPorts.get(index(nodeId));
    }

    public int controllerPort(int nodeId) {
        return controllerPorts.get(index(nodeId));
    }

    /** Every node's client address on 127.0.0.1, for clients that must survive any one node's loss. */
    public String bootstrapServers() {
        return nodeIds().stream().map(id -> "127.0.0.1:" + clientPort(id)).collect(Collectors.joining(","));
    }

    /** Every node's controller address, for an admin client's {@code bootstrap.controllers}. */
    public String bootstrapControllers() {
        return nodeIds().stream().map(id -> "127.0.0.1:" + controllerPort(id)).collect(Collectors.joining(","));
    }

    /** Of internal topics and (default.replication.factor) of new topics: min(N, 3). */
    public int replicationFactor() {
        return Math.min(size(), 3);
    }

    /** 2 from three nodes on: an acknowledged write is on two nodes, and one node may fail. 1 below. */
    public int minInsyncReplicas() {
        return size() >= 3 ? 2 : 1;
    }

    /** The settings of node {@code nodeId} listening on 127.0.0.1 only, its log segments in {@code logDir}. */
    public Properties nodeConfig(int nodeId, Path logDir) {
        return nodeConfig(nodeId, logDir, "127.0.0.1", "127.0.0.1");
    }

    /**
     * The same, listening on {@code listenHost} (0.0.0.0 in a container) and telling clients to
     * connect to {@code advertisedHost}; the controller stays on 127.0.0.1.
     */
    public Properties nodeConfig(int nodeId, Path logDir, String listenHost, String advertisedHost) {
        int port = clientPort(nodeId);
        int controllerPort = controllerPort(nodeId);
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(nodeId));
        p.put("listeners", "PLAINTEXT://" + listenHost + ":" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + advertisedHost + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        if (size() == 1) {
            p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        } else {
            p.put("controller.quorum.voters", voters());
        }
        p.put("log.dirs", logDir.toString());
        replication(p);
        // Fewer internal partitions than the default 50: a small cluster, faster start.
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created by the services with their settings (compaction, sizes), never by accident.
        p.put("auto.create.topics.enable", "false");
        // No broker-wide message.max.bytes: the record size is a per-topic contract (the topics that
        // carry images are created with max.message.bytes), so a cluster of default settings takes them too.
        if (size() > 1) {
            failureDetection(p);
        }
        return p;
    }

    /** {@code 1@127.0.0.1:c1,2@127.0.0.1:c2,...}: the static quorum every node is configured with. */
    public String voters() {
        return nodeIds().stream().map(id -> id + "@127.0.0.1:" + controllerPort(id)).collect(Collectors.joining(","));
    }

    private void replication(Properties p) {
        // Fewer replicas or in-sync replicas than nodes, or transactions and group commits hang.
        String factor = String.valueOf(replicationFactor());
        String minIsr = String.valueOf(minInsyncReplicas());
        p.put("offsets.topic.replication.factor", factor);
        p.put("transaction.state.log.replication.factor", factor);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("share.coordinator.state.topic.replication.factor", factor);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("min.insync.replicas", minIsr);
        p.put("default.replication.factor", factor);
    }

    /**
     * All nodes share one machine (two cores, with the services and the tests): a node that misses
     * a second of heartbeats is more often busy than dead, so the timeouts are not cut to the bone.
     * They are cut enough that a killed or stopped node is noticed within a few seconds, not the
     * defaults' 9 s (session) and 30 s (ISR), which a chaos test and a waiting producer feel.
     */
    private static void failureDetection(Properties p) {
        // Fenced, its partitions' leadership moved, after 6 s without a heartbeat (one a second).
        p.put("broker.heartbeat.interval.ms", "1000");
        p.put("broker.session.timeout.ms", "6000");
        // A follower that stopped fetching leaves the ISR after 10 s, so acks=all writes resume;
        // less would drop followers that are only slow while the machine is busy (ISR flapping).
        p.put("replica.lag.time.max.ms", "10000");
        // Controller failover: Kafka's own 2 s fetch timeout and 1 s election timeout are kept.
    }

    /**
     * Formats a node's storage with StorageTool. One node: {@code --standalone} (it is the only
     * voter of a dynamic quorum). More: the static voters come from the settings, so StorageTool
     * must get neither {@code --standalone} nor {@code --initial-controllers}; every node must be
     * formatted with the same {@code clusterId}.
     *
     * @param extra more arguments (a secured node's {@code --add-scram} credentials)
     * @throws IllegalStateException with StorageTool's output if it fails
     */
    public void formatStorage(Path configFile, String clusterId, List<String> extra) {
        format(configFile, clusterId, size() == 1, extra);
    }

    static void format(Path configFile, String clusterId, boolean standalone, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("format"));
        if (standalone) {
            args.add("--standalone");
        }
        args.addAll(List.of("-t", clusterId, "-c", configFile.toString()));
        args.addAll(extra);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int rc = StorageTool.execute(args.toArray(new String[0]), new PrintStream(log, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka storage failed: " + log.toString(StandardCharsets.UTF_8).trim());
        }
    }

    private int index(int nodeId) {
        if (nodeId < 1 || nodeId > size()) {
            throw new IllegalArgumentException("node ids are 1.." + size() + ": " + nodeId);
        }
        return nodeId - 1;
    }
}
