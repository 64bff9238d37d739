package dev.xssab.cli;

import dev.xssab.broker.SecureNode;
import dev.xssab.broker.SingleNodeKafka;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.Settings;
import dev.xssab.models.XssabHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code xssab broker}: a single-node KRaft Kafka 4.4 (broker and controller) on 127.0.0.1 with
 * its data under XSSAB_HOME/kafka. Formats the storage on first start, keeps data across restarts.
 */
@Command(name = "broker", description = "Run a single-node Kafka broker (KRaft, 127.0.0.1) in the foreground.")
final class BrokerCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public Set<Setting.Group> settingGroups() {
        return EnumSet.of(Setting.Group.BROKER);
    }

    @Override
    public Integer call() throws Exception {
        ServiceConfig c = service.config();
        int port = c.integer(Settings.BROKER_PORT);
        int controllerPort = c.integer(Settings.BROKER_CONTROLLER_PORT);
        String dataDir = c.optional(Settings.BROKER_DATA_DIR);
        String securityDir = c.optional(Settings.BROKER_SECURITY_DIR);
        SecureNode security = securityDir == null ? null : SecureNode.open(Path.of(securityDir));
        // A secured node keeps its own data: its storage is formatted with the admin's SCRAM credential.
        Path dir = dataDir != null ? Path.of(dataDir) : XssabHome.dir().resolve(security == null ? "kafka" : "kafka-secure");
        Files.createDirectories(dir);
        Path config = dir.resolve("server.properties");
        SingleNodeKafka.write(security == null ? SingleNodeKafka.config(dir.resolve("data"), c.string(Settings.BROKER_LISTEN_HOST),
                c.string(Settings.BROKER_ADVERTISED_HOST), port, controllerPort)
                : security.nodeConfig(dir.resolve("data"), port, controllerPort), config, "written by ./xssab broker");
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            try {
                SingleNodeKafka.formatStorage(config, security == null ? java.util.List.of() : security.formatArguments());
            } catch (IllegalStateException e) {
                throw new UserException("in " + dir + ": " + e.getMessage());
            }
            System.err.println("formatted Kafka storage in " + dir.resolve("data"));
        }
        System.err.println("Kafka broker on 127.0.0.1:" + port + (security == null ? " (PLAINTEXT)" : " (SASL_SSL, ACLs)")
                + ", data in " + dir.resolve("data"));
        kafka.Kafka.main(new String[] {config.toString()});
        return 0;
    }
}
