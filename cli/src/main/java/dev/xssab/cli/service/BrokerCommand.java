package dev.xssab.cli.service;

import dev.xssab.broker.BrokerSettings;
import dev.xssab.broker.ClusterIdFile;
import dev.xssab.broker.KafkaClusterLayout;
import dev.xssab.broker.NodeMain;
import dev.xssab.broker.SecureNode;
import dev.xssab.broker.SingleNodeKafka;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.config.SettingGroup;
import dev.xssab.models.XssabHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
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
    public List<SettingGroup> settingGroups() {
        return List.of(BrokerSettings.GROUP);
    }

    @Override
    public Integer call() throws Exception {
        BrokerSettings settings = new BrokerSettings(service.config());
        int nodeId = settings.nodeId();
        KafkaClusterLayout layout = settings.layout();
        int size = layout.size();
        SecureNode security = settings.securityDir().isEmpty() ? null : SecureNode.open(settings.securityDir().get());
        Path dir = settings.dataDir().orElseGet(() -> defaultDataDir(security != null, layout, nodeId));
        Files.createDirectories(dir);
        Path config = dir.resolve("server.properties");
        Path data = dir.resolve("data");
        Properties p = security == null ? layout.nodeConfig(nodeId, data, settings.listenHost(), settings.advertisedHost())
                : security.nodeConfig(layout, nodeId, data);
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
    private static Path defaultDataDir(boolean secure, KafkaClusterLayout layout, int nodeId) {
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
