package dev.xssab.ui;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The health page: asks each service's /health/ready and reports what it said, or that it did
 * not answer (the browser cannot ask the services itself: they are not exposed to it).
 */
final class HealthController {
    private static final ObjectMapper BODIES = new ObjectMapper();

    /**
     * A service's readiness. An answer fills {@code checks}, {@code consumerLag} and
     * {@code requestsPerSecond}; no answer fills {@code error}; what is not filled is left out.
     */
    record ServiceHealth(String service, String url, boolean ready, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode checks,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double consumerLag,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double requestsPerSecond,
            @JsonInclude(JsonInclude.Include.NON_NULL) String error) {}

    private final Map<String, URI> services;
    private final HttpClient http;

    HealthController(Map<String, URI> services, HttpClient http) {
        this.services = services;
        this.http = http;
    }

    /** GET /api/health. */
    void health(Context ctx) {
        List<ServiceHealth> out = new ArrayList<>();
        services.forEach((service, url) -> out.add(ask(service, url)));
        ctx.json(out);
    }

    private ServiceHealth ask(String service, URI url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = BODIES.readTree(r.body());
            return new ServiceHealth(service, url.toString(), r.statusCode() == 200, body.path("checks"),
                    body.path("consumerLag").asDouble(), body.path("requestsPerSecond").asDouble(), null);
        } catch (IOException e) {
            return new ServiceHealth(service, url.toString(), false, null, null, null, "no answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ServiceHealth(service, url.toString(), false, null, null, null, null);
        }
    }
}
