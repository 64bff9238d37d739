package dev.xssab.cli;

import dev.xssab.schemas.TopicAdmin;
import dev.xssab.schemas.Topics;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the services find Kafka and the schema registry. */
final class ServiceOptions {
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap = System.getenv().getOrDefault("XSSAB_BOOTSTRAP", "127.0.0.1:9092");

    @Option(names = "--registry", paramLabel = "URL", description = "Schema registry URL (default: ${DEFAULT-VALUE}).")
    String registry = System.getenv().getOrDefault("XSSAB_REGISTRY", "http://127.0.0.1:8081");

    @Option(names = "--partitions", description = "Partitions for topics created at start (default: ${DEFAULT-VALUE}).")
    int partitions = 4;

    /** The topic registry for these servers, with every application topic created if missing. */
    Topics topics() {
        Topics topics = Topics.create(serdeConfig());
        TopicAdmin.ensureTopics(bootstrap, topics, partitions, (short) 1);
        return topics;
    }

    Map<String, Object> serdeConfig() {
        return Map.of("schema.registry.url", registry, "auto.register.schemas", true, "specific.avro.reader", true);
    }
}
