package dev.xssab.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * A caching client of the Confluent Schema Registry REST API (works against Confluent's server
 * and against this project's). Schemas are immutable once registered, so ids and schemas are
 * cached forever; one client is shared by all serdes of a process. Reads Confluent's client
 * settings: HTTP basic authentication ({@code basic.auth.credentials.source},
 * {@code basic.auth.user.info}) and a truststore for https ({@code schema.registry.ssl.*}).
 */
public final class SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, SchemaRegistryClient> SHARED = new ConcurrentHashMap<>();
    /** Waits before the retries: about 3.5 s in all, enough for a connection reset or a quick restart. */
    private static final long[] RETRY_BACKOFF_MS = {100, 400, 1000, 2000};

    /** In-memory registries for {@code mock://SCOPE} URLs, as Confluent's serdes offer them for topology tests. */
    private static final Map<String, Map<String, Integer>> MOCK_IDS = new ConcurrentHashMap<>();
    private static final Map<String, Map<Integer, Schema>> MOCK_SCHEMAS = new ConcurrentHashMap<>();

    private final String baseUrl;
    private final String authorization;
    private final HttpClient http;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> idBySubjectAndSchema = new ConcurrentHashMap<>();

    /** A client without credentials, trusting the JVM's default certificates. */
    public SchemaRegistryClient(String baseUrl) {
        this(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, baseUrl));
    }

    /**
     * A client configured with Confluent's keys (schema.registry.url, basic.auth.*,
     * schema.registry.ssl.truststore.*).
     *
     * @throws ConfigException naming the key that is missing or wrong
     */
    public SchemaRegistryClient(Map<String, ?> configs) {
        URI uri = URI.create(AvroSerdeConfig.url(configs).split(",")[0].trim());
        String userInfo;
        String source = AvroSerdeConfig.string(configs, AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE);
        if ("URL".equals(source)) {
            userInfo = uri.getRawUserInfo() == null ? null : java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
            if (userInfo == null) {
                throw new ConfigException(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, source,
                        "the registry URL has no user:password@ part");
            }
        } else if (source == null || "USER_INFO".equals(source)) {
            userInfo = AvroSerdeConfig.string(configs, AvroSerdeConfig.BASIC_AUTH_USER_INFO);
            if (userInfo == null) {
                userInfo = AvroSerdeConfig.string(configs, AvroSerdeConfig.PREFIXED_BASIC_AUTH_USER_INFO);
            }
        } else {
            throw new ConfigException(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, source, "USER_INFO or URL");
        }
        if (userInfo != null && !userInfo.contains(":")) {
            throw new ConfigException(AvroSerdeConfig.BASIC_AUTH_USER_INFO, "(hidden)", "must be user:password");
        }
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        String withoutUserInfo = uri.getScheme() + "://" + authority.substring(authority.lastIndexOf('@') + 1)
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
        this.baseUrl = withoutUserInfo.endsWith("/") ? withoutUserInfo.substring(0, withoutUserInfo.length() - 1) : withoutUserInfo;
        this.authorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        String truststore = AvroSerdeConfig.string(configs, AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION);
        if (truststore != null) {
            builder.sslContext(sslContext(Path.of(truststore), AvroSerdeConfig.string(configs, AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD),
                    AvroSerdeConfig.string(configs, AvroSerdeConfig.SSL_TRUSTSTORE_TYPE)));
        }
        this.http = builder.build();
    }

    /** One client (and cache) per registry URL and credentials in this process. */
    public static SchemaRegistryClient shared(Map<String, ?> configs) {
        String key = AvroSerdeConfig.url(configs) + "|" + AvroSerdeConfig.string(configs, AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE)
                + "|" + AvroSerdeConfig.string(configs, AvroSerdeConfig.BASIC_AUTH_USER_INFO)
                + "|" + AvroSerdeConfig.string(configs, AvroSerdeConfig.PREFIXED_BASIC_AUTH_USER_INFO)
                + "|" + AvroSerdeConfig.string(configs, AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION);
        return SHARED.computeIfAbsent(key, k -> new SchemaRegistryClient(configs));
    }

    private static SSLContext sslContext(Path truststore, String password, String type) {
        try (InputStream in = Files.newInputStream(truststore)) {
            KeyStore store = KeyStore.getInstance(type == null ? "PKCS12" : type);
            store.load(in, password == null ? null : password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, truststore.toString(), "cannot load: " + e.getMessage());
        }
    }

    private boolean isMock() {
        return baseUrl.startsWith("mock://");
    }

    /** The schemas of this mock scope, shared by every client of the scope in this process. */
    private Map<Integer, Schema> mockSchemas() {
        return MOCK_SCHEMAS.computeIfAbsent(baseUrl, u -> new ConcurrentHashMap<>());
    }

    private int mockRegister(String key, Schema schema) {
        Map<String, Integer> ids = MOCK_IDS.computeIfAbsent(baseUrl, u -> new ConcurrentHashMap<>());
        synchronized (ids) {
            int id = ids.computeIfAbsent(key, k -> {
                // Global ids as Confluent gives them: the same schema under another subject keeps its id.
                for (Map.Entry<Integer, Schema> e : mockSchemas().entrySet()) {
                    if (e.getValue().equals(schema)) {
                        return e.getKey();
                    }
                }
                return mockSchemas().size() + 1;
            });
            mockSchemas().putIfAbsent(id, schema);
            idBySubjectAndSchema.put(key, id);
            return id;
        }
    }

    /** The registry's base URL, without credentials. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Registers (or finds) a schema under a subject; returns its global id. */
    public int register(String subject, Schema schema) {
        String key = subject + "\u0000" + schema.toString();
        Integer cached = idBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        if (isMock()) {
            return mockRegister(key, schema);
        }
        JsonNode reply = post("/subjects/" + enc(subject) + "/versions", schemaBody(schema));
        int id = reply.get("id").asInt();
        idBySubjectAndSchema.put(key, id);
        byId.putIfAbsent(id, schema);
        return id;
    }

    /** The id of a schema already registered under a subject (no registration). */
    public int lookup(String subject, Schema schema) {
        String key = subject + "\u0000" + schema.toString();
        Integer cached = idBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        if (isMock()) {
            Integer id = MOCK_IDS.getOrDefault(baseUrl, Map.of()).get(key);
            if (id == null) {
                throw new SchemaRegistryException(40403, "Schema not found");
            }
            return id;
        }
        JsonNode reply = post("/subjects/" + enc(subject), schemaBody(schema));
        int id = reply.get("id").asInt();
        idBySubjectAndSchema.put(key, id);
        return id;
    }

    public Schema schemaById(int id) {
        if (isMock()) {
            Schema known = mockSchemas().get(id);
            if (known == null) {
                throw new SchemaRegistryException(40403, "Schema " + id + " not found");
            }
            return known;
        }
        return byId.computeIfAbsent(id, i -> new Schema.Parser().parse(get("/schemas/ids/" + i).get("schema").asText()));
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    public JsonNode post(String path, ObjectNode body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    public JsonNode put(String path, ObjectNode body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /**
     * One request, retried while the registry cannot be reached or answers 5xx: a pooled
     * connection the server has closed, or a registry restarting, must cost a short wait, not a
     * record. A 4xx is the registry's answer about this request and is never retried.
     */
    private JsonNode send(HttpRequest.Builder request) {
        request.header("Accept", CONTENT_TYPE).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpRequest built = request.build();
        RuntimeException last = null;
        for (int attempt = 0; attempt <= RETRY_BACKOFF_MS.length; attempt++) {
            if (attempt > 0) {
                try {
                    Thread.sleep(RETRY_BACKOFF_MS[attempt - 1]);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SchemaRegistryUnavailableException("interrupted talking to the schema registry", e);
                }
            }
            try {
                HttpResponse<String> r = http.send(built, HttpResponse.BodyHandlers.ofString());
                JsonNode body = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
                if (r.statusCode() < 400) {
                    return body;
                }
                int code = body.has("error_code") ? body.get("error_code").asInt() : r.statusCode();
                String message = body.has("message") ? body.get("message").asText() : r.body();
                if (r.statusCode() == 401 || r.statusCode() == 403) {
                    throw new SchemaRegistryAccessDeniedException(r.statusCode(), "the schema registry at " + baseUrl
                            + " refused " + built.method() + " " + built.uri().getPath() + " with " + r.statusCode() + " ("
                            + (r.statusCode() == 401 ? "no or wrong credentials: set basic.auth.user.info" : "not allowed for this user")
                            + "): " + message);
                }
                if (r.statusCode() < 500) {
                    throw new SchemaRegistryException(code, message);
                }
                last = new SchemaRegistryException(code, message);
            } catch (IOException e) {
                last = new SchemaRegistryException("schema registry at " + baseUrl + " unreachable: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException("interrupted talking to the schema registry", e);
            }
        }
        throw new SchemaRegistryUnavailableException(built.method() + " " + built.uri().getPath() + " failed "
                + (RETRY_BACKOFF_MS.length + 1) + " times: " + last.getMessage(), last);
    }

    static ObjectNode schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
