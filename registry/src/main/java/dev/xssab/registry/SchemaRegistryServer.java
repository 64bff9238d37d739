package dev.xssab.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.config.Replication;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.AvroRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confluent Schema Registry REST API, Avro only:
 * <ul>
 *   <li>POST /subjects/{s}/versions, POST /subjects/{s} (lookup)</li>
 *   <li>GET /schemas/ids/{id}, GET /subjects, GET /subjects/{s}/versions,
 *       GET /subjects/{s}/versions/{v|latest}</li>
 *   <li>POST /compatibility/subjects/{s}/versions/{v|latest}</li>
 *   <li>GET and PUT /config and /config/{s}</li>
 * </ul>
 * Errors are Confluent's JSON {@code {"error_code":..., "message":...}} with its codes.
 *
 * <p>Optionally served over https, and with HTTP basic authentication: every request must then
 * name a user of {@link RegistryUsers}, and only users with the write role may register schemas
 * or change compatibility (401 without valid credentials, 403 for a reader that writes).
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Pattern SUBJECT_VERSIONS = Pattern.compile("^/subjects/([^/]+)/versions/?$");
    private static final Pattern SUBJECT_VERSION = Pattern.compile("^/subjects/([^/]+)/versions/([^/]+)/?$");
    private static final Pattern SUBJECT = Pattern.compile("^/subjects/([^/]+)/?$");
    private static final Pattern SCHEMA_ID = Pattern.compile("^/schemas/ids/([^/]+)/?$");
    private static final Pattern COMPATIBILITY = Pattern.compile("^/compatibility/subjects/([^/]+)/versions/([^/]+)/?$");
    private static final Pattern CONFIG_SUBJECT = Pattern.compile("^/config/([^/]+)/?$");

    /**
     * How the registry is served: TLS when {@code tls} is set, basic authentication when
     * {@code users} is set. {@link #NONE} is plain http for anyone on the bound address.
     */
    public record Security(SSLContext tls, RegistryUsers users) {
        public static final Security NONE = new Security(null, null);

        /**
         * TLS from a PKCS12 keystore (when {@code keystore} is set) and basic authentication from
         * a users file (when {@code usersFile} is set).
         */
        public static Security load(java.nio.file.Path keystore, String password, java.nio.file.Path usersFile)
                throws IOException {
            SSLContext tls = null;
            if (keystore != null) {
                try (var in = java.nio.file.Files.newInputStream(keystore)) {
                    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
                    char[] secret = password == null ? new char[0] : password.toCharArray();
                    store.load(in, secret);
                    javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                    kmf.init(store, secret);
                    tls = SSLContext.getInstance("TLS");
                    tls.init(kmf.getKeyManagers(), null, null);
                } catch (java.security.GeneralSecurityException e) {
                    throw new IOException("cannot use the registry keystore " + keystore + ": " + e.getMessage(), e);
                }
            }
            return new Security(tls, usersFile == null ? null : RegistryUsers.read(usersFile));
        }
    }

    private final RegistryState state = new RegistryState();
    private final SchemaLog log;
    private final HttpServer http;
    private final Security security;

    private SchemaRegistryServer(SchemaLog log, HttpServer http, Security security) {
        this.log = log;
        this.http = http;
        this.security = security;
    }

    /** Plain http, no authentication: the embedded default and tests. */
    public static SchemaRegistryServer start(KafkaClients clients, String topic, Replication replication, String host,
            int port) throws IOException {
        return start(clients, topic, replication, host, port, Security.NONE);
    }

    /**
     * Replays the {@code topic} log, then serves on {@code host:port} (port 0: any free port).
     *
     * @param clients the Kafka clients of the registry's own log (with their security settings)
     * @param host the address to bind; tests and the local stack use 127.0.0.1
     */
    public static SchemaRegistryServer start(KafkaClients clients, String topic, Replication replication, String host,
            int port, Security security) throws IOException {
        SchemaLog log = new SchemaLog(clients, topic, replication);
        HttpServer http;
        if (security.tls() != null) {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(host, port), 64);
            https.setHttpsConfigurator(new HttpsConfigurator(security.tls()));
            http = https;
        } else {
            http = HttpServer.create(new InetSocketAddress(host, port), 64);
        }
        SchemaRegistryServer server = new SchemaRegistryServer(log, http, security);
        log.replayInto(server.state);
        http.createContext("/", server::handle);
        http.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "schema-registry-http");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        LOG.info("schema registry on {} ({} subjects replayed from {})", server.url(),
                server.state.subjects().size(), topic);
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        return (security.tls() != null ? "https" : "http") + "://" + http.getAddress().getHostString() + ":" + port();
    }

    /**
     * Null when the request may go on; otherwise the refusal. Reading is GET, a lookup
     * (POST /subjects/{s}) and a compatibility test; everything else writes.
     */
    private RegistryError refusal(String method, String path, HttpExchange exchange) {
        if (security.users() == null) {
            return null;
        }
        Optional<RegistryUsers.Role> role = security.users().authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
        if (role.isEmpty()) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"xssab-schema-registry\"");
            return new RegistryError(401, 401, "Unauthorized");
        }
        boolean reads = "GET".equals(method) || ("POST".equals(method) && (SUBJECT.matcher(path).matches()
                || COMPATIBILITY.matcher(path).matches()));
        if (!reads && role.get() != RegistryUsers.Role.WRITE) {
            return new RegistryError(403, 40301, "User is denied operation Write on " + path);
        }
        return null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            JsonNode reply;
            try {
                RegistryError refused = refusal(method, path, exchange);
                if (refused != null) {
                    throw refused;
                }
                reply = route(method, path, exchange);
            } catch (RegistryError e) {
                ObjectNode err = RegistryState.JSON.createObjectNode();
                err.put("error_code", e.errorCode);
                err.put("message", e.getMessage());
                send(exchange, e.status, err);
                return;
            } catch (RuntimeException e) {
                LOG.error("registry request {} {} failed", method, path, e);
                ObjectNode err = RegistryState.JSON.createObjectNode();
                err.put("error_code", 50001);
                err.put("message", "Error in the backend data store: " + e.getMessage());
                send(exchange, 500, err);
                return;
            }
            send(exchange, 200, reply);
        }
    }

    private JsonNode route(String method, String path, HttpExchange exchange) throws IOException {
        Matcher m;
        if ("GET".equals(method) && path.matches("^/subjects/?$")) {
            ArrayNode out = RegistryState.JSON.createArrayNode();
            synchronized (state) {
                state.subjects().forEach(out::add);
            }
            return out;
        }
        if ((m = SUBJECT_VERSIONS.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            if ("POST".equals(method)) {
                return register(subject, parseSchema(body(exchange)));
            }
            if ("GET".equals(method)) {
                ArrayNode out = RegistryState.JSON.createArrayNode();
                synchronized (state) {
                    List<RegistryState.Version> versions = state.versions(subject);
                    if (versions.isEmpty()) {
                        throw RegistryError.subjectNotFound(subject);
                    }
                    versions.forEach(v -> out.add(v.version()));
                }
                return out;
            }
        }
        if ("GET".equals(method) && (m = SUBJECT_VERSION.matcher(path)).matches()) {
            synchronized (state) {
                return versionJson(version(decode(m.group(1)), decode(m.group(2))));
            }
        }
        if ("POST".equals(method) && (m = SUBJECT.matcher(path)).matches()) {
            return lookup(decode(m.group(1)), parseSchema(body(exchange)));
        }
        if ("GET".equals(method) && (m = SCHEMA_ID.matcher(path)).matches()) {
            String schema;
            synchronized (state) {
                schema = parseId(m.group(1)) == null ? null : state.schemaById(parseId(m.group(1)));
            }
            if (schema == null) {
                throw RegistryError.schemaNotFound();
            }
            ObjectNode out = RegistryState.JSON.createObjectNode();
            out.put("schema", schema);
            return out;
        }
        if ("POST".equals(method) && (m = COMPATIBILITY.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            Schema candidate = parseSchema(body(exchange));
            List<String> problems;
            synchronized (state) {
                RegistryState.Version against = version(subject, decode(m.group(2)));
                Compatibility level = state.effectiveCompatibility(subject);
                problems = level.violations(candidate, List.of(new Schema.Parser().parse(against.schema())));
            }
            ObjectNode out = RegistryState.JSON.createObjectNode();
            out.put("is_compatible", problems.isEmpty());
            if (!problems.isEmpty()) {
                ArrayNode messages = out.putArray("messages");
                problems.forEach(messages::add);
            }
            return out;
        }
        if (path.matches("^/config/?$")) {
            if ("GET".equals(method)) {
                synchronized (state) {
                    return compatibilityLevel(state.globalCompatibility());
                }
            }
            if ("PUT".equals(method)) {
                return putConfig(null, body(exchange));
            }
        }
        if ((m = CONFIG_SUBJECT.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            if ("GET".equals(method)) {
                synchronized (state) {
                    Compatibility level = state.subjectCompatibility(subject);
                    if (level == null) {
                        throw RegistryError.subjectCompatibilityNotConfigured(subject);
                    }
                    return compatibilityLevel(level);
                }
            }
            if ("PUT".equals(method)) {
                return putConfig(subject, body(exchange));
            }
        }
        throw new RegistryError(404, 404, "HTTP 404 Not Found");
    }

    private JsonNode register(String subject, Schema schema) {
        String canonical = schema.toString();
        synchronized (state) {
            for (RegistryState.Version v : state.versions(subject)) {
                if (v.schema().equals(canonical)) {
                    return idJson(v.id());
                }
            }
            List<String> problems = state.effectiveCompatibility(subject).violations(schema, state.parsedVersions(subject));
            if (!problems.isEmpty()) {
                throw RegistryError.incompatible(subject, String.join("; ", problems));
            }
            Integer existing = state.idOf(canonical);
            int id = existing != null ? existing : state.nextId();
            List<RegistryState.Version> versions = state.versions(subject);
            int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
            String key = RegistryState.schemaKey(subject, version);
            String value = RegistryState.schemaValue(subject, version, id, canonical);
            // Durable first, then visible: a crash between the two replays into the same state.
            log.append(key, value);
            state.apply(key, value);
            LOG.info("registered {} version {} as id {}", subject, version, id);
            return idJson(id);
        }
    }

    private JsonNode lookup(String subject, Schema schema) {
        String canonical = schema.toString();
        synchronized (state) {
            List<RegistryState.Version> versions = state.versions(subject);
            if (versions.isEmpty()) {
                throw RegistryError.subjectNotFound(subject);
            }
            for (RegistryState.Version v : versions) {
                if (v.schema().equals(canonical)) {
                    return versionJson(v);
                }
            }
            throw RegistryError.schemaNotFound();
        }
    }

    private JsonNode putConfig(String subject, String body) {
        JsonNode json = readJson(body);
        String level = json.hasNonNull("compatibility") ? json.get("compatibility").asText()
                : json.hasNonNull("compatibilityLevel") ? json.get("compatibilityLevel").asText() : null;
        Compatibility parsed = Compatibility.parse(level);
        synchronized (state) {
            String key = RegistryState.configKey(subject);
            String value = RegistryState.configValue(parsed);
            log.append(key, value);
            state.apply(key, value);
        }
        ObjectNode out = RegistryState.JSON.createObjectNode();
        out.put("compatibility", parsed.name());
        return out;
    }

    private RegistryState.Version version(String subject, String version) {
        List<RegistryState.Version> versions = state.versions(subject);
        int wanted;
        if ("latest".equals(version) || "-1".equals(version)) {
            wanted = -1;
        } else {
            try {
                wanted = Integer.parseInt(version);
            } catch (NumberFormatException e) {
                throw RegistryError.invalidVersion(version);
            }
            if (wanted < 1) {
                throw RegistryError.invalidVersion(version);
            }
        }
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        if (wanted == -1) {
            return versions.get(versions.size() - 1);
        }
        for (RegistryState.Version v : versions) {
            if (v.version() == wanted) {
                return v;
            }
        }
        throw RegistryError.versionNotFound(version);
    }

    private static Schema parseSchema(String body) {
        JsonNode json = readJson(body);
        if (json.hasNonNull("schemaType") && !"AVRO".equalsIgnoreCase(json.get("schemaType").asText())) {
            throw RegistryError.invalidSchema("only AVRO schemas are supported, got " + json.get("schemaType").asText());
        }
        if (!json.hasNonNull("schema")) {
            throw RegistryError.invalidSchema("the request has no 'schema' field");
        }
        try {
            return new Schema.Parser().parse(json.get("schema").asText());
        } catch (AvroRuntimeException | IllegalArgumentException | NullPointerException e) {
            // SchemaParseException, and the NullPointerException Avro 1.12 throws for an unknown type name.
            throw RegistryError.invalidSchema(e.getMessage());
        }
    }

    private static JsonNode readJson(String body) {
        try {
            return RegistryState.JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            throw new RegistryError(422, 422, "Unrecognized JSON: " + e.getMessage());
        }
    }

    private static Integer parseId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ObjectNode idJson(int id) {
        ObjectNode out = RegistryState.JSON.createObjectNode();
        out.put("id", id);
        return out;
    }

    private static ObjectNode versionJson(RegistryState.Version v) {
        ObjectNode out = RegistryState.JSON.createObjectNode();
        out.put("subject", v.subject());
        out.put("version", v.version());
        out.put("id", v.id());
        out.put("schema", v.schema());
        return out;
    }

    private static ObjectNode compatibilityLevel(Compatibility c) {
        ObjectNode out = RegistryState.JSON.createObjectNode();
        out.put("compatibilityLevel", c.name());
        return out;
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        log.close();
    }
}
