package dev.xssab.cli;

import dev.xssab.schemas.Topics;
import dev.xssab.registry.SchemaRegistryServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xssab registry}: the Confluent-compatible schema registry, in the foreground. */
@Command(name = "registry", description = "Run the Confluent-compatible schema registry (state in the _schemas topic).")
final class RegistryCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap = System.getenv().getOrDefault("XSSAB_BOOTSTRAP", "127.0.0.1:9092");

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}).")
    int port = 8081;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (SchemaRegistryServer server = SchemaRegistryServer.start(bootstrap, Topics.SCHEMAS, (short) 1, host, port)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            System.err.println("schema registry listening on " + server.url());
            stopped.await();
        }
        return 0;
    }
}
