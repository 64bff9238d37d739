package dev.xssab.cli;

import dev.xssab.models.XssabHome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xssab broker}: a single-node KRaft Kafka 4.4 (broker and controller) on 127.0.0.1 with
 * its data under XSSAB_HOME/kafka. Formats the storage on first start, keeps data across restarts.
 */
@Command(name = "broker", description = "Run a single-node Kafka broker (KRaft, 127.0.0.1) in the foreground.")
final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--port", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port = 9092;

    @Option(names = "--controller-port", description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
    int controllerPort = 9093;

    @Option(names = "--data-dir", description = "Data folder (default: XSSAB_HOME/kafka).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : XssabHome.dir().resolve("kafka");
        Files.createDirectories(dir);
        Path config = dir.resolve("server.properties");
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("log.dirs", dir.resolve("data").toString());
        // A single node: every replication factor and min.isr is 1, or transactions hang.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", String.valueOf(dev.xssab.schemas.Topics.MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(dev.xssab.schemas.Topics.MAX_MESSAGE_BYTES));
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "written by ./xssab broker");
        }
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString()}, new PrintStream(log, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new UserException("formatting Kafka storage in " + dir + " failed: " + log.toString(StandardCharsets.UTF_8));
            }
            System.err.println("formatted Kafka storage in " + dir.resolve("data"));
        }
        System.err.println("Kafka broker on 127.0.0.1:" + port + ", data in " + dir.resolve("data"));
        kafka.Kafka.main(new String[] {config.toString()});
        return 0;
    }
}
