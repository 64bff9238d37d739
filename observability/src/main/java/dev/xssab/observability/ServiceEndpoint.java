package dev.xssab.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's HTTP endpoint: {@code GET /metrics} (Prometheus text), {@code GET /health/live}
 * (the process answers) and {@code GET /health/ready} (every readiness check passes; the body
 * names each check and what failed, 503 if any did). Bound to 127.0.0.1 unless configured.
 * Each path is served exactly and to GET and HEAD only ({@link HttpGuard}); any other is a one-line 404.
 */
public final class ServiceEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A readiness check: null when fine, else what is wrong. */
    @FunctionalInterface
    public interface Check {
        String problem() throws Exception;
    }

    private final String service;
    private final PrometheusMeterRegistry registry;
    private final XssabMetrics metrics;
    private final Map<String, Check> checks = new LinkedHashMap<>();
    private final HttpServer http;

    private ServiceEndpoint(String service, PrometheusMeterRegistry registry, HttpServer http) {
        this.service = service;
        this.registry = registry;
        this.metrics = new XssabMetrics(registry);
        this.http = http;
    }

    /** Starts serving now (ready answers 503 until the checks are added and pass). */
    public static ServiceEndpoint start(String service, String host, int port) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
        ServiceEndpoint endpoint = new ServiceEndpoint(service, registry, http);
        HttpGuard.exact("/metrics").serve(http, "/metrics", endpoint::metricsPage);
        HttpGuard.exact("/health/live").serve(http, "/health/live", e -> endpoint.send(e, 200, endpoint.status(true, Map.of())));
        HttpGuard.exact("/health/ready").serve(http, "/health/ready", endpoint::ready);
        HttpGuard.exact().serveNotFound(http);
        http.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, service + "-http");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        Gauge.builder("xssab.up", () -> 1).description("The service runs").register(registry);
        LOG.info("{}: metrics and health on http://{}:{}/", service, host, endpoint.port());
        return endpoint;
    }

    public XssabMetrics metrics() {
        return metrics;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Adds a readiness check; {@code /health/ready} passes when every one does. */
    public ServiceEndpoint readyWhen(String name, Check check) {
        synchronized (checks) {
            checks.put(name, check);
        }
        return this;
    }

    /** The largest consumer lag (records) any Kafka consumer of this process reports; 0 if none. */
    public double consumerLag() {
        double lag = 0;
        for (Meter m : registry.find("kafka.consumer.fetch.manager.records.lag.max").meters()) {
            for (var measurement : m.measure()) {
                if (!Double.isNaN(measurement.getValue())) {
                    lag = Math.max(lag, measurement.getValue());
                }
            }
        }
        return lag;
    }

    private void ready(HttpExchange e) throws IOException {
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, Check> snapshot;
        synchronized (checks) {
            snapshot = new LinkedHashMap<>(checks);
        }
        if (snapshot.isEmpty()) {
            problems.put("starting", "the service has not finished starting");
        }
        snapshot.forEach((name, check) -> {
            try {
                String problem = check.problem();
                problems.put(name, problem);
            } catch (Exception ex) {
                problems.put(name, ex.toString());
            }
        });
        boolean ok = problems.values().stream().allMatch(p -> p == null);
        send(e, ok ? 200 : 503, status(ok, problems));
    }

    private ObjectNode status(boolean ok, Map<String, String> checkResults) {
        ObjectNode body = JSON.createObjectNode();
        body.put("service", service);
        body.put("status", ok ? "UP" : "DOWN");
        ObjectNode c = body.putObject("checks");
        checkResults.forEach((name, problem) -> c.put(name, problem == null ? "ok" : problem));
        body.put("consumerLag", consumerLag());
        body.put("requestsPerSecond", metrics.requestsPerSecond());
        return body;
    }

    private void metricsPage(HttpExchange e) throws IOException {
        HttpGuard.send(e, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private void send(HttpExchange e, int status, ObjectNode body) throws IOException {
        HttpGuard.send(e, status, "application/json", JSON.writeValueAsBytes(body));
    }

    @Override
    public void close() {
        http.stop(0);
        registry.close();
    }
}
