package dev.xssab.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The meters for what the services decide. Their names are the interface of dashboards and
 * alerts (Prometheus adds {@code _total}, {@code _seconds} and the like): keep them.
 *
 * <ul>
 *   <li>{@code xssab_requests_total{stage,outcome}}, outcome accepted or rejected</li>
 *   <li>{@code xssab_rejections_total{reason}}</li>
 *   <li>{@code xssab_decisions_total{model,decision}}</li>
 *   <li>{@code xssab_batch_size} (summary)</li>
 *   <li>{@code xssab_model_seconds{model,kind}} (histogram; kind score or explain)</li>
 *   <li>{@code xssab_preprocess_seconds{step}} (histogram; decode, detect, landmarks, align)</li>
 *   <li>{@code xssab_decision_latency_seconds} (histogram, request submitted to result produced)</li>
 *   <li>{@code xssab_client_restarts_total}</li>
 * </ul>
 */
public final class XssabMetrics {
    private final MeterRegistry registry;
    private final RateWindow requests = new RateWindow(Duration.ofMinutes(1), 12);

    public XssabMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters that go nowhere: for tests and one-off commands. */
    public static XssabMetrics unregistered() {
        return new XssabMetrics(new SimpleMeterRegistry());
    }

    /** A request left {@code stage} (gateway, explainer) accepted or rejected. */
    public void request(String stage, boolean accepted) {
        Counter.builder("xssab.requests").description("Requests handled, by stage and outcome")
                .tag("stage", stage).tag("outcome", accepted ? "accepted" : "rejected").register(registry).increment();
        requests.add(1);
    }

    public void rejection(String reason) {
        Counter.builder("xssab.rejections").description("Rejections by reason code").tag("reason", reason)
                .register(registry).increment();
    }

    public void decision(String model, String decision) {
        Counter.builder("xssab.decisions").description("Decisions by model").tag("model", model).tag("decision", decision)
                .register(registry).increment();
    }

    public void batchSize(int pairs) {
        DistributionSummary.builder("xssab.batch.size").description("Pairs per model call").register(registry).record(pairs);
    }

    /** @param kind score or explain */
    public void modelTime(String model, String kind, long nanos) {
        Timer.builder("xssab.model").description("Model time per call").tag("model", model).tag("kind", kind)
                .publishPercentileHistogram().register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** @param step decode, detect, landmarks or align */
    public void preprocessTime(String step, long nanos) {
        Timer.builder("xssab.preprocess").description("Preprocessing time per image and step").tag("step", step)
                .publishPercentileHistogram().register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void decisionLatency(Duration submittedToResult) {
        Timer.builder("xssab.decision.latency").description("From the request's submit time to its result")
                .publishPercentileHistogram().register(registry).record(submittedToResult.isNegative() ? Duration.ZERO
                        : submittedToResult);
    }

    public void clientRestart() {
        Counter.builder("xssab.client.restarts").description("Kafka clients closed and reopened after a failure")
                .register(registry).increment();
    }

    /** Requests per second over the last minute, as the status table shows it. */
    public double requestsPerSecond() {
        return requests.perSecond();
    }
}
