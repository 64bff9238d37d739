package dev.xssab.config;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The settings every process shares: Kafka clients and topics, metrics and logs, the schema
 * registry client. Each module declares its own beside them (GatewaySettings, ExplainerLoopSettings,
 * ...); the CLI gathers all in one {@link SettingsCatalog}, which {@code xssab config --doc}
 * prints as a table (docs/operations.md's configuration section is checked against it by a test).
 *
 * <p>Kafka client settings are not declared here one by one: any key under {@link #KAFKA_PREFIX}
 * in a settings file, or any key in {@link #CLIENT_CONFIG_FILE}, reaches every producer,
 * consumer, admin and Streams client unchanged (the kafka module's KafkaClients).
 */
public final class CommonSettings {
    /** Keys under this prefix in a settings file go, without it, to every Kafka client. */
    public static final String KAFKA_PREFIX = "kafka.";

    // Kafka clients and topics
    public static final Setting BOOTSTRAP_SERVERS = new Setting("bootstrap.servers", "--bootstrap",
            Type.STRING, "127.0.0.1:9092", Setting.NON_EMPTY, "Kafka bootstrap servers, host:port[,host:port...].");
    public static final Setting CLIENT_CONFIG_FILE = new Setting("client.config.file", "--client-config",
            Type.STRING, null, null, "A Kafka client properties file (as kafka-console-producer's --producer.config);"
                    + " every key in it reaches every Kafka client unchanged (security.protocol, sasl.*, ssl.*, ...).");
    public static final Setting TOPICS_CREATE = new Setting("topics.create", "--create-topics",
            Type.BOOLEAN, true, null, "Create missing application topics at start. Turn off on a cluster where an"
                    + " operator creates them (the services then need no CREATE permission).");
    public static final Setting TOPICS_PARTITIONS = new Setting("topics.partitions", "--partitions",
            Type.INT, 4, atLeast(1), "Partitions of each keyed topic created at start (the unit of parallelism).");
    public static final Setting TOPICS_REPLICATION = new Setting("topics.replication.factor", "--replication-factor",
            Type.SHORT, (short) 1, atLeast(1), "Replication factor of the application topics created at"
                    + " start; at most the cluster's live brokers (checked at start). 3 on a cluster of three.");
    public static final Setting TOPICS_MIN_INSYNC_REPLICAS = new Setting("topics.min.insync.replicas", "--min-insync-replicas",
            Type.INT, 1, atLeast(1), "min.insync.replicas of every topic created at start, the Streams"
                    + " services' internal topics included: replicas that hold a write before it is acknowledged. 2 on a"
                    + " cluster of three, so that one broker may be lost without losing an acknowledged write.");
    public static final Setting TOPICS_RETENTION_MS = new Setting("topics.retention.ms", "--retention-ms",
            Type.LONG, 86_400_000L, atLeast(60_000), "retention.ms of every topic that carries face bytes: the requests"
                    + " topic and each client's own, aligned pairs, explanations and rejections (results carry none). Set when"
                    + " they are created, and up sets it on existing ones; their segment.ms is the lesser of this and 1 h, so"
                    + " that a face outlives it by at most that (Kafka deletes whole segments). 24 h by default.");
    public static final Setting STREAMS_REPLICATION = new Setting("streams.replication.factor", "--streams-replication-factor",
            Type.SHORT, (short) 1, atLeast(1), "Replication factor of the gateway's and the aggregates'"
                    + " changelog and repartition topics (their dedup store and counts). 3 on a cluster of three.");

    // Observability
    public static final Setting METRICS_HOST = new Setting("metrics.host", "--metrics-host", Type.STRING,
            "127.0.0.1", Setting.NON_EMPTY, "Address of every service's /metrics and /health endpoint (0.0.0.0 in a container).");
    public static final Setting LOG_FORMAT = new Setting("log.format", "--log-format", Type.STRING,
            "text", ConfigDef.ValidString.in("text", "json"), "Log lines as text, or as one JSON object per line with"
                    + " requestId and service (MDC) on every line about a request.");

    // Schema registry client: Confluent's keys, so a Confluent client configuration works as it is.
    public static final Setting REGISTRY_URL = new Setting("schema.registry.url", "--registry", Type.STRING, "http://127.0.0.1:8081", Setting.NON_EMPTY,
            "Schema registry URL (Confluent's or this project's); http or https.");
    public static final Setting REGISTRY_AUTH_SOURCE = new Setting("basic.auth.credentials.source",
            "--registry-auth-source", Type.STRING, "USER_INFO",
            ConfigDef.ValidString.in("USER_INFO", "URL"),
            "Where the registry credentials come from: USER_INFO (basic.auth.user.info) or URL (user:password@host).");
    public static final Setting REGISTRY_USER_INFO = new Setting("basic.auth.user.info", "--registry-user-info", Type.PASSWORD, null, null,
            "user:password for HTTP basic authentication at the registry; none when empty.");
    public static final Setting REGISTRY_TRUSTSTORE = new Setting("schema.registry.ssl.truststore.location",
            "--registry-truststore", Type.STRING, null, null,
            "Truststore (PKCS12 or JKS) for an https registry; the JVM's default trust when empty.");
    public static final Setting REGISTRY_TRUSTSTORE_PASSWORD = new Setting("schema.registry.ssl.truststore.password",
            "--registry-truststore-password", Type.PASSWORD, null, null,
            "Password of the registry truststore.");
    public static final Setting REGISTRY_TRUSTSTORE_TYPE = new Setting("schema.registry.ssl.truststore.type",
            "--registry-truststore-type", Type.STRING, "PKCS12",
            ConfigDef.ValidString.in("PKCS12", "JKS"), "Type of the registry truststore.");

    public static final SettingGroup KAFKA = new SettingGroup("Kafka clients and topics (every service and client)",
            List.of(BOOTSTRAP_SERVERS, CLIENT_CONFIG_FILE, TOPICS_CREATE, TOPICS_PARTITIONS, TOPICS_REPLICATION,
                    TOPICS_MIN_INSYNC_REPLICAS, TOPICS_RETENTION_MS, STREAMS_REPLICATION));
    public static final SettingGroup OBSERVABILITY = new SettingGroup("Metrics, health and logs (every service)",
            List.of(METRICS_HOST, LOG_FORMAT));
    public static final SettingGroup SCHEMA_REGISTRY_CLIENT = new SettingGroup("Schema registry client (Confluent's own keys)",
            List.of(REGISTRY_URL, REGISTRY_AUTH_SOURCE, REGISTRY_USER_INFO, REGISTRY_TRUSTSTORE, REGISTRY_TRUSTSTORE_PASSWORD,
                    REGISTRY_TRUSTSTORE_TYPE));
    /** The three groups every service uses, in that order. */
    public static final List<SettingGroup> EVERY_SERVICE = List.of(KAFKA, OBSERVABILITY, SCHEMA_REGISTRY_CLIENT);

    private CommonSettings() {}
}
