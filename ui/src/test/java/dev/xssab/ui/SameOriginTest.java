package dev.xssab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-site request forgery on a real server: an unsafe request whose Origin is another origin,
 * or whose Sec-Fetch-Site says it comes from another site, is refused with the reason, with valid
 * credentials and on the login form too; the UI's own pages, the user's own navigation and
 * scripts (neither header) pass, and so does a GET from anywhere.
 */
class SameOriginTest {
    private static final String REPLAY = "/api/rejections/replay?partition=0&offset=0";
    private static final String REFUSED = "{\"error\":\"cross-origin request refused\"}";

    @TempDir
    Path tmp;

    @Test
    void unsafeRequestsFromAnotherOriginAreRefused() throws Exception {
        try (AuthServer server = new AuthServer(tmp)) {
            String own = server.base();
            assertAnswer(server, replay(server, "Origin", "http://localhost:" + server.app.port()), 403, REFUSED);
            assertAnswer(server, replay(server, "Origin", "https://127.0.0.1:" + server.app.port()), 403, REFUSED);
            assertAnswer(server, replay(server, "Origin", "null"), 403, REFUSED);
            assertAnswer(server, replay(server, "Sec-Fetch-Site", "cross-site"), 403, REFUSED);
            assertAnswer(server, replay(server, "Sec-Fetch-Site", "same-site"), 403, REFUSED);
            assertAnswer(server, replay(server, "Origin", own).header("Sec-Fetch-Site", "cross-site"), 403, REFUSED);
            assertAnswer(server, server.request("/login", null).header("Origin", "http://evil.example")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("user=operator&password=pw-operator")), 403, REFUSED);

            assertAnswer(server, replay(server, "Origin", own), 200, "replayed");
            assertAnswer(server, replay(server, "Origin", own).header("Sec-Fetch-Site", "same-origin"), 200, "replayed");
            assertAnswer(server, replay(server, "Sec-Fetch-Site", "none"), 200, "replayed");
            assertAnswer(server, server.request(REPLAY, "operator").POST(HttpRequest.BodyPublishers.noBody()), 200, "replayed");
            assertAnswer(server, server.request("/api/models", "viewer").header("Origin", "http://evil.example")
                    .header("Sec-Fetch-Site", "cross-site"), 200, "models");
        }
    }

    private static HttpRequest.Builder replay(AuthServer server, String header, String value) {
        return server.request(REPLAY, "operator").header(header, value).POST(HttpRequest.BodyPublishers.noBody());
    }

    private static void assertAnswer(AuthServer server, HttpRequest.Builder request, int status, String body) throws Exception {
        HttpResponse<String> r = server.send(request);
        String what = request.build().method() + " " + request.build().headers().map();
        assertEquals(status, r.statusCode(), what + ": " + r.body());
        assertEquals(body, r.body(), what);
    }
}
