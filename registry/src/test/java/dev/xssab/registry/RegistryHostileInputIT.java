package dev.xssab.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xssab.registry.testing.KafkaWithRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input to the real registry over the in-JVM broker: traversal and very long ids, big
 * bodies and headers, wrong content types, invalid and deeply nested JSON, invalid and deeply
 * nested Avro, unknown methods and malformed request lines. Each answers a 4xx whose body is one
 * line (Confluent's error JSON where the registry answers, no HTML page from Jetty), and after
 * each, {@code GET /subjects} still answers 200. Content types that Confluent's clients and the
 * project's own send still register.
 */
class RegistryHostileInputIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String V1 = "{\"type\":\"record\",\"name\":\"Hostile\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    /** A case whose exact 4xx does not matter (Jetty's 400 or 431, Confluent's 404 or 422): only that it is one. */
    private static final int ANY_4XX = 0;
    private static KafkaWithRegistry kafka;

    /** An answer: its status (-1 when the server closed without one) and body. */
    record Answer(int status, String body) {}

    /** A request and the status it must get. */
    record Case(String label, int expected, Request request) {}

    @FunctionalInterface
    interface Request {
        Answer send() throws Exception;
    }

    @BeforeAll
    static void start() {
        kafka = KafkaWithRegistry.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    /** Records nested {@code depth} deep: four JSON levels each (record, fields, field, type). */
    static String nestedRecords(int depth) {
        StringBuilder schema = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            schema.append("{\"type\":\"record\",\"name\":\"R").append(i).append("\",\"fields\":[{\"name\":\"f\",\"type\":");
        }
        schema.append("\"int\"");
        schema.append("}]}".repeat(depth));
        return schema.toString();
    }

    /** Arrays of arrays {@code depth} deep: one JSON level each. */
    static String nestedArrays(int depth) {
        return "{\"type\":\"array\",\"items\":".repeat(depth) + "\"int\"" + "}".repeat(depth);
    }

    static List<Case> pathCases() {
        List<Case> cases = new ArrayList<>();
        for (String path : List.of("/subjects/..%2f..%2fetc%2fpasswd/versions", "/subjects/%2e%2e/versions", "/subjects/.%2e/versions/1",
                "/subjects/%252e%252e%252f/versions", "/schemas/ids/..%2f1", "/schemas/ids/%2e%2e", "/schemas/ids/" + "9".repeat(10_000),
                "/subjects/" + "s".repeat(10_000) + "/versions", "/subjects/x/versions/" + "1".repeat(10_000), "/subjects/%00/versions",
                "/schemas/ids/-1", "/schemas/ids/2147483648", "/subjects/x/versions/-2", "/config/%ff%fe", "/subjects/x/versions/%zz",
                "/nope/../../etc/passwd", "/subjects/" + "u".repeat(100_000))) {
            cases.add(new Case("GET " + abbreviated(path), ANY_4XX, () -> raw("GET " + path + " HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n")));
        }
        return cases;
    }

    static List<Case> bodyCases() {
        List<Case> cases = new ArrayList<>();
        String register = "/subjects/hostile-value/versions";
        cases.add(new Case("a 2 MB body", ANY_4XX, () -> send("POST", register, RegistryJson.CONTENT_TYPE, schemaBody("x".repeat(2_000_000)))));
        for (String type : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                "text/html", "application/jsonx", "image/png")) {
            for (String path : List.of(register, "/subjects/hostile-value", "/compatibility/subjects/hostile-value/versions/latest")) {
                cases.add(new Case("POST " + path + " as " + type, 415, () -> send("POST", path, type, schemaBody(V1))));
            }
            cases.add(new Case("PUT /config as " + type, 415, () -> send("PUT", "/config", type, "{\"compatibility\":\"NONE\"}")));
        }
        for (String body : List.of("{", "null", "[]", "\"text\"", "123", "{\"schema\":", "{\"schema\":null}", "{\"schema\":{}}",
                "[".repeat(2000) + "]".repeat(2000), "{\"a\":".repeat(2000) + "1" + "}".repeat(2000), "\u0000\u0001", "{\"schema\":\"\\ud800\"}")) {
            cases.add(new Case("POST JSON " + abbreviated(body), ANY_4XX, () -> send("POST", register, RegistryJson.CONTENT_TYPE, body)));
            cases.add(new Case("PUT /config JSON " + abbreviated(body), ANY_4XX, () -> send("PUT", "/config/hostile-value",
                    RegistryJson.CONTENT_TYPE, body)));
        }
        for (String schema : List.of("{\"type\":\"nope\"}", "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"f\",\"type\":\"int\","
                + "\"default\":\"x\"}]}", "{\"type\":\"record\",\"name\":\"1bad\",\"fields\":[]}",
                "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"a\",\"a\"]}", nestedRecords(900), nestedRecords(240), nestedArrays(990),
                nestedArrays(RegistryJson.MAX_SCHEMA_DEPTH + 1), "[".repeat(2000) + "]".repeat(2000))) {
            cases.add(new Case("register Avro " + abbreviated(schema), ANY_4XX, () -> send("POST", register, RegistryJson.CONTENT_TYPE,
                    schemaBody(schema))));
            cases.add(new Case("test compatibility of Avro " + abbreviated(schema), ANY_4XX, () -> send("POST",
                    "/compatibility/subjects/hostile-value/versions/latest", RegistryJson.CONTENT_TYPE, schemaBody(schema))));
        }
        cases.add(new Case("schemaType PROTOBUF", ANY_4XX, () -> send("POST", register, RegistryJson.CONTENT_TYPE,
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}")));
        return cases;
    }

    static List<Case> rawCases() {
        List<Case> cases = new ArrayList<>();
        for (String method : List.of("FOO", "TRACE", "DELETE", "PATCH", "OPTIONS", "CONNECT", "PROPFIND", "BREW")) {
            cases.add(new Case(method + " /subjects", ANY_4XX, () -> raw(method + " /subjects HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
        }
        cases.add(new Case("PUT /subjects (a GET route)", ANY_4XX, () -> raw("PUT /subjects HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n")));
        cases.add(new Case("a request line with no path", ANY_4XX, () -> raw("GARBAGE\r\n\r\n")));
        // Jetty's parser answers 505 HTTP Version Not Supported itself (RFC 9110): the one 5xx, a protocol answer, not a failure.
        cases.add(new Case("HTTP/9.9", 505, () -> raw("GET /subjects HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n")));
        cases.add(new Case("no Host header", ANY_4XX, () -> raw("GET /subjects HTTP/1.1\r\nConnection: close\r\n\r\n")));
        cases.add(new Case("a Content-Length that is no number", ANY_4XX, () -> raw("POST /subjects/x/versions HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: abc\r\nConnection: close\r\n\r\n{}")));
        cases.add(new Case("two Content-Lengths", ANY_4XX, () -> raw("POST /subjects/x/versions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                + "Content-Length: 3\r\nConnection: close\r\n\r\n{}")));
        cases.add(new Case("a 64 KB header", ANY_4XX, () -> raw("GET /subjects HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(64 * 1024)
                + "\r\nConnection: close\r\n\r\n")));
        cases.add(new Case("300 headers", ANY_4XX, () -> raw("GET /subjects HTTP/1.1\r\nHost: x\r\n" + ("X-Few: " + "f".repeat(30) + "\r\n")
                .repeat(300) + "Connection: close\r\n\r\n")));
        cases.add(new Case("a control character in the path", ANY_4XX, () -> raw("GET /sub\u0001jects HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n")));
        cases.add(new Case("a raw ../ path", ANY_4XX, () -> raw("GET /subjects/../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
        cases.add(new Case("an absolute URI to elsewhere", ANY_4XX, () -> raw("GET http://example.com/nope HTTP/1.1\r\nHost: example.com\r\n"
                + "Connection: close\r\n\r\n")));
        return cases;
    }

    @Test
    void everyHostileRequestIsAOneLine4xxAndTheRegistryKeepsServing() throws Exception {
        List<Case> cases = new ArrayList<>(pathCases());
        cases.addAll(bodyCases());
        cases.addAll(rawCases());
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Answer answer = c.request().send();
            String body = answer.body().trim();
            if ((answer.status() < 400 || answer.status() > 499) && answer.status() != c.expected()) {
                failures.add(c.label() + ": " + answer.status() + " " + abbreviated(body));
            } else if (c.expected() != ANY_4XX && answer.status() != c.expected()) {
                failures.add(c.label() + ": " + answer.status() + " (expected " + c.expected() + ") " + abbreviated(body));
            } else if (!isOneLineConfluentError(body)) {
                failures.add(c.label() + ": " + answer.status() + " not Confluent's one-line error: " + abbreviated(body));
            }
            int after = send("GET", "/subjects", null, null).status();
            if (after != 200) {
                failures.add(c.label() + ": the next GET /subjects answered " + after);
            }
        }
        System.out.println("RegistryHostileInputIT: " + cases.size() + " hostile cases sent to the registry, " + failures.size()
                + " answered otherwise");
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + ":\n" + String.join("\n", failures));
    }

    /** One line of {@code {"error_code":..., "message":...}}, with no stack trace in it. */
    private static boolean isOneLineConfluentError(String body) {
        try {
            var json = JSON.readTree(body);
            return !body.contains("\n") && !body.contains("\tat ") && json.size() == 2 && json.path("error_code").isInt()
                    && json.path("message").asText().length() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** What Confluent's clients send (its RestService: the v1 type), what others send, and no type at all: all register. */
    @Test
    void theContentTypesOfConfluentsAndOurClientsStillRegister() throws Exception {
        List<String> types = new ArrayList<>(List.of(RegistryJson.CONTENT_TYPE, "application/vnd.schemaregistry+json", "application/json",
                "application/octet-stream", "application/json; charset=utf-8", "Application/JSON", "application/vnd.schemaregistry.v1+json; qs=0.9"));
        types.add(null);
        for (String type : types) {
            Answer answer = send("POST", "/subjects/content-types-value/versions", type, schemaBody(V1));
            assertEquals(200, answer.status(), type + ": " + answer.body());
            assertEquals(200, send("PUT", "/config/content-types-value", type, "{\"compatibility\":\"FULL\"}").status(), type);
        }
        System.out.println("RegistryHostileInputIT: " + types.size() + " accepted content types registered");
        Answer deepest = send("POST", "/subjects/deepest-value/versions", null, schemaBody(nestedArrays(RegistryJson.MAX_SCHEMA_DEPTH)));
        assertEquals(200, deepest.status(), "the depth cap is not lower than it says: " + deepest.body());
    }

    private static Answer send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(kafka.registryUrl() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** One raw request on its own connection: what a client that is not a browser can send. */
    private static Answer raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", URI.create(kafka.registryUrl()).getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(UTF_8));
            out.flush();
            String reply = readUntilClosedOrQuiet(socket.getInputStream());
            int end = reply.indexOf("\r\n\r\n");
            if (!reply.startsWith("HTTP/1.1 ") || end < 0) {
                return new Answer(-1, reply);
            }
            String head = reply.substring(0, end).toLowerCase(java.util.Locale.ROOT);
            String body = reply.substring(end + 4);
            return new Answer(Integer.parseInt(reply.substring(9, 12)), head.contains("transfer-encoding: chunked") ? dechunked(body) : body);
        }
    }

    /** What the server sent until it closed, or until it sent nothing for 5 s (it may keep a CONNECT open). */
    private static String readUntilClosedOrQuiet(InputStream in) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                reply.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // quiet: what came is the answer
        }
        return reply.toString(UTF_8);
    }

    private static String dechunked(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return body.toString();
    }

    private static String abbreviated(String text) {
        String flat = text.replace("\n", "\\n");
        return flat.length() <= 80 ? flat : flat.substring(0, 80) + "... (" + flat.length() + " characters)";
    }
}
