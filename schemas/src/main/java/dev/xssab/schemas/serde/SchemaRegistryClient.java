package dev.xssab.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A caching client of the Confluent Schema Registry REST API (works against Confluent's server
 * and against this project's). Schemas are immutable once registered, so ids and schemas are
 * cached forever; one client is shared by all serdes of a process.
 */
public final class SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, SchemaRegistryClient> SHARED = new ConcurrentHashMap<>();
    /** Waits before the retries: about 3.5 s in all, enough for a connection reset or a quick restart. */
    private static final long[] RETRY_BACKOFF_MS = {100, 400, 1000, 2000};

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> idBySubjectAndSchema = new ConcurrentHashMap<>();

    public SchemaRegistryClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** One client (and cache) per registry URL in this process. */
    public static SchemaRegistryClient shared(String url) {
        return SHARED.computeIfAbsent(url.split(",")[0].trim(), SchemaRegistryClient::new);
    }

    /** Registers (or finds) a schema under a subject; returns its global id. */
    public int register(String subject, Schema schema) {
        String key = subject + "\u0000" + schema.toString();
        Integer cached = idBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
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
        JsonNode reply = post("/subjects/" + enc(subject), schemaBody(schema));
        int id = reply.get("id").asInt();
        idBySubjectAndSchema.put(key, id);
        return id;
    }

    public Schema schemaById(int id) {
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
        HttpRequest built = request.header("Accept", CONTENT_TYPE).timeout(Duration.ofSeconds(30)).build();
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
