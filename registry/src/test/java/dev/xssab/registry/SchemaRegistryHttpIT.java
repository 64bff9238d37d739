package dev.xssab.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xssab.broker.SecureNode;
import dev.xssab.config.Replication;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.registry.testing.KafkaWithRegistry;
import dev.xssab.testkit.EmbeddedKafkaBroker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's raw HTTP API, as any Confluent client sees it, over a real broker: every path,
 * its status and Confluent error code and body shape, subjects with '+', '.', '/' and spaces, unknown routes,
 * the body cap, the bound address, https with basic authentication (401, 403 for a reader), and
 * readiness as {@code xssab registry} serves it.
 */
class SchemaRegistryHttpIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = "{\"type\":\"record\",\"name\":\"Gate\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    /** Adds a field with a default: BACKWARD compatible with V1. */
    private static final String V2 = "{\"type\":\"record\",\"name\":\"Gate\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"zone\",\"type\":\"string\",\"default\":\"A\"}]}";
    /** Adds a field without a default: cannot read V2's data. */
    private static final String BAD = "{\"type\":\"record\",\"name\":\"Gate\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"floor\",\"type\":\"int\"}]}";

    @TempDir static Path tmp;
    private static KafkaWithRegistry kafka;
    private static SecureNode tls;
    private static SchemaRegistryServer secure;
    private static HttpClient plain;
    private static HttpClient trusting;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaWithRegistry.start();
        tls = SecureNode.createOrOpen(tmp.resolve("tls"), List.of("reader", "writer"));
        Path users = tmp.resolve("registry-users");
        Files.write(users, List.of(RegistryUsers.line("reader", tls.password("reader"), RegistryUsers.Role.READ),
                RegistryUsers.line("writer", tls.password("writer"), RegistryUsers.Role.WRITE)));
        secure = SchemaRegistryServer.start(kafka.clients(), "_schemas_http_secure", Replication.SINGLE_NODE, "127.0.0.1", 0,
                SchemaRegistryServer.Security.load(tls.keystore(), tls.storePassword(), users));
        plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        trusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(trustingTheNode()).build();
    }

    @AfterAll
    static void stop() {
        if (secure != null) {
            secure.close();
        }
        kafka.close();
    }

    private static SSLContext trustingTheNode() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(tls.truststore())) {
            trust.load(in, tls.storePassword().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** One answer: status, content type and the JSON body (null when there is none). */
    private record Reply(int status, String contentType, JsonNode body, String authenticate) {
        List<?> list() {
            return JSON.convertValue(body, List.class);
        }
    }

    private static Reply call(String method, String path, String body) throws Exception {
        return call(kafka.registryUrl(), method, path, body);
    }

    private static Reply call(String base, String method, String path, String body) throws Exception {
        return call(plain, base, method, path, body == null ? null : HttpRequest.BodyPublishers.ofString(body), null);
    }

    private static Reply secureCall(String user, String password, String method, String path, String body) throws Exception {
        String auth = user == null ? null : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
        return call(trusting, secure.url(), method, path, body == null ? null : HttpRequest.BodyPublishers.ofString(body), auth);
    }

    private static Reply call(HttpClient client, String base, String method, String path, HttpRequest.BodyPublisher body,
            String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", RegistryJson.CONTENT_TYPE).method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? null : JSON.readTree(r.body());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), json, r.headers()
                .firstValue("WWW-Authenticate").orElse(null));
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private static void assertError(int status, int errorCode, Reply reply) {
        assertEquals(status, reply.status(), String.valueOf(reply.body()));
        assertEquals(RegistryJson.CONTENT_TYPE, reply.contentType());
        assertEquals(errorCode, reply.body().get("error_code").asInt(), String.valueOf(reply.body()));
        assertTrue(reply.body().get("message").asText().length() > 0, "Confluent's body has a message");
        assertEquals(2, reply.body().size(), "only error_code and message: " + reply.body());
    }

    @Test
    void registeringReadingAndLookingUpAnswerConfluentsShapes() throws Exception {
        Reply first = call("POST", "/subjects/http-gates-value/versions", schemaBody(V1));
        assertEquals(200, first.status());
        assertEquals(RegistryJson.CONTENT_TYPE, first.contentType());
        int id1 = first.body().get("id").asInt();
        assertEquals(id1, call("POST", "/subjects/http-gates-value/versions", schemaBody(V1)).body().get("id").asInt());
        int id2 = call("POST", "/subjects/http-gates-value/versions/", schemaBody(V2)).body().get("id").asInt();
        assertTrue(call("GET", "/subjects", null).list().contains("http-gates-value"));
        assertTrue(call("GET", "/subjects/", null).list().contains("http-gates-value"));
        assertEquals(List.of(1, 2), call("GET", "/subjects/http-gates-value/versions", null).list());
        JsonNode latest = call("GET", "/subjects/http-gates-value/versions/latest", null).body();
        assertEquals("http-gates-value", latest.get("subject").asText());
        assertEquals(2, latest.get("version").asInt());
        assertEquals(id2, latest.get("id").asInt());
        assertEquals(latest, call("GET", "/subjects/http-gates-value/versions/-1", null).body());
        assertEquals(id1, call("GET", "/subjects/http-gates-value/versions/1", null).body().get("id").asInt());
        JsonNode byId = call("GET", "/schemas/ids/" + id1, null).body();
        assertEquals(List.of("schema"), JSON.convertValue(byId.fieldNames(), List.class));
        JsonNode found = call("POST", "/subjects/http-gates-value", schemaBody(V1)).body();
        assertEquals(1, found.get("version").asInt());
        assertEquals(id1, found.get("id").asInt());
        assertEquals(byId.get("schema"), found.get("schema"));
    }

    @Test
    void everyRefusalCarriesConfluentsErrorCode() throws Exception {
        call("POST", "/subjects/http-errors-value/versions", schemaBody(V1));
        call("POST", "/subjects/http-errors-value/versions", schemaBody(V2));
        assertError(404, 40401, call("GET", "/subjects/nope/versions", null));
        assertError(404, 40401, call("GET", "/subjects/nope/versions/1", null));
        assertError(404, 40401, call("POST", "/subjects/nope", schemaBody(V1)));
        assertError(404, 40402, call("GET", "/subjects/http-errors-value/versions/9", null));
        assertError(422, 42202, call("GET", "/subjects/http-errors-value/versions/zero", null));
        assertError(422, 42202, call("GET", "/subjects/http-errors-value/versions/0", null));
        assertError(404, 40403, call("GET", "/schemas/ids/99999", null));
        assertError(404, 40403, call("GET", "/schemas/ids/abc", null));
        assertError(404, 40403, call("POST", "/subjects/http-errors-value", schemaBody(BAD)));
        assertError(422, 42201, call("POST", "/subjects/http-errors-value/versions", schemaBody("{\"type\":\"recor\"}")));
        assertError(422, 42201, call("POST", "/subjects/http-errors-value/versions", "{}"));
        assertError(422, 42201, call("POST", "/subjects/http-errors-value/versions",
                JSON.createObjectNode().put("schemaType", "PROTOBUF").put("schema", "syntax = \"proto3\";").toString()));
        assertError(422, 422, call("POST", "/subjects/http-errors-value/versions", "{not json"));
        assertError(409, 409, call("POST", "/subjects/http-errors-value/versions", schemaBody(BAD)));
        assertEquals(List.of(1, 2), call("GET", "/subjects/http-errors-value/versions", null).list());
    }

    @Test
    void compatibilityAndConfigPaths() throws Exception {
        call("POST", "/subjects/http-compat-value/versions", schemaBody(V1));
        call("POST", "/subjects/http-compat-value/versions", schemaBody(V2));
        Reply incompatible = call("POST", "/compatibility/subjects/http-compat-value/versions/latest", schemaBody(BAD));
        assertEquals(200, incompatible.status());
        assertFalse(incompatible.body().get("is_compatible").asBoolean());
        assertTrue(incompatible.body().get("messages").size() > 0);
        assertEquals(JSON.readTree("{\"is_compatible\":true}"), call("POST", "/compatibility/subjects/http-compat-value/versions/1", schemaBody(V2)).body());
        assertError(404, 40402, call("POST", "/compatibility/subjects/http-compat-value/versions/7", schemaBody(V2)));
        assertEquals(JSON.readTree("{\"compatibilityLevel\":\"BACKWARD\"}"), call("GET", "/config", null).body());
        assertError(404, 40408, call("GET", "/config/http-compat-value", null));
        Reply put = call("PUT", "/config/http-compat-value", "{\"compatibility\":\"none\"}");
        assertEquals(200, put.status());
        assertEquals(JSON.readTree("{\"compatibility\":\"NONE\"}"), put.body());
        assertEquals("NONE", call("GET", "/config/http-compat-value", null).body().get("compatibilityLevel").asText());
        assertEquals("FORWARD", call("PUT", "/config/http-compat-other", "{\"compatibilityLevel\":\"FORWARD\"}").body().get("compatibility").asText());
        assertError(422, 42203, call("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}"));
        assertError(422, 42203, call("PUT", "/config", "{}"));
        assertEquals(200, call("POST", "/subjects/http-compat-value/versions", schemaBody(BAD)).status(), "NONE lets it in");
    }

    /** '+', '.', '/' and spaces in a subject: percent-encoded as Confluent's clients send them, or '+' as it is. */
    @Test
    void subjectsWithPlusAndDotsAreTheirOwnSubjects() throws Exception {
        int id = call("POST", "/subjects/gates.v1%2Bextra-value/versions", schemaBody(V1)).body().get("id").asInt();
        assertTrue(call("GET", "/subjects", null).list().contains("gates.v1+extra-value"));
        JsonNode raw = call("GET", "/subjects/gates.v1+extra-value/versions/latest", null).body();
        assertEquals("gates.v1+extra-value", raw.get("subject").asText());
        assertEquals(id, raw.get("id").asInt());
        assertEquals(id, call("POST", "/subjects/gates.v1%2Bextra-value", schemaBody(V1)).body().get("id").asInt());
        assertEquals(200, call("PUT", "/config/gates.v1%2Bextra-value", "{\"compatibility\":\"FULL\"}").status());
        assertEquals("FULL", call("GET", "/config/gates.v1+extra-value", null).body().get("compatibilityLevel").asText());
        assertTrue(call("POST", "/compatibility/subjects/gates.v1%2Bextra-value/versions/latest", schemaBody(V1)).body().get("is_compatible").asBoolean());
        call("POST", "/subjects/with%20space%2Fslash-value/versions", schemaBody(V1));
        assertTrue(call("GET", "/subjects", null).list().contains("with space/slash-value"));
        assertError(404, 40401, call("GET", "/subjects/gates.v1%20extra-value/versions", null));
    }

    @Test
    void unknownRoutesAre404InConfluentsShape() throws Exception {
        for (String[] route : new String[][] {{"GET", "/nope"}, {"GET", "/subjects/x/versions/1/extra"}, {"DELETE", "/subjects/x"},
            {"DELETE", "/subjects/x/versions/1"}, {"PATCH", "/config"}, {"POST", "/schemas/ids/1"}, {"GET", "//subjects"}}) {
            Reply reply = call(route[0], route[1], null);
            assertError(404, 404, reply);
            assertEquals("HTTP 404 Not Found", reply.body().get("message").asText(), route[0] + " " + route[1]);
        }
        assertEquals(404, call("HEAD", "/subjects", null).status(), "no HEAD route, as before");
    }

    @Test
    void aBodyOverTheCapIsRefusedWith413AndRegistersNothing() throws Exception {
        String over = schemaBody("x".repeat(RegistryJson.MAX_BODY_BYTES));
        assertError(413, 413, call("POST", "/subjects/http-big-value/versions", over));
        assertError(413, 413, call(plain, kafka.registryUrl(), "POST", "/subjects/http-big-value/versions",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(over.getBytes(UTF_8))), null));
        assertError(404, 40401, call("GET", "/subjects/http-big-value/versions", null));
        // Just under the cap is read and judged on its content: the cap is not lower than it says.
        assertError(422, 42201, call("POST", "/subjects/http-big-value/versions", schemaBody("x".repeat(RegistryJson.MAX_BODY_BYTES - 20))));
    }

    @Test
    void itListensOnTheGivenAddressOnlyAndAPortInUseIsAnIOException() throws Exception {
        int port = URI.create(kafka.registryUrl()).getPort();
        assertTrue(kafka.registryUrl().startsWith("http://127.0.0.1:"));
        // 127.0.0.2 is loopback too on Linux: a wildcard bind would answer there.
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.2", port).close());
        assertThrows(IOException.class, () -> SchemaRegistryServer.start(kafka.clients(), "_schemas_clash", Replication.SINGLE_NODE, "127.0.0.1", port));
    }

    @Test
    void httpsWithBasicAuthenticationRefusesStrangersAndReadersThatWrite() throws Exception {
        assertTrue(secure.url().startsWith("https://127.0.0.1:"));
        Reply stranger = secureCall(null, null, "GET", "/subjects", null);
        assertError(401, 401, stranger);
        assertEquals("Basic realm=\"xssab-schema-registry\"", stranger.authenticate());
        assertError(401, 401, secureCall("reader", "wrong", "GET", "/subjects", null));
        assertError(401, 401, secureCall(null, null, "GET", "/nope", null));
        String reader = tls.password("reader");
        assertError(403, 40301, secureCall("reader", reader, "POST", "/subjects/secure-value/versions", schemaBody(V1)));
        assertError(403, 40301, secureCall("reader", reader, "PUT", "/config", "{\"compatibility\":\"NONE\"}"));
        assertError(403, 40301, secureCall("reader", reader, "POST", "/nope", null));
        assertError(404, 404, secureCall("reader", reader, "GET", "/nope", null));
        assertError(404, 40401, secureCall("reader", reader, "POST", "/subjects/secure-value", schemaBody(V1)));
        Reply registered = secureCall("writer", tls.password("writer"), "POST", "/subjects/secure-value/versions", schemaBody(V1));
        assertEquals(200, registered.status());
        assertError(404, 404, secureCall("writer", tls.password("writer"), "POST", "/nope", null));
        assertEquals(List.of("secure-value"), secureCall("reader", reader, "GET", "/subjects", null).list());
        assertEquals(registered.body().get("id"), secureCall("reader", reader, "POST", "/subjects/secure-value", schemaBody(V1)).body().get("id"));
        assertTrue(secureCall("reader", reader, "POST", "/compatibility/subjects/secure-value/versions/latest", schemaBody(V2))
                .body().get("is_compatible").asBoolean(), "a compatibility test is a read");
        assertThrows(IOException.class, () -> call(secure.url().replace("https:", "http:"), "GET", "/subjects", null), "no http there");
    }

    /** Readiness as RegistryCommand wires it: green while the broker of the log answers, red with the reason once it is gone. */
    @Test
    @SuppressWarnings("try") // the broker is closed in the middle on purpose: that outage is what is tested
    void readinessFollowsTheBrokerOfTheLog() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                SchemaRegistryServer registry = SchemaRegistryServer.start(broker.clients(), "_schemas_ready", Replication.SINGLE_NODE, "127.0.0.1", 0);
                ServiceEndpoint endpoint = ServiceEndpoint.start("registry", "127.0.0.1", 0).readyWhen("schemas", registry::problem)) {
            String health = "http://127.0.0.1:" + endpoint.port();
            Reply up = call(health, "GET", "/health/ready", null);
            assertEquals(200, up.status(), String.valueOf(up.body()));
            assertEquals("ok", up.body().get("checks").get("schemas").asText());
            assertEquals(200, call(registry.url(), "POST", "/subjects/ready-value/versions", schemaBody(V1)).status());
            broker.close(); // and again, a no-op, after the registry's own close
            Reply down = call(health, "GET", "/health/ready", null);
            assertEquals(503, down.status(), String.valueOf(down.body()));
            assertTrue(down.body().get("checks").get("schemas").asText().contains("broker"), String.valueOf(down.body()));
            assertEquals(List.of("ready-value"), call(registry.url(), "GET", "/subjects", null).list(), "reads answer from memory");
        }
    }
}
