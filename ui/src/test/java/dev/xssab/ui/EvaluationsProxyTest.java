package dev.xssab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xssab.broker.LoopbackPorts;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The evaluations API passes the aggregates' 200 through and turns anything else into a 502 with a reason. */
class EvaluationsProxyTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aggregatesDownOrRefusingIsABadGatewayNotAServerError() throws Exception {
        Javalin aggregates = Javalin.create().get("/aggregates", ctx -> ctx.status(401).result("who are you")).start("127.0.0.1", 0);
        int nobody = LoopbackPorts.unused();
        try {
            assertEquals("502 {\"error\":\"the aggregates service at http://127.0.0.1:" + aggregates.port() + " answered 401\"}",
                    get(URI.create("http://127.0.0.1:" + aggregates.port())));
            assertEquals("502 {\"error\":\"the aggregates service at http://127.0.0.1:" + nobody + " does not answer: ConnectException\"}",
                    get(URI.create("http://127.0.0.1:" + nobody)));
        } finally {
            aggregates.stop();
        }
    }

    @Test
    void theAggregatesAnswerPassesThrough() throws Exception {
        Javalin aggregates = Javalin.create().get("/aggregates", ctx -> ctx.json(java.util.Map.of("runs", 2))).start("127.0.0.1", 0);
        try {
            assertEquals("200 {\"runs\":2}", get(URI.create("http://127.0.0.1:" + aggregates.port())));
        } finally {
            aggregates.stop();
        }
    }

    private String get(URI aggregatesAt) throws Exception {
        Javalin ui = Javalin.create().get("/api/evaluations", new EvaluationsController(aggregatesAt, http)::evaluations)
                .start("127.0.0.1", 0);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ui.port() + "/api/evaluations"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } finally {
            ui.stop();
        }
    }
}
