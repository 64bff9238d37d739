package dev.xssab.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What makes a {@link SingleNodeKafka} a secured cluster, kept in one folder: a TLS key pair for
 * 127.0.0.1 (made with the JDK's keytool) and its truststore, and the passwords of the SCRAM
 * users. The node then serves clients on SASL_SSL with SCRAM-SHA-512 only, its controller
 * listener on TLS with client certificates (only the node's own key gets in), and authorizes
 * every request with the StandardAuthorizer and {@code allow.everyone.if.no.acl.found=false}.
 * The admin user is the only super user besides the node itself.
 */
public final class SecureNode {
    public static final String ADMIN = "admin";
    public static final String MECHANISM = "SCRAM-SHA-512";
    static final String KEYSTORE = "node.p12";
    static final String TRUSTSTORE = "truststore.p12";
    static final String PASSWORDS = "passwords.properties";
    /** The distinguished name in the node's certificate, and so its principal on the controller listener. */
    static final String NODE_DN = "CN=xssab-node";

    private final Path dir;
    private final Properties passwords;

    private SecureNode(Path dir, Properties passwords) {
        this.dir = dir;
        this.passwords = passwords;
    }

    /**
     * Makes the folder once: a key pair and certificate for 127.0.0.1 and localhost, a truststore
     * holding that certificate, and a random password for every user in {@code users} (plus
     * {@link #ADMIN} and the stores' password). An existing folder is read as it is.
     */
    public static SecureNode createOrOpen(Path dir, List<String> users) throws IOException {
        Path file = dir.resolve(PASSWORDS);
        if (Files.exists(file)) {
            SecureNode existing = open(dir);
            // A folder made before a principal was added: give the new users passwords, keep the rest.
            boolean added = false;
            for (String user : users) {
                if (existing.passwords.getProperty(user) == null) {
                    existing.passwords.setProperty(user, randomPassword(new SecureRandom()));
                    added = true;
                }
            }
            if (added) {
                try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    existing.passwords.store(out, "SCRAM and store passwords of this secured node; keep private");
                }
                restrict(file);
            }
            return existing;
        }
        Files.createDirectories(dir);
        Properties p = new Properties();
        SecureRandom random = new SecureRandom();
        List<String> all = new ArrayList<>(users);
        all.add(ADMIN);
        all.add("store");
        for (String user : all) {
            p.setProperty(user, randomPassword(random));
        }
        String store = p.getProperty("store");
        keytool("-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-validity", "825", "-dname", NODE_DN,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", dir.resolve(KEYSTORE).toString(), "-storetype",
                "PKCS12", "-storepass", store, "-keypass", store);
        Path cert = dir.resolve("node.crt");
        keytool("-exportcert", "-rfc", "-alias", "node", "-keystore", dir.resolve(KEYSTORE).toString(), "-storepass", store,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "node", "-file", cert.toString(), "-keystore",
                dir.resolve(TRUSTSTORE).toString(), "-storetype", "PKCS12", "-storepass", store);
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "SCRAM and store passwords of this secured node; keep private");
        }
        restrict(file);
        return new SecureNode(dir, p);
    }

    private static String randomPassword(SecureRandom random) {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static SecureNode open(Path dir) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve(PASSWORDS), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return new SecureNode(dir, p);
    }

    public Path dir() {
        return dir;
    }

    /** The users and their passwords, admin excluded. */
    public Map<String, String> users() {
        Map<String, String> out = new TreeMap<>();
        for (String user : passwords.stringPropertyNames()) {
            if (!user.equals(ADMIN) && !user.equals("store")) {
                out.put(user, passwords.getProperty(user));
            }
        }
        return out;
    }

    public String password(String user) {
        String p = passwords.getProperty(user);
        if (p == null) {
            throw new IllegalArgumentException("no such user in " + dir + ": " + user);
        }
        return p;
    }

    public Path keystore() {
        return dir.resolve(KEYSTORE);
    }

    public Path truststore() {
        return dir.resolve(TRUSTSTORE);
    }

    public String storePassword() {
        return passwords.getProperty("store");
    }

    /** The node's settings on top of {@link SingleNodeKafka#config}: SASL_SSL for clients, TLS for the controller. */
    public Properties nodeConfig(Path logDir, int port, int controllerPort) {
        return secure(SingleNodeKafka.config(logDir, port, controllerPort), port, controllerPort);
    }

    /**
     * Node {@code nodeId} of a secured cluster. Every node has the same key (so the same principal,
     * {@link #NODE_DN}, a super user): the nodes authenticate to each other's controller listener
     * with it, and talk to each other's brokers as the admin.
     */
    public Properties nodeConfig(KafkaClusterLayout layout, int nodeId, Path logDir) {
        return secure(layout.nodeConfig(nodeId, logDir), layout.clientPort(nodeId), layout.controllerPort(nodeId));
    }

    /** {@code plain}, a PLAINTEXT node's settings, turned into this secured node's (on 127.0.0.1). */
    private Properties secure(Properties plain, int port, int controllerPort) {
        Properties p = new Properties();
        p.putAll(plain);
        p.put("listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL");
        p.put("inter.broker.listener.name", "SASL_SSL");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas(ADMIN, password(ADMIN)));
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", keystore().toString());
        p.put("ssl.keystore.password", storePassword());
        p.put("ssl.key.password", storePassword());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore().toString());
        p.put("ssl.truststore.password", storePassword());
        // Only a holder of the node's own key may talk to the controller.
        p.put("listener.name.controller.ssl.client.auth", "required");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + ADMIN + ";User:" + NODE_DN);
        return p;
    }

    /** The storage-format arguments that create the admin's SCRAM credential with the cluster. */
    public List<String> formatArguments() {
        return List.of("--add-scram", MECHANISM + "=[name=" + ADMIN + ",password=" + password(ADMIN) + "]");
    }

    /** Kafka client settings for {@code user}: SASL_SSL, SCRAM-SHA-512, this node's truststore. */
    public Map<String, Object> clientSettings(String user) {
        return Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", MECHANISM, "sasl.jaas.config",
                jaas(user, password(user)), "ssl.truststore.type", "PKCS12", "ssl.truststore.location",
                truststore().toString(), "ssl.truststore.password", storePassword());
    }

    /**
     * Admin client settings for the controller listener (bootstrap.controllers): TLS with the
     * node's own key, the only one that listener lets in.
     */
    public Map<String, Object> controllerClientSettings() {
        return Map.of("security.protocol", "SSL", "ssl.keystore.type", "PKCS12", "ssl.keystore.location", keystore().toString(),
                "ssl.keystore.password", storePassword(), "ssl.key.password", storePassword(), "ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", truststore().toString(), "ssl.truststore.password", storePassword());
    }

    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static void keytool(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running keytool", e);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own permissions apply
        }
    }
}
