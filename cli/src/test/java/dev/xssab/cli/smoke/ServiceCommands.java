package dev.xssab.cli.smoke;

import static dev.xssab.cli.smoke.SmokeChecks.get;
import static dev.xssab.cli.smoke.SmokeChecks.json;
import static dev.xssab.cli.smoke.SmokeChecks.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xssab.schemas.Topics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.function.Executable;

/**
 * The smoke IT's long-running commands, after the one-shot ones: each shows that it did its job
 * while the other commands ran, then stops on SIGTERM and must exit cleanly, the broker last.
 */
final class ServiceCommands {
    /** The JVM's exit code after a SIGTERM whose shutdown hooks ran to their end (ServiceRunner's, Kafka's). */
    static final int SIGTERM_EXIT = 143;
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);

    private final CommandSmokeIT it;

    ServiceCommands(CommandSmokeIT it) {
        this.it = it;
    }

    void addTo(Map<String, Executable> e) {
        e.put("ui", this::ui);
        e.put("aggregates", this::aggregates);
        e.put("explainer", () -> stopsCleanlyAfter("explainer", metrics -> assertTrue(metric(metrics, "xssab_decisions_total",
                "decision=\"MATCH\"") >= 1, "the explainer counted the decisions it made")));
        e.put("gateway", () -> stopsCleanlyAfter("gateway", metrics -> assertTrue(metric(metrics, "xssab_requests_total",
                "outcome=\"accepted\"") >= 1, "the gateway counted the requests it accepted")));
        e.put("audit run", () -> stopsCleanlyAfter("audit", metrics -> assertTrue(child("audit").logText().contains("audit sink: "),
                "the sink said what it consumes")));
        e.put("registry", this::registry);
        e.put("broker", this::broker);
    }

    private ServiceChild child(String name) {
        return it.stack.children.get(name);
    }

    /** GET /api/health answers 401 without a user, and with one lists every smoke service as ready. */
    private void ui() throws Exception {
        it.stack.awaitReady();
        String api = "http://127.0.0.1:" + it.stack.uiPort + "/api/health";
        assertEquals(401, get(api, null).statusCode(), "the UI's API needs a user");
        HttpResponse<String> health = get(api, it.stack.uiUser);
        assertEquals(200, health.statusCode(), health.body());
        Set<String> ready = Set.copyOf(StreamSupport.stream(json(health.body()).spliterator(), false)
                .filter(s -> s.get("ready").asBoolean()).map(s -> s.get("service").asText()).toList());
        assertEquals(it.stack.metricsPorts.keySet(), ready, "every service ready on the UI's health page: " + health.body());
        stopCleanly(child("ui"));
    }

    /** The evaluation's cells over HTTP, as the UI's curves read them. */
    private void aggregates() throws Exception {
        it.stack.awaitReady();
        HttpResponse<String> cells = get("http://127.0.0.1:" + it.stack.aggregatesHttpPort + "/aggregates/" + ClusterCommands.RUN, null);
        assertEquals(200, cells.statusCode(), cells.body());
        assertTrue(json(cells.body()).size() > 0, "cells of " + ClusterCommands.RUN + ": " + cells.body());
        stopsCleanlyAfter("aggregates", metrics -> { });
    }

    /** The schemas every service registered, in the _schemas topic behind it. */
    private void registry() throws Exception {
        it.stack.awaitReady();
        JsonNode subjects = json(get(it.stack.registryUrl() + "/subjects", null).body());
        assertTrue(subjects.toString().contains(Topics.RESULTS + "-value"), "the results' schema is registered: " + subjects);
        readyNow("registry");
        stopCleanly(child("registry"));
    }

    /** The topics the services and commands made exist on it. */
    private void broker() throws Exception {
        it.stack.awaitReady();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, it.stack.bootstrap()))) {
            Set<String> topics = admin.listTopics().names().get();
            assertTrue(topics.containsAll(Set.of(Topics.REQUESTS, Topics.RESULTS, Topics.EXPLANATIONS, Topics.AGGREGATES)),
                    topics.toString());
        }
        assertTrue(child("broker").logText().contains("Kafka broker on 127.0.0.1:" + it.stack.brokerPort + " (PLAINTEXT)"),
                child("broker").logTail());
        stopCleanly(child("broker"));
    }

    private interface MetricsCheck {
        void check(String prometheusText);
    }

    /** Ready now, its /metrics as {@code check} wants, then SIGTERM and a clean exit. */
    private void stopsCleanlyAfter(String name, MetricsCheck check) throws Exception {
        it.stack.awaitReady();
        readyNow(name);
        HttpResponse<String> metrics = get("http://127.0.0.1:" + it.stack.metricsPorts.get(name) + "/metrics", null);
        assertEquals(200, metrics.statusCode(), name + " /metrics");
        check.check(metrics.body());
        stopCleanly(child(name));
    }

    private void readyNow(String name) {
        HttpResponse<String> ready = get("http://127.0.0.1:" + it.stack.metricsPorts.get(name) + "/health/ready", null);
        assertEquals(200, ready.statusCode(), name + " ready: " + ready.body());
    }

    /** SIGTERM (Process.destroy) and the exit code of a JVM whose shutdown hooks finished, within the grace period. */
    private static void stopCleanly(ServiceChild child) throws InterruptedException {
        assertTrue(child.process().isAlive(), child + " still running when it is stopped; " + child.logTail());
        child.process().destroy();
        Integer code = child.awaitExit(STOP_GRACE);
        assertNotNull(code, child + " still running " + STOP_GRACE.toSeconds() + " s after SIGTERM; " + child.logTail());
        assertEquals(SIGTERM_EXIT, code, child + " exited with " + code + " on SIGTERM; " + child.logTail());
    }
}
