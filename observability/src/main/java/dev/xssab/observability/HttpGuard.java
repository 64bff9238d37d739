package dev.xssab.observability;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every read-only JDK {@link HttpServer} of the services answers before its handler runs,
 * and instead of a failed handler: the JDK server routes by prefix and accepts any method, header
 * size and exception, so without this {@code /metricsfoo} is a page, {@code DELETE} a read, and an
 * exception in a handler a connection closed with no status.
 *
 * <p>In order: request headers over {@link #MAX_HEADER_BYTES} are 431; without accepted basic
 * credentials (when a check is set) 401; a path the context does not serve exactly is 404; a
 * method other than GET or HEAD is 405 with {@code Allow}; a GET or HEAD with a body is 400. A
 * handler's {@link IllegalArgumentException} is a 400 and any other {@link RuntimeException} a
 * logged 500. Every refusal is one line of text, never a stack trace.
 */
public final class HttpGuard extends Filter {
    /** The most header bytes (names and values) a request may carry: a browser sends about one. */
    public static final int MAX_HEADER_BYTES = 8 * 1024;
    /**
     * A refused request's body is read and dropped up to this much before the answer: a server that
     * closes on unread bytes resets the connection, and the client loses the answer with it.
     */
    static final int MAX_DISCARDED_BODY_BYTES = 8 * 1024 * 1024;
    /** A refusal quotes at most this much of what it refuses: a 10 000-character id is not echoed back. */
    static final int MAX_REASON_CHARS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);
    private static final Set<String> METHODS = Set.of("GET", "HEAD");

    private final String description;
    private final Predicate<String> servedPath;
    private final Predicate<BasicCredentials> credentials;
    private final String realm;

    private HttpGuard(String description, Predicate<String> servedPath, Predicate<BasicCredentials> credentials, String realm) {
        this.description = description;
        this.servedPath = servedPath;
        this.credentials = credentials;
        this.realm = realm;
    }

    /** A guard for a context that serves exactly these raw paths (none: everything is 404). */
    public static HttpGuard exact(String... paths) {
        Set<String> served = Set.of(paths);
        return new HttpGuard(String.join(", ", paths), served::contains, null, null);
    }

    /** A guard for a context that serves the raw paths {@code servedPath} accepts, described by {@code description}. */
    public static HttpGuard matching(String description, Predicate<String> servedPath) {
        return new HttpGuard(description, servedPath, null, null);
    }

    /** This guard, also requiring basic credentials that {@code accepted} accepts (401 with {@code realm} otherwise). */
    public HttpGuard withBasicAuth(String realm, Predicate<BasicCredentials> accepted) {
        return new HttpGuard(description, servedPath, accepted, realm);
    }

    /** Serves {@code handler} under this guard at {@code prefix} of {@code server}. */
    public HttpContext serve(HttpServer server, String prefix, HttpHandler handler) {
        HttpContext context = server.createContext(prefix, handler);
        context.getFilters().add(this);
        return context;
    }

    /** A context at "/" that answers every path no other context serves with a one-line 404 (the JDK's own is HTML). */
    public HttpContext serveNotFound(HttpServer server) {
        return serve(server, "/", exchange -> refuse(exchange, 404, "not found: " + exchange.getRequestURI().getRawPath()));
    }

    @Override
    public String description() {
        return "exact paths (" + description + "), GET and HEAD only, headers within " + MAX_HEADER_BYTES + " bytes";
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        try (exchange) {
            if (refusal(exchange) != null) {
                return;
            }
            try {
                chain.doFilter(exchange);
            } catch (RuntimeException e) {
                answerFailure(exchange, e);
            }
        }
    }

    /** Answers the refusal of a request the handler must not see and says why, or null when it may. */
    private String refusal(HttpExchange exchange) throws IOException {
        Headers headers = exchange.getRequestHeaders();
        if (headerBytes(headers) > MAX_HEADER_BYTES) {
            return refuse(exchange, 431, "request headers larger than " + MAX_HEADER_BYTES + " bytes");
        }
        if (credentials != null && !BasicCredentials.fromHeader(headers.getFirst("Authorization")).filter(credentials).isPresent()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
            return refuse(exchange, 401, "unauthorized");
        }
        if (!servedPath.test(exchange.getRequestURI().getRawPath())) {
            return refuse(exchange, 404, "not found: " + exchange.getRequestURI().getRawPath());
        }
        if (!METHODS.contains(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            return refuse(exchange, 405, "method not allowed: " + exchange.getRequestMethod());
        }
        if (hasBody(headers)) {
            return refuse(exchange, 400, "a " + exchange.getRequestMethod() + " request carries no body");
        }
        return null;
    }

    private static int headerBytes(Headers headers) {
        int bytes = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                bytes += header.getKey().length() + value.length() + 4;
            }
        }
        return bytes;
    }

    private static boolean hasBody(Headers headers) {
        String length = headers.getFirst("Content-Length");
        return headers.containsKey("Transfer-Encoding") || length != null && !"0".equals(length.trim());
    }

    private void answerFailure(HttpExchange exchange, RuntimeException e) throws IOException {
        String request = exchange.getRequestMethod() + " " + oneLine(exchange.getRequestURI().getRawPath());
        if (exchange.getResponseCode() != -1) {
            // Too late for a status: the handler has answered already, so the client sees a cut-off body.
            LOG.error("{} failed after its answer began", request, e);
        } else if (e instanceof IllegalArgumentException) {
            refuse(exchange, 400, "bad request: " + e.getMessage());
        } else {
            LOG.error("{} failed", request, e);
            refuse(exchange, 500, "internal error (logged)");
        }
    }

    /** Answers {@code status} with {@code reason} as one line of text, and returns the reason. */
    public static String refuse(HttpExchange exchange, int status, String reason) throws IOException {
        String line = oneLine(reason);
        discardBody(exchange);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        send(exchange, status, "text/plain; charset=utf-8", (line + "\n").getBytes(StandardCharsets.UTF_8));
        return line;
    }

    private static void discardBody(HttpExchange exchange) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        InputStream body = exchange.getRequestBody();
        long read = 0;
        int n = 0;
        while (n >= 0 && read < MAX_DISCARDED_BODY_BYTES) {
            n = body.read(buffer);
            read += Math.max(n, 0);
        }
    }

    /** Sends a whole answer; for HEAD only its headers, as the JDK server wants them (no length, no body). */
    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** {@code text} on one line and within {@link #MAX_REASON_CHARS}: control characters become spaces. */
    static String oneLine(String text) {
        String flat = String.valueOf(text).replaceAll("\\p{Cntrl}", " ");
        return flat.length() <= MAX_REASON_CHARS ? flat : flat.substring(0, MAX_REASON_CHARS) + "...";
    }
}
