package dev.xssab.evaluator.aggregate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.config.Replication;
import dev.xssab.kafka.TopicAdmin;
import dev.xssab.registry.testing.KafkaWithRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input to the real aggregates service (its topology running on the in-JVM broker):
 * other paths, traversal, malformed escapes, big headers and bodies, and methods other than GET and
 * HEAD each answer a one-line 4xx, runs that are very long or hold traversal find no cell, and
 * {@code GET /aggregates} still answers 200 after each.
 */
class AggregatesHttpIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir static Path state;
    private static KafkaWithRegistry kafka;
    private static AggregatesService aggregates;

    /** A raw request line and headers (the body follows them) and the status it must get. */
    record Case(String label, int expected, String request) {}

    /** The status (-1 when the server closed without one) and the body. */
    record Answer(int status, String body) {}

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaWithRegistry.start();
        TopicAdmin.ensureTopics(kafka.clients(), kafka.topics(), 1, Replication.SINGLE_NODE);
        aggregates = new AggregatesService(kafka.clients(), kafka.topics(), Duration.ofDays(1),
                AggregatesTopology.streamsConfig("aggregates-http-it", state.toString(), Replication.SINGLE_NODE), "127.0.0.1", 0);
        aggregates.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (aggregates.ready() != null && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(null, aggregates.ready());
    }

    @AfterAll
    static void stop() {
        if (aggregates != null) {
            aggregates.close();
        }
        kafka.close();
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String path : List.of("/aggregatesX", "/aggregates/run/extra", "/aggregates/../metrics",
                "/aggregates/%2e%2e/x", "/", "/metrics", "/aggregates//", "*")) {
            cases.add(new Case("GET " + path, 404, get(path)));
        }
        for (String path : List.of("/aggregates/%zz", "/aggregates/%", "/aggregates/%e")) {
            cases.add(new Case("GET " + path + " (a malformed escape)", 400, get(path)));
        }
        // A run is only compared with the runs of the cells, never a file or a route: traversal in it finds no cell.
        for (String run : List.of("r".repeat(10_000), "..%2f..%2fetc", "%2e%2e", "%252e%252e%252fetc", "%00", "a+b%2Bc")) {
            cases.add(new Case("GET the run " + abbreviated(run), 200, get("/aggregates/" + run)));
        }
        for (String method : List.of("FOO", "TRACE", "DELETE", "PUT", "POST", "OPTIONS")) {
            cases.add(new Case(method + " /aggregates", 405, method + " /aggregates HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n"));
        }
        cases.add(new Case("POST a 2 MB JSON body", 405, "POST /aggregates HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2000000\r\nConnection: close\r\n\r\n" + "x".repeat(2_000_000)));
        cases.add(new Case("GET with a 2000-deep JSON body", 400, "GET /aggregates HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
                + "Content-Length: 4000\r\nConnection: close\r\n\r\n" + "[".repeat(2000) + "]".repeat(2000)));
        cases.add(new Case("GET with a 64 KB header", 431, "GET /aggregates HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(64 * 1024)
                + "\r\nConnection: close\r\n\r\n"));
        cases.add(new Case("a request line with no path", 400, "GARBAGE\r\n\r\n"));
        return cases;
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    }

    @Test
    void hostileRequestsAreOneLine4xxAndTheAggregatesKeepServing() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Case c : cases()) {
            Answer answer = raw(c.request());
            String body = answer.body().trim();
            if (answer.status() != c.expected()) {
                failures.add(c.label() + ": " + answer.status() + " (expected " + c.expected() + ") " + abbreviated(body));
            } else if (answer.status() == 200 && !body.equals("[]")) {
                failures.add(c.label() + ": found cells of no run: " + abbreviated(body));
            } else if (answer.status() >= 400 && (body.isEmpty() || body.contains("\n") || body.contains("\tat "))) {
                failures.add(c.label() + ": not one line: " + abbreviated(body));
            }
            HttpResponse<String> after = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + aggregates.port()
                    + "/aggregates")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (after.statusCode() != 200) {
                failures.add(c.label() + ": the next GET /aggregates answered " + after.statusCode());
            }
        }
        System.out.println("AggregatesHttpIT: " + cases().size() + " hostile cases sent to the aggregates service, " + failures.size()
                + " answered otherwise");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(new Answer(200, "[]"), raw(get("/aggregates/some%20run")), "a run that has no cells is an empty array");
    }

    private static Answer raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", aggregates.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), UTF_8);
            int end = reply.indexOf("\r\n\r\n");
            if (!reply.startsWith("HTTP/1.1 ") || end < 0) {
                return new Answer(-1, reply);
            }
            return new Answer(Integer.parseInt(reply.substring(9, 12)), reply.substring(end + 4));
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "... (" + text.length() + " characters)";
    }
}
