package dev.xssab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.audit.AuditStore;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request page's API on a real (embedded, empty) audit store: an id no stage would accept, a
 * picture that does not exist and an unknown request each get a one-line reason, never an empty
 * body or a 500.
 */
class RequestPathsTest {
    @TempDir
    Path tmp;

    /** An explanation row as erasure leaves it: the scores kept, the payload gone, when and why stamped. */
    private static void storeAnExplanationWhoseImagesWereErased(Path dir, String id) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(AuditStore.embeddedUrl(dir), "sa", "");
                java.sql.PreparedStatement s = c.prepareStatement("INSERT INTO explanation (request_id, model_id, score, threshold,"
                        + " probe_s_plus, probe_s_minus, reference_s_plus, reference_s_minus, avro_fingerprint, avro_payload, stored_at,"
                        + " images_erased_at, images_erased_why) VALUES (?, 'fr_feature', 0.8, 0.43, 0.9, -0.1, 0.9, -0.1, 0, NULL,"
                        + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'by test')")) {
            s.setString(1, id);
            s.executeUpdate();
        }
    }

    @Test
    void badIdsAndUnknownPicturesAreRefusedWithAReason() throws Exception {
        try (AuditStore audit = AuditStore.open(AuditStore.embeddedUrl(tmp.resolve("audit")), "sa", "")) {
            RequestController controller = new RequestController(audit);
            Javalin app = Javalin.create().get("/api/requests/{id}", controller::request)
                    .get("/api/requests/{id}/{side}/{kind}", controller::image).start("127.0.0.1", 0);
            try {
                Map<String, Integer> cases = Map.of(
                        "/api/requests/" + "a".repeat(300), 400,
                        "/api/requests/" + "a".repeat(300) + "/probe/face.png", 400,
                        "/api/requests/r1/nose/face.png", 404,
                        "/api/requests/r1/probe/skull", 404,
                        "/api/requests/r1", 404,
                        "/api/requests/r1/probe/face.png", 404,
                        "/api/requests/..%2F..%2Fetc%2Fpasswd", 404,
                        "/api/requests/%2e%2e/probe/face", 404);
                HttpClient http = HttpClient.newHttpClient();
                for (var c : cases.entrySet()) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + c.getKey())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    String shown = c.getKey().length() > 60 ? c.getKey().substring(0, 60) + "..." : c.getKey();
                    assertEquals(c.getValue(), r.statusCode(), shown + ": " + r.body());
                    assertTrue(r.body().startsWith("{\"error\":"), shown + ": a reason, not an empty body: " + r.body());
                    assertFalse(r.body().contains("\n"), shown + ": one line");
                    assertTrue(r.body().length() < 200, shown + ": the reason, not the input echoed back");
                }
                System.out.println("request paths: " + cases.size() + " hostile cases");
                storeAnExplanationWhoseImagesWereErased(tmp.resolve("audit"), "erased-1");
                HttpResponse<String> gone = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                        + "/api/requests/erased-1/probe/face.png")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(410, gone.statusCode(), gone.body());
                assertTrue(gone.body().matches("\\{\"error\":\"the images of erased-1 were erased on .* \\(by test\\)\"}"), gone.body());
            } finally {
                app.stop();
            }
        }
    }
}
