package dev.xssab.cli.service;

import dev.xssab.broker.BrokerSettings;
import dev.xssab.broker.KafkaClusterLayout;
import dev.xssab.cli.UserException;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.Replication;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The local stack's Kafka: one node (the default), or N nodes as separate processes on
 * 127.0.0.1 ({@code up --brokers N}), each combined broker and controller with static voters, on
 * the ports {@link KafkaClusterLayout#fromBasePorts} derives from the declared base ports. The
 * size is remembered in XSSAB_HOME/run/stack.properties, so that demo, status and down find the
 * cluster that up started.
 */
public record LocalCluster(int size, boolean secure) {
    static final int MAX_SIZE = 5;

    public LocalCluster {
        if (size < 1 || size > MAX_SIZE) {
            throw new UserException("--brokers takes 1 to " + MAX_SIZE + " (a local cluster on one machine): " + size);
        }
    }

    KafkaClusterLayout layout() {
        BrokerSettings ports = new BrokerSettings(Stack.settings());
        return KafkaClusterLayout.fromBasePorts(size, ports.basePort(), ports.baseControllerPort());
    }

    public String bootstrap() {
        return layout().bootstrapServers();
    }

    /** The pid-file names of the nodes: {@code broker} alone, or broker-1 ... broker-N. */
    List<String> processNames() {
        if (size == 1) {
            return List.of("broker");
        }
        List<String> names = new ArrayList<>();
        for (int id : layout().nodeIds()) {
            names.add("broker-" + id);
        }
        return names;
    }

    /** The node id of a process name. */
    static int nodeId(String processName) {
        return processName.equals("broker") ? 1 : Integer.parseInt(processName.substring("broker-".length()));
    }

    /** The arguments of {@code xssab broker} for one node. */
    List<String> brokerArgs(String processName) {
        if (size == 1) {
            return List.of("broker");
        }
        return List.of("broker", "--cluster-size", String.valueOf(size), "--node-id", String.valueOf(nodeId(processName)));
    }

    /**
     * How the stack's topics are replicated on this cluster: everything three times with two in
     * sync from three nodes on, so that one node may be lost without losing a write.
     */
    Replication replication() {
        short factor = (short) Math.min(size, 3);
        return new Replication(factor, size >= 3 ? 2 : 1, factor);
    }

    /** The same, as the services' environment defaults (a user's own XSSAB_* still wins). */
    Map<String, String> replicationEnvironment() {
        Replication r = replication();
        return Map.of(CommonSettings.TOPICS_REPLICATION.env(), String.valueOf(r.topicFactor()), CommonSettings.TOPICS_MIN_INSYNC_REPLICAS.env(),
                String.valueOf(r.minInsyncReplicas()), CommonSettings.STREAMS_REPLICATION.env(), String.valueOf(r.streamsFactor()));
    }

    void remember(Path runDir) throws IOException {
        Properties p = new Properties();
        p.setProperty("brokers", String.valueOf(size));
        p.setProperty("secure", String.valueOf(secure));
        try (Writer out = Files.newBufferedWriter(runDir.resolve("stack.properties"))) {
            p.store(out, "written by ./xssab up: the running stack's cluster");
        }
    }

    /** The cluster that up started, or the single plain node when nothing was remembered. */
    public static LocalCluster remembered(Path runDir) throws IOException {
        Path file = runDir.resolve("stack.properties");
        if (!Files.exists(file)) {
            return new LocalCluster(1, false);
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return new LocalCluster(Integer.parseInt(p.getProperty("brokers", "1")), Boolean.parseBoolean(p.getProperty("secure")));
    }
}
