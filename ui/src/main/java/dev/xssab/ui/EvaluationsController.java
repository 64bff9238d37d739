package dev.xssab.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The evaluations page's data: the aggregates service's GET /aggregates, passed through (its JSON
 * body as it is), since that service owns its shape.
 */
final class EvaluationsController {
    private final URI aggregates;
    private final HttpClient http;

    EvaluationsController(URI aggregates, HttpClient http) {
        this.aggregates = aggregates;
        this.http = http;
    }

    /**
     * GET /api/evaluations. The aggregates' own answer when it is a 200; otherwise a 502 saying
     * what the aggregates service did: its failure is not this page's 500, and its 401 or 404 must
     * not reach the browser as if the UI had said it.
     */
    void evaluations(Context ctx) throws InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(aggregates.resolve("/aggregates")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            ctx.status(HttpStatus.BAD_GATEWAY).json(new ApiError("the aggregates service at " + aggregates + " does not answer: "
                    + e.getClass().getSimpleName()));
            return;
        }
        if (r.statusCode() != 200) {
            ctx.status(HttpStatus.BAD_GATEWAY).json(new ApiError("the aggregates service at " + aggregates + " answered "
                    + r.statusCode()));
            return;
        }
        ctx.contentType("application/json").result(r.body());
    }
}
