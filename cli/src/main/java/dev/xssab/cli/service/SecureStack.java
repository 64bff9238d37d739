package dev.xssab.cli.service;

import dev.xssab.audit.AuditKeys;
import dev.xssab.audit.AuditSettings;
import dev.xssab.broker.BrokerSettings;
import dev.xssab.broker.SecureNode;
import dev.xssab.cli.UserException;
import dev.xssab.config.CommonSettings;
import dev.xssab.evaluator.aggregate.AggregatesSettings;
import dev.xssab.explainer.ExplainerSettings;
import dev.xssab.gateway.GatewaySettings;
import dev.xssab.kafka.ClusterAccess;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.client.ClientSettings;
import dev.xssab.registry.RegistrySettings;
import dev.xssab.registry.RegistryUsers;
import dev.xssab.schemas.Topics;
import dev.xssab.ui.UiSettings;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The settings of {@code xssab up --secure}, as files under XSSAB_HOME/secure: the node's
 * certificates and SCRAM passwords ({@link SecureNode}), the registry's users, and one settings
 * file per service and client, each authenticating as its own principal ({@link ClusterAccess}).
 * The client file is what {@code submit --config} takes.
 */
public final class SecureStack {
    /** The key file the audit sink seals face images with and the UI opens them with (audit.encryption.key.file). */
    static final String AUDIT_KEYS = "audit-keys.properties";

    private final SecureNode node;
    private final LocalCluster cluster;

    private SecureStack(SecureNode node, LocalCluster cluster) {
        this.node = node;
        this.cluster = cluster;
    }

    /** Makes (once) the certificates, passwords and files; keeps existing ones. */
    static SecureStack prepare(Path dir, LocalCluster cluster) throws IOException {
        SecureStack stack = new SecureStack(SecureNode.createOrOpen(dir, ClusterAccess.PRINCIPALS), cluster);
        List<String> users = new ArrayList<>();
        for (String user : ClusterAccess.PRINCIPALS) {
            users.add(RegistryUsers.line(user, stack.node.password(user),
                    user.equals(ClusterAccess.AUDIT) ? RegistryUsers.Role.READ : RegistryUsers.Role.WRITE));
        }
        Files.write(dir.resolve("registry-users"), users);
        if (!Files.exists(dir.resolve(AUDIT_KEYS))) {
            AuditKeys.create(dir.resolve(AUDIT_KEYS)); // the secured stack seals the stored face images (mode 600, kept across ups)
        }
        stack.write("broker");
        for (LocalService service : LocalService.values()) {
            stack.write(service.id());
        }
        for (String client : List.of(ClusterAccess.CLIENT, ClusterAccess.EVALUATOR, ClusterAccess.OPERATOR)) {
            stack.write(client);
        }
        return stack;
    }

    /** The secured stack that up made, as status reads it: nothing is written. */
    static SecureStack open(Path dir, LocalCluster cluster) throws IOException {
        if (!Files.isRegularFile(dir.resolve("registry-users"))) {
            throw new UserException("no secured stack's files in " + dir + ": was it started with up --secure?");
        }
        return new SecureStack(SecureNode.createOrOpen(dir, ClusterAccess.PRINCIPALS), cluster);
    }

    /** The controllers' listener takes only the node's own certificate (mutual TLS). */
    Map<String, Object> controllerClientSettings() {
        return node.controllerClientSettings();
    }

    Path configFile(String serviceOrClient) {
        return node.dir().resolve(serviceOrClient + ".properties");
    }

    /** As the admin: SCRAM users, ACLs, and every topic (the services may not create them). */
    void provision() {
        ClusterAccess.apply(admin(), Topics.create(Map.of(CommonSettings.REGISTRY_URL.key(), "mock://provisioning")),
                CommonSettings.TOPICS_PARTITIONS.defaultValue() instanceof Integer i ? i : 4, cluster.replication(), node.users(),
                ClusterAccess.acls((String) GatewaySettings.APPLICATION_ID.defaultValue(),
                        (String) ExplainerSettings.GROUP_ID.defaultValue(), (String) AuditSettings.GROUP_ID.defaultValue(),
                        (String) AggregatesSettings.APPLICATION_ID.defaultValue()));
    }

    /** The admin's clients (a super user), on the cluster's every node. */
    KafkaClients admin() {
        return new KafkaClients(cluster.bootstrap(), node.clientSettings(SecureNode.ADMIN));
    }

    /** The UI's own: its principal, and https with the node's certificate (SAN 127.0.0.1 and localhost), which the truststore trusts. */
    private void uiSettings(Properties p) {
        p.setProperty(ClientSettings.PRINCIPAL.key(), ClusterAccess.UI);
        p.setProperty(UiSettings.TLS_KEYSTORE.key(), node.keystore().toString());
        p.setProperty(UiSettings.TLS_KEYSTORE_PASSWORD.key(), node.storePassword());
        p.setProperty(AuditSettings.ENCRYPTION_KEY_FILE.key(), node.dir().resolve(AUDIT_KEYS).toString()); // it draws the faces
    }

    private void write(String name) throws IOException {
        Properties p = new Properties();
        if (name.equals("broker")) {
            p.setProperty(BrokerSettings.SECURITY_DIR.key(), node.dir().toString());
        } else {
            String user = name; // each service and client is the principal of its own name (ClusterAccess.PRINCIPALS)
            p.setProperty(CommonSettings.BOOTSTRAP_SERVERS.key(), cluster.bootstrap());
            node.clientSettings(user).forEach((k, v) -> p.setProperty(CommonSettings.KAFKA_PREFIX + k, v.toString()));
            p.setProperty(CommonSettings.TOPICS_CREATE.key(), "false");
            p.setProperty(CommonSettings.REGISTRY_URL.key(), Stack.registryUrl("https"));
            p.setProperty(CommonSettings.REGISTRY_AUTH_SOURCE.key(), "USER_INFO");
            p.setProperty(CommonSettings.REGISTRY_USER_INFO.key(), user + ":" + node.password(user));
            p.setProperty(CommonSettings.REGISTRY_TRUSTSTORE.key(), node.truststore().toString());
            p.setProperty(CommonSettings.REGISTRY_TRUSTSTORE_PASSWORD.key(), node.storePassword());
        }
        switch (name) {
            case "registry" -> {
                p.setProperty(RegistrySettings.KEYSTORE.key(), node.keystore().toString());
                p.setProperty(RegistrySettings.KEYSTORE_PASSWORD.key(), node.storePassword());
                p.setProperty(RegistrySettings.USERS_FILE.key(), node.dir().resolve("registry-users").toString());
            }
            case "gateway" -> p.setProperty(GatewaySettings.EVALUATION_PRINCIPALS.key(), ClusterAccess.EVALUATOR);
            case "audit" -> p.setProperty(AuditSettings.ENCRYPTION_KEY_FILE.key(), node.dir().resolve(AUDIT_KEYS).toString());
            case "client", "evaluator", "operator" -> p.setProperty(ClientSettings.PRINCIPAL.key(), name);
            case "ui" -> uiSettings(p);
            default -> { }
        }
        Path file = configFile(name);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "xssab up --secure: settings of " + name + " (holds its password; keep private)");
        }
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: the folder's permissions apply
        }
    }
}
