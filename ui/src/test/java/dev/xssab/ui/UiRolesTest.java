package dev.xssab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each role on a real server: a viewer gets no face (403 with the reason), an auditor gets faces
 * but may not replay, an operator may do both; GET /api/me names the user and the role.
 */
class UiRolesTest {
    private static final String FACE = "/api/requests/r1/probe/face.png";
    private static final String REPLAY = "/api/rejections/replay?partition=0&offset=0";

    @TempDir
    Path tmp;

    @Test
    void eachRoleGetsWhatItCoversAndAReasonForTheRest() throws Exception {
        try (AuthServer server = new AuthServer(tmp)) {
            assertAnswer(server, server.request(FACE, "viewer"), 403, "{\"error\":\"role viewer may not see faces or maps\"}");
            assertAnswer(server, server.request("/api/models", "viewer"), 200, "models");
            assertAnswer(server, server.request(REPLAY, "viewer").POST(HttpRequest.BodyPublishers.noBody()), 403,
                    "{\"error\":\"role viewer may not replay rejections\"}");
            assertAnswer(server, server.request(FACE, "auditor"), 200, "png");
            assertAnswer(server, server.request(REPLAY, "auditor").POST(HttpRequest.BodyPublishers.noBody()), 403,
                    "{\"error\":\"role auditor may not replay rejections\"}");
            assertAnswer(server, server.request(FACE, "operator"), 200, "png");
            assertAnswer(server, server.request(REPLAY, "operator").POST(HttpRequest.BodyPublishers.noBody()), 200, "replayed");
            assertAnswer(server, server.request("/api/me", "auditor"), 200, "{\"user\":\"auditor\",\"role\":\"auditor\"}");
            assertAnswer(server, server.request(FACE, null), 401, "authentication required");
        }
    }

    @Test
    void aSessionKeepsTheRoleOfWhoLoggedIn() throws Exception {
        try (AuthServer server = new AuthServer(tmp)) {
            HttpResponse<String> login = server.send(server.request("/login", null).header("Content-Type",
                    "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("user=viewer&password=pw-viewer")));
            assertEquals(302, login.statusCode(), login.body());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            assertAnswer(server, server.request("/api/me", null).header("Cookie", cookie), 200,
                    "{\"user\":\"viewer\",\"role\":\"viewer\"}");
            assertAnswer(server, server.request(FACE, null).header("Cookie", cookie), 403,
                    "{\"error\":\"role viewer may not see faces or maps\"}");
        }
    }

    private static void assertAnswer(AuthServer server, HttpRequest.Builder request, int status, String body) throws Exception {
        HttpResponse<String> r = server.send(request);
        String what = request.build().method() + " " + request.build().uri().getPath();
        assertEquals(status, r.statusCode(), what + ": " + r.body());
        assertEquals(body, r.body(), what);
    }
}
