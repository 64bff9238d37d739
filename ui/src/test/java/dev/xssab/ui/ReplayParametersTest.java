package dev.xssab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.kafka.KafkaClients;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replay names a rejection by partition and offset; what the caller gets wrong there is a 400
 * with the reason in one line (it was a NumberFormatException, answered 500). No broker is
 * needed: a bad parameter is refused before the dead-letter topic is read.
 */
class ReplayParametersTest {
    @Test
    void aMalformedPartitionOffsetOrReasonIsABadRequestWithItsReason() throws Exception {
        RejectionsController controller = new RejectionsController(new UiServer.Sources(KafkaClients.plaintext("127.0.0.1:9"), null,
                null, null, null, Map.of(), null));
        Javalin app = Javalin.create().post("/replay", controller::replay).get("/rejections", controller::rejections)
                .start("127.0.0.1", 0);
        try {
            HttpClient http = HttpClient.newHttpClient();
            List<String> bad = List.of("", "?offset=1", "?partition=x&offset=1", "?partition=-1&offset=1", "?partition=2147483648&offset=1",
                    "?partition=0", "?partition=0&offset=abc", "?partition=0&offset=-5", "?partition=0&offset=99999999999999999999",
                    "?partition=%00&offset=1", "?partition=0&offset=" + "9".repeat(3_000));
            for (String query : bad) {
                String shown = query.length() > 60 ? query.substring(0, 60) + "..." : query;
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/replay" + query))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(400, r.statusCode(), shown + ": " + r.body());
                assertTrue(r.body().contains("must be a whole number from 0 to"), shown + ": " + r.body());
                assertFalse(r.body().contains("\n"), shown + ": one line");
                assertTrue(r.body().length() < 200, shown + ": the reason, not the input echoed back");
            }
            // A replay reads only dead-letter topics: never another family's topic, whatever the caller names.
            List<String> notDeadLetters = List.of("xssab.verification-results", "xssab.explanations.by.client", "xssab.rejections.by.",
                    "xssab.rejectionsx", "..%2Fxssab.rejections", "_schemas", "");
            for (String topic : notDeadLetters) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/replay?topic="
                        + topic + "&partition=0&offset=0")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(400, r.statusCode(), topic + ": " + r.body());
                assertTrue(r.body().contains("topic must be xssab.rejections or a client's own"), topic + ": " + r.body());
            }
            for (String reason : List.of("NO_SUCH_REASON", "%27%20OR%201=1", "no_face")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/rejections?reason="
                        + reason)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(400, r.statusCode(), reason + ": " + r.body());
                assertEquals("{\"error\":\"reason must be one of GET /api/rejections/reasons\"}", r.body());
            }
            System.out.println("replay parameters: " + bad.size() + " malformed cases, " + notDeadLetters.size()
                    + " topics outside the dead-letter family and 3 unknown reasons, each 400");
        } finally {
            app.stop();
        }
    }
}
