package dev.xssab.ui;

import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The evaluations page's data: the aggregates service's GET /aggregates, passed through as it
 * answered (status and JSON body), since that service owns its shape.
 */
final class EvaluationsController {
    private final URI aggregates;
    private final HttpClient http;

    EvaluationsController(URI aggregates, HttpClient http) {
        this.aggregates = aggregates;
        this.http = http;
    }

    /** GET /api/evaluations. */
    void evaluations(Context ctx) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(aggregates.resolve("/aggregates"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        ctx.contentType("application/json").status(r.statusCode()).result(r.body());
    }
}
