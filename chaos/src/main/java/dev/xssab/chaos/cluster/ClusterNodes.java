package dev.xssab.chaos.cluster;

import dev.xssab.broker.KafkaClusterLayout;
import dev.xssab.broker.NodeMain;
import dev.xssab.broker.SecureNode;
import dev.xssab.broker.SingleNodeKafka;
import dev.xssab.chaos.process.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The cluster's node processes and their folder: each node's settings and formatted storage in
 * {@code node-<id>/}, one {@code java} process per node, stopped all at once and cleaned up.
 */
final class ClusterNodes {
    /** Kafka's own start script's heap is 1 GB; half of it is plenty for the harness's topics. */
    private static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true", "-D" + NodeMain.EXIT_WITH_PARENT + "=true");

    private final Path dir;
    private final KafkaClusterLayout layout;
    private final Map<Integer, ManagedProcess> nodes = new LinkedHashMap<>();

    private ClusterNodes(Path dir, KafkaClusterLayout layout) {
        this.dir = dir;
        this.layout = layout;
    }

    /** Writes every node's settings (secured when {@code security} is given) and formats its storage; starts none. */
    static ClusterNodes format(Path dir, KafkaClusterLayout layout, SecureNode security, String clusterId) throws IOException {
        ClusterNodes cluster = new ClusterNodes(dir, layout);
        for (int id : layout.nodeIds()) {
            Path nodeDir = Files.createDirectories(dir.resolve("node-" + id));
            Path logs = nodeDir.resolve("logs");
            Properties p = security == null ? layout.nodeConfig(id, logs) : security.nodeConfig(layout, id, logs);
            Path config = nodeDir.resolve("server.properties");
            SingleNodeKafka.write(p, config, "xssab cluster node " + id);
            layout.formatStorage(config, clusterId, security == null ? List.of() : security.formatArguments());
            cluster.nodes.put(id, nodeProcess(id, config, nodeDir.resolve("node.log")));
        }
        return cluster;
    }

    /** One node in a java process of its own (this JVM's class path has the broker), so that it can be killed or frozen. */
    private static ManagedProcess nodeProcess(int id, Path config, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NodeMain.class.getName(), config.toString()));
        return new ManagedProcess("node " + id, command, Map.of(), log);
    }

    ManagedProcess node(int nodeId) {
        ManagedProcess node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("node ids are " + layout.nodeIds() + ": " + nodeId);
        }
        return node;
    }

    Collection<ManagedProcess> all() {
        return nodes.values();
    }

    /** Resumes every node first (a frozen one would ignore SIGTERM), then stops them all at once. */
    void stopAll() throws InterruptedException {
        nodes.values().forEach(ManagedProcess::resume);
        // All at once: nodes stopped one by one would each wait for a quorum that is leaving.
        List<Thread> stopping = new ArrayList<>();
        for (ManagedProcess node : nodes.values()) {
            Thread t = new Thread(() -> node.stop(Duration.ofSeconds(5)), "xssab-cluster-stop");
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            t.join();
        }
    }

    /** SIGCONT and SIGKILL to whatever is left: for close() and the JVM's shutdown hook. */
    void emergencyStop() {
        nodes.values().forEach(ManagedProcess::emergencyStop);
    }

    void deleteDir() {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }
}
