package dev.xssab.cli.service;

import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.broker.ClusterIdFile;
import dev.xssab.broker.KafkaClusterLayout;
import dev.xssab.broker.NodeMain;
import dev.xssab.broker.SecureNode;
import dev.xssab.broker.SingleNodeKafka;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.Settings;
import dev.xssab.models.XssabHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.common.Uuid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code xssab broker}: one KRaft Kafka 4.4 node (broker and controller) on 127.0.0.1, by default
 * the only node of its cluster with its data under XSSAB_HOME/kafka; with broker.cluster.size N,
 * node broker.node.id of an N-node cluster ({@link KafkaClusterLayout}). Formats the storage on
 * first start, keeps data across restarts.
 */
@Command(name = "broker", description = "Run a Kafka node (KRaft, 127.0.0.1) in the foreground: a single node, or one node of a"
        + " local cluster (--cluster-size, --node-id).")
public final class BrokerCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public Set<Setting.Group> settingGroups() {
        return EnumSet.of(Setting.Group.BROKER);
    }

    @Override
    public Integer call() throws Exception {
        ServiceConfig c = service.config();
        int size = c.integer(Settings.BROKER_CLUSTER_SIZE);
        int nodeId = c.integer(Settings.BROKER_NODE_ID);
        if (nodeId > size) {
            throw new UserException("broker.node.id " + nodeId + " is not a node of a " + size + "-node cluster (1.." + size + ")");
        }
        KafkaClusterLayout layout;
        try {
            layout = KafkaClusterLayout.fromBasePorts(size, c.integer(Settings.BROKER_PORT), c.integer(Settings.BROKER_CONTROLLER_PORT));
        } catch (IllegalArgumentException e) {
            throw new UserException("broker.port and broker.controller.port: " + e.getMessage());
        }
        String securityDir = c.optional(Settings.BROKER_SECURITY_DIR);
        SecureNode security = securityDir == null ? null : SecureNode.open(Path.of(securityDir));
        Path dir = dataDir(c.optional(Settings.BROKER_DATA_DIR), security != null, layout, nodeId);
        Files.createDirectories(dir);
        Path config = dir.resolve("server.properties");
        Path data = dir.resolve("data");
        Properties p = security == null ? layout.nodeConfig(nodeId, data, c.string(Settings.BROKER_LISTEN_HOST),
                c.string(Settings.BROKER_ADVERTISED_HOST)) : security.nodeConfig(layout, nodeId, data);
        SingleNodeKafka.write(p, config, "written by ./xssab broker");
        if (!Files.exists(data.resolve("meta.properties"))) {
            format(layout, config, security, dir);
            System.err.println("formatted Kafka storage in " + data);
        }
        System.err.println("Kafka " + (size == 1 ? "broker" : "node " + nodeId + " of " + size) + " on 127.0.0.1:"
                + layout.clientPort(nodeId) + (security == null ? " (PLAINTEXT)" : " (SASL_SSL, ACLs)") + ", data in " + data);
        NodeMain.run(config);
        return 0;
    }

    /**
     * A single node keeps the folder it always had; node N of a cluster gets kafka-nodeN. A
     * secured node keeps its own data: its storage is formatted with the admin's SCRAM credential.
     */
    private static Path dataDir(String configured, boolean secure, KafkaClusterLayout layout, int nodeId) {
        if (configured != null) {
            return Path.of(configured);
        }
        String base = secure ? "kafka-secure" : "kafka";
        return XssabHome.dir().resolve(layout.size() == 1 ? base : base + "-node" + nodeId);
    }

    /** A cluster's nodes share the id in XSSAB_HOME/kafka[-secure]-cluster.id; a single node gets a new one. */
    private static void format(KafkaClusterLayout layout, Path config, SecureNode security, Path dir) throws Exception {
        String clusterId = layout.size() == 1 ? Uuid.randomUuid().toString()
                : ClusterIdFile.readOrCreate(XssabHome.dir().resolve((security == null ? "kafka" : "kafka-secure") + "-cluster.id"));
        try {
            layout.formatStorage(config, clusterId, security == null ? List.of() : security.formatArguments());
        } catch (IllegalStateException e) {
            throw new UserException("in " + dir + ": " + e.getMessage());
        }
    }
}
