package dev.xssab.config;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import dev.xssab.config.Setting.Group;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every setting of every service, declared once. Services read them through
 * {@link ServiceConfig}; {@code xssab config --doc} prints this list as a table, and docs/operations.md's
 * configuration section is checked against that table by a test.
 *
 * <p>Kafka client settings are not declared here one by one: any key under {@link #KAFKA_PREFIX}
 * in a settings file, or any key in {@link #CLIENT_CONFIG_FILE}, reaches every producer,
 * consumer, admin and Streams client unchanged (the kafka module's KafkaClients).
 */
public final class Settings {
    /** Keys under this prefix in a settings file go, without it, to every Kafka client. */
    public static final String KAFKA_PREFIX = "kafka.";

    private static final ConfigDef.Validator NON_EMPTY = new ConfigDef.NonEmptyString();
    private static final ConfigDef.Validator PORT = between(0, 65535);

    // Kafka clients and topics
    public static final Setting BOOTSTRAP_SERVERS = new Setting("bootstrap.servers", "--bootstrap", Group.KAFKA,
            Type.STRING, "127.0.0.1:9092", NON_EMPTY, "Kafka bootstrap servers, host:port[,host:port...].");
    public static final Setting CLIENT_CONFIG_FILE = new Setting("client.config.file", "--client-config", Group.KAFKA,
            Type.STRING, null, null, "A Kafka client properties file (as kafka-console-producer's --producer.config);"
                    + " every key in it reaches every Kafka client unchanged (security.protocol, sasl.*, ssl.*, ...).");
    public static final Setting TOPICS_CREATE = new Setting("topics.create", "--create-topics", Group.KAFKA,
            Type.BOOLEAN, true, null, "Create missing application topics at start. Turn off on a cluster where an"
                    + " operator creates them (the services then need no CREATE permission).");
    public static final Setting TOPICS_PARTITIONS = new Setting("topics.partitions", "--partitions", Group.KAFKA,
            Type.INT, 4, atLeast(1), "Partitions of each keyed topic created at start (the unit of parallelism).");
    public static final Setting TOPICS_REPLICATION = new Setting("topics.replication.factor", "--replication-factor",
            Group.KAFKA, Type.SHORT, (short) 1, atLeast(1), "Replication factor of the application topics created at"
                    + " start; at most the cluster's live brokers (checked at start). 3 on a cluster of three.");
    public static final Setting TOPICS_MIN_INSYNC_REPLICAS = new Setting("topics.min.insync.replicas", "--min-insync-replicas",
            Group.KAFKA, Type.INT, 1, atLeast(1), "min.insync.replicas of every topic created at start, the Streams"
                    + " services' internal topics included: replicas that hold a write before it is acknowledged. 2 on a"
                    + " cluster of three, so that one broker may be lost without losing an acknowledged write.");
    public static final Setting STREAMS_REPLICATION = new Setting("streams.replication.factor", "--streams-replication-factor",
            Group.KAFKA, Type.SHORT, (short) 1, atLeast(1), "Replication factor of the gateway's and the aggregates'"
                    + " changelog and repartition topics (their dedup store and counts). 3 on a cluster of three.");

    // Observability
    public static final Setting METRICS_HOST = new Setting("metrics.host", "--metrics-host", Group.OBSERVABILITY, Type.STRING,
            "127.0.0.1", NON_EMPTY, "Address of every service's /metrics and /health endpoint (0.0.0.0 in a container).");
    public static final Setting LOG_FORMAT = new Setting("log.format", "--log-format", Group.OBSERVABILITY, Type.STRING,
            "text", ConfigDef.ValidString.in("text", "json"), "Log lines as text, or as one JSON object per line with"
                    + " requestId and service (MDC) on every line about a request.");

    // Schema registry client: Confluent's keys, so a Confluent client configuration works as it is.
    public static final Setting REGISTRY_URL = new Setting("schema.registry.url", "--registry",
            Group.SCHEMA_REGISTRY_CLIENT, Type.STRING, "http://127.0.0.1:8081", NON_EMPTY,
            "Schema registry URL (Confluent's or this project's); http or https.");
    public static final Setting REGISTRY_AUTH_SOURCE = new Setting("basic.auth.credentials.source",
            "--registry-auth-source", Group.SCHEMA_REGISTRY_CLIENT, Type.STRING, "USER_INFO",
            ConfigDef.ValidString.in("USER_INFO", "URL"),
            "Where the registry credentials come from: USER_INFO (basic.auth.user.info) or URL (user:password@host).");
    public static final Setting REGISTRY_USER_INFO = new Setting("basic.auth.user.info", "--registry-user-info",
            Group.SCHEMA_REGISTRY_CLIENT, Type.PASSWORD, null, null,
            "user:password for HTTP basic authentication at the registry; none when empty.");
    public static final Setting REGISTRY_TRUSTSTORE = new Setting("schema.registry.ssl.truststore.location",
            "--registry-truststore", Group.SCHEMA_REGISTRY_CLIENT, Type.STRING, null, null,
            "Truststore (PKCS12 or JKS) for an https registry; the JVM's default trust when empty.");
    public static final Setting REGISTRY_TRUSTSTORE_PASSWORD = new Setting("schema.registry.ssl.truststore.password",
            "--registry-truststore-password", Group.SCHEMA_REGISTRY_CLIENT, Type.PASSWORD, null, null,
            "Password of the registry truststore.");
    public static final Setting REGISTRY_TRUSTSTORE_TYPE = new Setting("schema.registry.ssl.truststore.type",
            "--registry-truststore-type", Group.SCHEMA_REGISTRY_CLIENT, Type.STRING, "PKCS12",
            ConfigDef.ValidString.in("PKCS12", "JKS"), "Type of the registry truststore.");

    // Broker (local single node)
    public static final Setting BROKER_PORT = new Setting("broker.port", "--broker-port", Group.BROKER, Type.INT, 9092,
            PORT, "Client port of xssab broker, on 127.0.0.1 (of node 1 in a cluster: see broker.cluster.size).");
    public static final Setting BROKER_CONTROLLER_PORT = new Setting("broker.controller.port", "--controller-port",
            Group.BROKER, Type.INT, 9093, PORT, "KRaft controller port of xssab broker, on 127.0.0.1 (of node 1 in a cluster).");
    public static final Setting BROKER_CLUSTER_SIZE = new Setting("broker.cluster.size", "--cluster-size", Group.BROKER,
            Type.INT, 1, between(1, 9), "Nodes of the local KRaft cluster, each broker and controller (static voters 1..size;"
                    + " every node must be given the same size and base ports). 1: the single node as always. From 3 on, internal"
                    + " topics have 3 replicas and min.insync.replicas is 2. Node i listens on broker.port + 2(i-1) and"
                    + " broker.controller.port + 2(i-1): 9092/9093, 9094/9095, 9096/9097 by default, clear of 8081-8090 and"
                    + " 9401-9405.");
    public static final Setting BROKER_NODE_ID = new Setting("broker.node.id", "--node-id", Group.BROKER, Type.INT, 1,
            between(1, 9), "Which node of the cluster this broker is, 1..broker.cluster.size.");
    public static final Setting BROKER_LISTEN_HOST = new Setting("broker.listen.host", "--broker-listen-host", Group.BROKER,
            Type.STRING, "127.0.0.1", NON_EMPTY, "Address the broker binds (0.0.0.0 in a container).");
    public static final Setting BROKER_ADVERTISED_HOST = new Setting("broker.advertised.host", "--broker-advertised-host",
            Group.BROKER, Type.STRING, "127.0.0.1", NON_EMPTY, "Host name clients are told to connect to.");
    public static final Setting BROKER_DATA_DIR = new Setting("broker.data.dir", "--data-dir", Group.BROKER, Type.STRING,
            null, null, "Data folder of this node (default: XSSAB_HOME/kafka for a one-node cluster, XSSAB_HOME/kafka-nodeN for"
                    + " node N of a larger one; kafka-secure and kafka-secure-nodeN with broker.security.dir).");
    public static final Setting BROKER_SECURITY_DIR = new Setting("broker.security.dir", "--security-dir", Group.BROKER,
            Type.STRING, null, null, "A folder made by 'xssab up --secure' (certificates, users): the broker then"
                    + " serves SASL_SSL with SCRAM-SHA-512 and ACLs instead of PLAINTEXT.");

    // Registry server
    public static final Setting REGISTRY_HOST = new Setting("registry.host", "--registry-host", Group.REGISTRY,
            Type.STRING, "127.0.0.1", NON_EMPTY, "Address the registry binds.");
    public static final Setting REGISTRY_PORT = new Setting("registry.port", "--registry-port", Group.REGISTRY,
            Type.INT, 8081, PORT, "Port of the registry.");
    public static final Setting REGISTRY_METRICS_PORT = new Setting("registry.metrics.port", "--registry-metrics-port",
            Group.REGISTRY, Type.INT, 9405, PORT, "Port of the registry's /metrics and /health.");
    public static final Setting REGISTRY_KEYSTORE = new Setting("registry.ssl.keystore.location",
            "--registry-keystore", Group.REGISTRY, Type.STRING, null, null,
            "PKCS12 keystore with the registry's certificate: serves https when set, http otherwise.");
    public static final Setting REGISTRY_KEYSTORE_PASSWORD = new Setting("registry.ssl.keystore.password",
            "--registry-keystore-password", Group.REGISTRY, Type.PASSWORD, null, null, "Password of that keystore.");
    public static final Setting REGISTRY_USERS_FILE = new Setting("registry.users.file", "--registry-users",
            Group.REGISTRY, Type.STRING, null, null, "HTTP basic authentication: a file of lines"
                    + " user:sha256-hex-of-password:read|write. Every request must then authenticate; read may GET and"
                    + " look up schemas, write may also register them and change compatibility.");

    // Gateway
    public static final Setting GATEWAY_THREADS = new Setting("gateway.threads", "--threads", Group.GATEWAY, Type.INT, 0,
            atLeast(0), "Stream threads of the gateway; 0: one per core.");
    public static final Setting GATEWAY_DEDUP_WINDOW_MS = new Setting("gateway.dedup.window.ms", "--dedup-window-ms",
            Group.GATEWAY, Type.LONG, 600_000L, atLeast(1), "A requestId seen again within this window is rejected"
                    + " as DUPLICATE_REQUEST.");
    public static final Setting GATEWAY_MAX_IMAGE_BYTES = new Setting("gateway.max.image.bytes", "--max-image-bytes",
            Group.GATEWAY, Type.LONG, 10L * 1024 * 1024, atLeast(1), "Largest accepted encoded image, in bytes.");
    public static final Setting GATEWAY_MAX_PIXELS = new Setting("gateway.max.pixels", "--max-pixels", Group.GATEWAY,
            Type.LONG, 40_000_000L, atLeast(1), "Largest accepted image in pixels, read from the header before"
                    + " decoding.");
    public static final Setting GATEWAY_METRICS_PORT = new Setting("gateway.metrics.port", "--gateway-metrics-port",
            Group.GATEWAY, Type.INT, 9401, PORT, "Port of the gateway's /metrics and /health.");
    public static final Setting GATEWAY_EVALUATION_PRINCIPALS = new Setting("gateway.evaluation.principals",
            "--evaluation-principals", Group.GATEWAY, Type.LIST, "*", null, "Principals whose requests (on their own"
                    + " request topic) may carry their own evaluation threshold; others are refused as THRESHOLD_NOT_ALLOWED."
                    + " * allows every request: only for an unsecured local stack. A secured stack lists its evaluator.");
    public static final Setting GATEWAY_MODEL_SPECS = new Setting("gateway.model.specs", "--gateway-model-specs", Group.GATEWAY,
            Type.LIST, "", null, "Spec JSON files of your own models (docs/architecture.md: Bring your own model) whose faces this gateway"
                    + " prepares, besides the built-in models; their ids are then accepted in requests.");
    public static final Setting GATEWAY_APPLICATION_ID = new Setting("gateway.application.id", "--gateway-app-id",
            Group.GATEWAY, Type.STRING, "xssab-gateway", NON_EMPTY,
            "Kafka Streams application.id of the gateway (its group and the prefix of its internal topics).");

    // Explainer
    public static final Setting EXPLAINER_INSTANCE = new Setting("explainer.instance", "--instance", Group.EXPLAINER,
            Type.INT, 0, atLeast(0), "Instance number, unique among running explainers: the static group member and"
                    + " transactional id.");
    public static final Setting EXPLAINER_BATCH = new Setting("explainer.batch", "--batch", Group.EXPLAINER, Type.INT, 8,
            between(1, 256), "Largest batch per model call.");
    public static final Setting EXPLAINER_MODELS = new Setting("explainer.models", "--explainer-models", Group.EXPLAINER, Type.LIST,
            "fr_feature", null, "Models this explainer serves: built-in ids or spec JSON files of your own (also list those in"
                    + " gateway.model.specs), the default (for requests naming none) first; a request for another is rejected as"
                    + " UNKNOWN_MODEL. Each is loaded once. The local stack (./xssab up) serves"
                    + " fr_feature,mobileface,faceapi_resnet so that evaluations can compare them.");
    public static final Setting EXPLAINER_MAX_WAIT_MS = new Setting("explainer.max.wait.ms", "--max-wait-ms",
            Group.EXPLAINER, Type.LONG, 20L, atLeast(0), "Longest wait to fill a batch, in milliseconds.");
    public static final Setting EXPLAINER_METRICS_PORT = new Setting("explainer.metrics.port", "--explainer-metrics-port",
            Group.EXPLAINER, Type.INT, 9402, PORT, "Port of the explainer's /metrics and /health (one per instance on one host).");
    public static final Setting EXPLAINER_GROUP_ID = new Setting("explainer.group.id", "--explainer-group",
            Group.EXPLAINER, Type.STRING, "xssab-explainer", NON_EMPTY,
            "Consumer group of the explainers; also the prefix of their transactional ids.");

    // Audit
    public static final Setting AUDIT_JDBC_URL = new Setting("audit.jdbc.url", "--jdbc-url", Group.AUDIT, Type.STRING, null,
            null, "JDBC URL of the audit store (jdbc:postgresql://...); embedded H2 in XSSAB_HOME/audit when empty.");
    public static final Setting AUDIT_JDBC_USER = new Setting("audit.jdbc.user", "--jdbc-user", Group.AUDIT, Type.STRING,
            "sa", null, "Database user.");
    public static final Setting AUDIT_JDBC_PASSWORD = new Setting("audit.jdbc.password", "--jdbc-password", Group.AUDIT,
            Type.PASSWORD, "", null, "Database password.");
    public static final Setting AUDIT_METRICS_PORT = new Setting("audit.metrics.port", "--audit-metrics-port", Group.AUDIT,
            Type.INT, 9403, PORT, "Port of the audit sink's /metrics and /health.");
    public static final Setting AUDIT_GROUP_ID = new Setting("audit.group.id", "--audit-group", Group.AUDIT,
            Type.STRING, "xssab-audit", NON_EMPTY, "Consumer group of the audit sink.");

    // Aggregates
    public static final Setting AGGREGATES_HTTP_HOST = new Setting("aggregates.http.host", "--http-host",
            Group.AGGREGATES, Type.STRING, "127.0.0.1", NON_EMPTY, "Address of the aggregates' HTTP endpoint.");
    public static final Setting AGGREGATES_HTTP_PORT = new Setting("aggregates.http.port", "--http-port",
            Group.AGGREGATES, Type.INT, 8082, PORT, "Port of the aggregates' HTTP endpoint.");
    public static final Setting AGGREGATES_METRICS_PORT = new Setting("aggregates.metrics.port",
            "--aggregates-metrics-port", Group.AGGREGATES, Type.INT, 9404, PORT, "Port of the aggregates' /metrics and /health.");
    public static final Setting AGGREGATES_DEDUP_RETENTION_MS = new Setting("aggregates.dedup.retention.ms",
            "--aggregates-dedup-retention-ms", Group.AGGREGATES, Type.LONG, 7L * 24 * 3600 * 1000, atLeast(60_000),
            "How long a requestId is remembered so that a replayed result counts once. Memory is bounded by the ids of"
                    + " this period; a result replayed later than this would count again.");
    public static final Setting AGGREGATES_APPLICATION_ID = new Setting("aggregates.application.id",
            "--aggregates-app-id", Group.AGGREGATES, Type.STRING, "xssab-aggregates", NON_EMPTY,
            "Kafka Streams application.id of the aggregates.");

    // UI
    public static final Setting UI_HOST = new Setting("ui.host", "--ui-host", Group.UI, Type.STRING, "127.0.0.1", NON_EMPTY,
            "Address the web UI binds (loopback unless you mean otherwise).");
    public static final Setting UI_PORT = new Setting("ui.port", "--ui-port", Group.UI, Type.INT, 8090, PORT,
            "Port of the web UI.");
    public static final Setting UI_CREDENTIALS_FILE = new Setting("ui.credentials.file", "--ui-credentials", Group.UI,
            Type.STRING, null, null, "A file of user:password lines, the UI's users (default: XSSAB_HOME/run/ui-credentials,"
                    + " which xssab up creates with one generated user).");
    public static final Setting UI_AGGREGATES_URL = new Setting("ui.aggregates.url", "--ui-aggregates-url", Group.UI,
            Type.STRING, "http://127.0.0.1:" + AGGREGATES_HTTP_PORT.defaultValue(), NON_EMPTY,
            "The aggregates service, for the evaluation curves.");
    public static final Setting UI_HEALTH_URLS = new Setting("ui.health.urls", "--ui-health-urls", Group.UI, Type.LIST,
            healthUrls(REGISTRY_METRICS_PORT, GATEWAY_METRICS_PORT, EXPLAINER_METRICS_PORT, AUDIT_METRICS_PORT,
                    AGGREGATES_METRICS_PORT), null,
            "service=URL of each service's /health/ready, for the health page.");

    // Clients
    public static final Setting CLIENT_ID = new Setting("requests.client.id", "--client-id", Group.CLIENT, Type.STRING,
            "xssab-cli", NON_EMPTY, "The clientId written into each request (self-declared; recorded as"
                    + " unauthenticated unless the request came through the client's own authenticated topic).");
    public static final Setting CLIENT_PRINCIPAL = new Setting("requests.principal", "--principal", Group.CLIENT,
            Type.STRING, null, null, "The SASL user this client authenticates as. When set, requests go to that"
                    + " user's own request topic, which only it may write (ACL), so the audit records who submitted"
                    + " them as an authenticated principal.");

    /** All of them, in the order the documentation lists them. */
    public static final List<Setting> ALL = List.of(BOOTSTRAP_SERVERS, CLIENT_CONFIG_FILE, TOPICS_CREATE,
            TOPICS_PARTITIONS, TOPICS_REPLICATION, TOPICS_MIN_INSYNC_REPLICAS, STREAMS_REPLICATION,
            METRICS_HOST, LOG_FORMAT, REGISTRY_URL, REGISTRY_AUTH_SOURCE, REGISTRY_USER_INFO,
            REGISTRY_TRUSTSTORE, REGISTRY_TRUSTSTORE_PASSWORD, REGISTRY_TRUSTSTORE_TYPE, BROKER_PORT,
            BROKER_CONTROLLER_PORT, BROKER_CLUSTER_SIZE, BROKER_NODE_ID, BROKER_LISTEN_HOST, BROKER_ADVERTISED_HOST, BROKER_DATA_DIR, BROKER_SECURITY_DIR,
            REGISTRY_HOST, REGISTRY_PORT, REGISTRY_METRICS_PORT, REGISTRY_KEYSTORE, REGISTRY_KEYSTORE_PASSWORD, REGISTRY_USERS_FILE,
            GATEWAY_METRICS_PORT, GATEWAY_THREADS,
            GATEWAY_DEDUP_WINDOW_MS, GATEWAY_MAX_IMAGE_BYTES, GATEWAY_MAX_PIXELS, GATEWAY_EVALUATION_PRINCIPALS, GATEWAY_MODEL_SPECS, GATEWAY_APPLICATION_ID,
            EXPLAINER_INSTANCE, EXPLAINER_BATCH, EXPLAINER_MODELS, EXPLAINER_MAX_WAIT_MS, EXPLAINER_METRICS_PORT, EXPLAINER_GROUP_ID,
            AUDIT_JDBC_URL, AUDIT_JDBC_USER, AUDIT_JDBC_PASSWORD, AUDIT_METRICS_PORT, AUDIT_GROUP_ID, AGGREGATES_HTTP_HOST,
            AGGREGATES_HTTP_PORT, AGGREGATES_METRICS_PORT, AGGREGATES_DEDUP_RETENTION_MS, AGGREGATES_APPLICATION_ID, UI_HOST, UI_PORT,
            UI_CREDENTIALS_FILE, UI_AGGREGATES_URL,
            UI_HEALTH_URLS, CLIENT_ID, CLIENT_PRINCIPAL);

    /**
     * The default of {@link #UI_HEALTH_URLS}, derived from the services' declared metrics ports
     * ("gateway.metrics.port" gives gateway=http://127.0.0.1:9401/health/ready), so a port is typed once.
     */
    private static String healthUrls(Setting... metricsPorts) {
        List<String> urls = new ArrayList<>();
        for (Setting port : metricsPorts) {
            String service = port.key().substring(0, port.key().indexOf('.'));
            urls.add(service + "=http://127.0.0.1:" + port.defaultValue() + "/health/ready");
        }
        return String.join(",", urls);
    }

    /** The same, as Kafka's ConfigDef: parsing, type conversion and validation. */
    public static final ConfigDef DEFINITION = define(ALL);

    private static final Map<String, Setting> BY_KEY = index(ALL);

    private Settings() {}

    /** The setting with this key, or empty. */
    public static java.util.Optional<Setting> byKey(String key) {
        return java.util.Optional.ofNullable(BY_KEY.get(key));
    }

    /** The settings of these groups, in declaration order. */
    public static List<Setting> of(java.util.Collection<Group> groups) {
        List<Setting> out = new ArrayList<>();
        for (Setting s : ALL) {
            if (groups.contains(s.group())) {
                out.add(s);
            }
        }
        return out;
    }

    private static ConfigDef define(List<Setting> settings) {
        ConfigDef def = new ConfigDef();
        for (Setting s : settings) {
            ConfigDef.Importance importance = s.group() == Group.KAFKA || s.group() == Group.SCHEMA_REGISTRY_CLIENT
                    ? ConfigDef.Importance.HIGH : ConfigDef.Importance.MEDIUM;
            if (s.defaultValue() == ConfigDef.NO_DEFAULT_VALUE) {
                def.define(s.key(), s.type(), importance, s.doc());
            } else {
                def.define(s.key(), s.type(), s.defaultValue(), s.validator(), importance, s.doc());
            }
        }
        return def;
    }

    private static Map<String, Setting> index(List<Setting> settings) {
        Map<String, Setting> byKey = new HashMap<>();
        Map<String, Setting> byFlag = new HashMap<>();
        for (Setting s : settings) {
            if (byKey.put(s.key(), s) != null) {
                throw new ConfigException("setting " + s.key() + " is declared twice");
            }
            Setting other = byFlag.put(s.flag(), s);
            if (other != null) {
                throw new ConfigException("flag " + s.flag() + " is declared by " + other.key() + " and " + s.key());
            }
            if (s.key().startsWith(KAFKA_PREFIX)) {
                throw new ConfigException(s.key() + ": the prefix " + KAFKA_PREFIX + " is reserved for Kafka client settings");
            }
        }
        return byKey;
    }
}
