package dev.xssab.observability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input to a real {@link ServiceEndpoint} on 127.0.0.1 (the same code serves /metrics and
 * /health of every service), and to handlers that fail or need credentials under {@link HttpGuard}
 * on a real JDK server: every case answers its 4xx with one line of text, never a stack trace, and
 * the server keeps serving. Failures are collected, then reported together with the case count.
 */
class HttpGuardTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("ops:secret".getBytes(UTF_8));
    private static ServiceEndpoint endpoint;
    private static HttpServer failing;

    /** An answer: its status (-1 when the server closed without one), headers as sent, body. */
    record Answer(int status, String head, String body) {}

    /** A request and the status it must get. */
    record Case(String label, int expected, Request request) {}

    @FunctionalInterface
    interface Request {
        Answer send(int port) throws Exception;
    }

    @BeforeAll
    static void start() throws IOException {
        endpoint = ServiceEndpoint.start("guard-test", "127.0.0.1", 0).readyWhen("fine", () -> null);
        failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        HttpGuard.exact("/bad").serve(failing, "/bad", e -> {
            throw new IllegalArgumentException("no such run: x\n\tat somewhere");
        });
        HttpGuard.exact("/boom").serve(failing, "/boom", e -> {
            throw new IllegalStateException("java.lang.IllegalStateException: secret detail\n\tat dev.xssab.Handler");
        });
        HttpGuard.exact("/private").withBasicAuth("test", c -> c.user().equals("ops") && c.password().equals("secret"))
                .serve(failing, "/private", e -> HttpGuard.send(e, 200, "text/plain", "ok".getBytes(UTF_8)));
        HttpGuard.exact().serveNotFound(failing);
        failing.start();
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        failing.stop(0);
    }

    static List<Case> endpointCases() {
        List<Case> cases = new ArrayList<>();
        for (String path : List.of("/metricsfoo", "/metrics/", "/health/live/x", "/health", "/", "/nope", "/metrics/../health/live",
                "/health/live/..%2fready", "/%2e%2e/metrics", "/health/%252e%252e/live", "/metrics%2f", "/" + "x".repeat(10_000),
                "/health/ready?" + "q".repeat(10_000), "/metrics%00", "/.%2e/.%2e/etc/passwd")) {
            int expected = path.startsWith("/health/ready?") ? 200 : 404;
            cases.add(new Case("GET " + abbreviated(path), expected, port -> get(port, path, "X-Test", "1")));
        }
        for (String method : List.of("FOO", "TRACE", "DELETE", "PUT", "POST", "OPTIONS", "PATCH", "CONNECT")) {
            cases.add(new Case(method + " /metrics", 405, port -> raw(port, method + " /metrics HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n")));
        }
        cases.add(new Case("POST /health/ready with a 2 MB body", 405, port -> send(port, "/health/ready", "POST",
                HttpRequest.BodyPublishers.ofString("x".repeat(2_000_000)), "Content-Type", "application/json")));
        cases.add(new Case("GET /metrics with a 64 KB header", 431, port -> get(port, "/metrics", "X-Big", "h".repeat(64 * 1024))));
        cases.add(new Case("GET /metrics with 100 headers of 100 bytes", 431, port -> raw(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n"
                + ("X-Many: " + "m".repeat(92) + "\r\n").repeat(100)
                + "Connection: close\r\n\r\n")));
        cases.add(new Case("GET /metrics with 300 small headers", 431, port -> raw(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n"
                + ("X-Few: " + "f".repeat(30) + "\r\n").repeat(300) + "Connection: close\r\n\r\n")));
        cases.add(new Case("GET /metrics with a 2 MB body", 400, port -> send(port, "/metrics", "GET",
                HttpRequest.BodyPublishers.ofString("x".repeat(2_000_000)))));
        cases.add(new Case("GET /health/live with a JSON body", 400, port -> raw(port, "GET /health/live HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")));
        cases.add(new Case("GET /health/live with invalid JSON, chunked", 400, port -> raw(port, "GET /health/live HTTP/1.1\r\n"
                + "Host: x\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1\r\n{\r\n0\r\n\r\n")));
        cases.add(new Case("GET /metrics with a 2000-deep JSON array", 400, port -> raw(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 4000\r\nConnection: close\r\n\r\n" + "[".repeat(2000) + "]".repeat(2000))));
        cases.add(new Case("a request line with no path", 400, port -> raw(port, "GARBAGE\r\n\r\n")));
        cases.add(new Case("a malformed escape in the path", 400, port -> raw(port, "GET /metrics/%zz HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n")));
        cases.add(new Case("a space in the path (the JDK reads /me)", 404, port -> raw(port, "GET /me trics HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n")));
        return cases;
    }

    static List<Case> failingCases() {
        return List.of(new Case("a handler's IllegalArgumentException", 400, port -> get(port, "/bad")),
                new Case("a handler's IllegalStateException", 500, port -> get(port, "/boom")),
                new Case("no credentials", 401, port -> get(port, "/private")),
                new Case("wrong credentials", 401, port -> get(port, "/private", "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString("ops:guess".getBytes(UTF_8)))),
                new Case("credentials that are not basic", 401, port -> get(port, "/private", "Authorization", "Bearer x")),
                new Case("the right credentials", 200, port -> get(port, "/private", "Authorization", AUTH)),
                new Case("the right credentials, the wrong method", 405, port -> raw(port, "DELETE /private HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: " + AUTH + "\r\nConnection: close\r\n\r\n")));
    }

    @Test
    void everyHostileRequestToAServiceEndpointIsAOneLine4xxAndItKeepsServing() throws Exception {
        List<String> failures = run(endpointCases(), endpoint.port());
        System.out.println("HttpGuardTest: " + endpointCases().size() + " hostile cases sent to a ServiceEndpoint, "
                + failures.size() + " answered otherwise");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        Answer allow = raw(endpoint.port(), "FOO /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(allow.head().contains("\r\nAllow: GET, HEAD\r\n"), allow.head());
        assertEquals(200, get(endpoint.port(), "/metrics").status(), "still serving");
        assertEquals(200, get(endpoint.port(), "/health/ready").status(), "still serving");
    }

    @Test
    void headIsAnsweredWithHeadersOnly() throws Exception {
        Answer head = raw(endpoint.port(), "HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(200, head.status(), head.head());
        assertEquals("", head.body());
    }

    @Test
    void failingHandlersAnswerOneLineAndCredentialsAreChecked() throws Exception {
        List<String> failures = run(failingCases(), failing.getAddress().getPort());
        System.out.println("HttpGuardTest: " + failingCases().size() + " cases sent to failing and guarded handlers, "
                + failures.size() + " answered otherwise");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        Answer refused = get(failing.getAddress().getPort(), "/private");
        assertTrue(refused.head().contains("Basic realm=\"test\""), refused.head());
        assertEquals("internal error (logged)", get(failing.getAddress().getPort(), "/boom").body().trim());
    }

    /** Sends every case, and after each a plain GET that must still succeed; returns what went wrong. */
    private static List<String> run(List<Case> cases, int port) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Answer answer = c.request().send(port);
            String body = answer.body().trim();
            if (answer.status() != c.expected()) {
                failures.add(c.label() + ": " + answer.status() + " (expected " + c.expected() + ") " + abbreviated(body));
            } else if (answer.status() >= 400 && (body.isEmpty() || body.contains("\n") || body.contains("\tat "))) {
                failures.add(c.label() + ": not one line: " + abbreviated(body));
            }
            int after = get(port, port == endpoint.port() ? "/health/live" : "/private", "Authorization", AUTH).status();
            if (after != 200) {
                failures.add(c.label() + ": the next GET answered " + after);
            }
        }
        return failures;
    }

    private static Answer get(int port, String path, String... headers) throws Exception {
        return send(port, path, "GET", HttpRequest.BodyPublishers.noBody(), headers);
    }

    private static Answer send(int port, String path, String method, HttpRequest.BodyPublisher body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, body);
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().map().toString(), r.body());
    }

    /** One raw request on its own connection: what a client that is not a browser can send. */
    static Answer raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), UTF_8);
            int end = reply.indexOf("\r\n\r\n");
            if (!reply.startsWith("HTTP/1.1 ") || end < 0) {
                return new Answer(-1, reply, "");
            }
            return new Answer(Integer.parseInt(reply.substring(9, 12)), reply.substring(0, end + 2), reply.substring(end + 4));
        }
    }

    static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "... (" + text.length() + " characters)";
    }
}
