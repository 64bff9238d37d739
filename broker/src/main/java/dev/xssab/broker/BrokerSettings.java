package dev.xssab.broker;

import static org.apache.kafka.common.config.ConfigDef.Range.between;

import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.SettingGroup;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The settings of {@code xssab broker}, declared once, and read through typed getters. */
public final class BrokerSettings {
    public static final Setting PORT = new Setting("broker.port", "--broker-port", Type.INT, 9092, Setting.PORT,
            "Client port of xssab broker, on 127.0.0.1 (of node 1 in a cluster: see broker.cluster.size).");
    public static final Setting CONTROLLER_PORT = new Setting("broker.controller.port", "--controller-port", Type.INT, 9093,
            Setting.PORT, "KRaft controller port of xssab broker, on 127.0.0.1 (of node 1 in a cluster).");
    public static final Setting CLUSTER_SIZE = new Setting("broker.cluster.size", "--cluster-size", Type.INT, 1, between(1, 9),
            "Nodes of the local KRaft cluster, each broker and controller (static voters 1..size;"
                    + " every node must be given the same size and base ports). 1: the single node as always. From 3 on, internal"
                    + " topics have 3 replicas and min.insync.replicas is 2. Node i listens on broker.port + 2(i-1) and"
                    + " broker.controller.port + 2(i-1): 9092/9093, 9094/9095, 9096/9097 by default, clear of 8081-8090 and"
                    + " 9401-9405.");
    public static final Setting NODE_ID = new Setting("broker.node.id", "--node-id", Type.INT, 1, between(1, 9),
            "Which node of the cluster this broker is, 1..broker.cluster.size.");
    public static final Setting LISTEN_HOST = new Setting("broker.listen.host", "--broker-listen-host", Type.STRING, "127.0.0.1",
            Setting.NON_EMPTY, "Address the broker binds (0.0.0.0 in a container).");
    public static final Setting ADVERTISED_HOST = new Setting("broker.advertised.host", "--broker-advertised-host", Type.STRING,
            "127.0.0.1", Setting.NON_EMPTY, "Host name clients are told to connect to.");
    public static final Setting DATA_DIR = new Setting("broker.data.dir", "--data-dir", Type.STRING, null, null,
            "Data folder of this node (default: XSSAB_HOME/kafka for a one-node cluster, XSSAB_HOME/kafka-nodeN for"
                    + " node N of a larger one; kafka-secure and kafka-secure-nodeN with broker.security.dir).");
    public static final Setting SECURITY_DIR = new Setting("broker.security.dir", "--security-dir", Type.STRING, null, null,
            "A folder made by 'xssab up --secure' (certificates, users): the broker then"
                    + " serves SASL_SSL with SCRAM-SHA-512 and ACLs instead of PLAINTEXT.");

    public static final SettingGroup GROUP = new SettingGroup("xssab broker", List.of(PORT, CONTROLLER_PORT, CLUSTER_SIZE, NODE_ID,
            LISTEN_HOST, ADVERTISED_HOST, DATA_DIR, SECURITY_DIR));

    private final ServiceConfig config;

    public BrokerSettings(ServiceConfig config) {
        this.config = config;
    }

    /** The ports of every node of the cluster, from the base ports and its size. */
    public KafkaClusterLayout layout() {
        try {
            return KafkaClusterLayout.fromBasePorts(config.integer(CLUSTER_SIZE), config.integer(PORT), config.integer(CONTROLLER_PORT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PORT.key() + " and " + CONTROLLER_PORT.key() + ": " + e.getMessage());
        }
    }

    /** The client port of node 1; node i's is this + 2(i-1). */
    public int basePort() {
        return config.integer(PORT);
    }

    /** The controller port of node 1; node i's is this + 2(i-1). */
    public int baseControllerPort() {
        return config.integer(CONTROLLER_PORT);
    }

    /** This node's id, checked against the cluster's size. */
    public int nodeId() {
        int size = config.integer(CLUSTER_SIZE);
        int nodeId = config.integer(NODE_ID);
        if (nodeId > size) {
            throw new ConfigException(NODE_ID.key() + " " + nodeId + " is not a node of a " + size + "-node cluster (1.." + size + ")");
        }
        return nodeId;
    }

    public String listenHost() {
        return config.string(LISTEN_HOST);
    }

    public String advertisedHost() {
        return config.string(ADVERTISED_HOST);
    }

    /** The configured data folder; empty for the default under XSSAB_HOME. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(config.optional(DATA_DIR)).map(Path::of);
    }

    /** The folder of certificates and users made by {@code xssab up --secure}; empty for PLAINTEXT. */
    public Optional<Path> securityDir() {
        return Optional.ofNullable(config.optional(SECURITY_DIR)).map(Path::of);
    }
}
