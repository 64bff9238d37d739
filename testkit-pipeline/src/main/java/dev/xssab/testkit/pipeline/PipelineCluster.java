package dev.xssab.testkit.pipeline;

import dev.xssab.broker.SecureNode;
import dev.xssab.config.Replication;
import dev.xssab.kafka.ClusterAccess;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.TopicAdmin;
import dev.xssab.registry.RegistryUsers;
import dev.xssab.registry.SchemaRegistryServer;
import dev.xssab.schemas.Topics;
import dev.xssab.testkit.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The broker and the registry a pipeline runs on. Plain: one client factory and one registry URL
 * for everyone. Secured: SASL_SSL with SCRAM, every principal of {@link ClusterAccess} with only
 * its ACLs, and the registry on https with basic authentication (the audit principal may only read).
 */
public final class PipelineCluster implements AutoCloseable {
    private final EmbeddedKafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final Map<String, Topics> topics = new java.util.concurrent.ConcurrentHashMap<>();

    private PipelineCluster(EmbeddedKafkaBroker broker, SchemaRegistryServer registry) {
        this.broker = broker;
        this.registry = registry;
    }

    /** A plain broker and registry, with every application topic made with {@code partitions} partitions. */
    public static PipelineCluster plain(int partitions) throws IOException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        try {
            PipelineCluster cluster = new PipelineCluster(broker, SchemaRegistryServer.start(broker.clients(), Topics.SCHEMAS,
                    Replication.SINGLE_NODE, "127.0.0.1", 0));
            TopicAdmin.ensureTopics(broker.clients(), cluster.topicsFor(null), partitions, Replication.SINGLE_NODE);
            return cluster;
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** As {@link #secure(int, Pipeline.Ids, Path, List)} with {@code client} the only door. */
    public static PipelineCluster secure(int partitions, Pipeline.Ids ids, Path dir) throws IOException {
        return secure(partitions, ids, dir, List.of());
    }

    /**
     * A secured broker and registry; the users, topics and ACLs set up as the admin.
     *
     * @param ids the services' group and application ids, which the ACLs name
     * @param otherDoors doors besides {@code client}, each a principal of its own
     */
    public static PipelineCluster secure(int partitions, Pipeline.Ids ids, Path dir, List<String> otherDoors) throws IOException {
        List<String> principals = ClusterAccess.principals(otherDoors);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startSecure(principals);
        try {
            SecureNode security = broker.security();
            Topics names = Topics.create(Map.of("schema.registry.url", "mock://pipeline-admin"));
            ClusterAccess.apply(broker.clients(), names, partitions, Replication.SINGLE_NODE, security.users(),
                    ClusterAccess.acls(ids.gateway(), ids.explainer(), ids.audit(), ids.aggregates(), otherDoors), otherDoors,
                    TopicAdmin.DEFAULT_FACE_RETENTION_MS);
            List<String> lines = new ArrayList<>();
            for (String user : principals) {
                lines.add(RegistryUsers.line(user, security.password(user),
                        user.equals(ClusterAccess.AUDIT) ? RegistryUsers.Role.READ : RegistryUsers.Role.WRITE));
            }
            Path users = Files.write(dir.resolve("registry-users"), lines);
            return new PipelineCluster(broker, SchemaRegistryServer.start(broker.clientsFor(ClusterAccess.REGISTRY), Topics.SCHEMAS,
                    Replication.SINGLE_NODE, "127.0.0.1", 0, SchemaRegistryServer.Security.load(security.keystore(),
                            security.storePassword(), users)));
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public boolean secured() {
        return broker.security() != null;
    }

    /** The secured broker's certificates and passwords; null for a plain one. */
    public SecureNode security() {
        return broker.security();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    /** The admin's clients (secured: the super user). */
    public KafkaClients clients() {
        return broker.clients();
    }

    /** Clients that authenticate as {@code principal}; on a plain cluster everyone's are the same. */
    public KafkaClients clientsFor(String principal) {
        return secured() ? broker.clientsFor(principal) : broker.clients();
    }

    /** The serde settings of {@code principal}: the registry URL, and when secured its credentials and the truststore. */
    public Map<String, Object> registryConfig(String principal) {
        if (!secured()) {
            return Map.of("schema.registry.url", registry.url());
        }
        SecureNode security = broker.security();
        return Map.of("schema.registry.url", registry.url(), "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", principal + ":" + security.password(principal), "schema.registry.ssl.truststore.location",
                security.truststore().toString(), "schema.registry.ssl.truststore.password", security.storePassword(),
                "auto.register.schemas", true, "specific.avro.reader", true);
    }

    /** The topics as a client sees them: plain, everyone's; secured, with the client principal's registry credentials. */
    public Topics topics() {
        return topicsFor(ClusterAccess.CLIENT);
    }

    /** The topics whose serdes talk to the registry as {@code principal}; one instance each, so that their serdes share a schema cache. */
    public Topics topicsFor(String principal) {
        return topics.computeIfAbsent(secured() ? principal : "", p -> Topics.create(registryConfig(principal)));
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
    }
}
