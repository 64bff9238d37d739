package dev.xssab.explainer.stream;

import dev.xssab.explainer.PairScorer;
import dev.xssab.explainer.XssabEngine;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.LoopThread;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.ThresholdStore;
import dev.xssab.observability.Service;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.schemas.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An explainer instance as a service: the models it serves, each loaded once (its xSSAB engine
 * and, where {@link PairScorer#onnxRuntime} has one, the ONNX Runtime fast path), the live
 * thresholds (the thresholds topic, else the calibrated threshold, else the shipped default) and
 * the transactional {@link ExplainerLoop} between them. {@link #start} runs the loop on a thread
 * of its own; {@link #run} starts and waits, as {@code ServiceRunner} drives it.
 */
public final class ExplainerService implements Service, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExplainerService.class);
    /** How long the first decisions wait for the thresholds topic to be read once. */
    private static final Duration THRESHOLDS_CATCH_UP = Duration.ofSeconds(30);

    /**
     * What an instance serves and how it batches.
     *
     * @param models the models served, the default first; a request naming another is rejected as UNKNOWN_MODEL
     * @param groupId the explainers' consumer group; the transactional id is {@code groupId-instance}
     */
    public record Options(List<RecognitionModelSpec> models, String groupId, int instance, int maxBatch, Duration maxWait) {
        public Options {
            models = List.copyOf(models);
            if (models.isEmpty()) {
                throw new IllegalArgumentException("an explainer serves at least one model");
            }
        }
    }

    /**
     * Where the service connects.
     *
     * @param loop the loop's clients (the CLI's report to the service's meters)
     * @param thresholds the threshold table's, apart so that its follower does not count as the service's consumer
     */
    public record Connections(KafkaClients loop, KafkaClients thresholds, Topics topics) {
        /** One client factory for both. */
        public static Connections of(KafkaClients clients, Topics topics) {
            return new Connections(clients, clients, topics);
        }
    }

    private final Options options;
    private final List<ExplainerLoop.ServedModel> served;
    /** The engines, fast scorers and the threshold table, closed after the loop in reverse order. */
    private final List<AutoCloseable> opened;
    private final ThresholdTable thresholds;
    private final ExplainerLoop loop;
    private final LoopThread thread;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ExplainerService(Connections connections, Options options, List<ExplainerLoop.ServedModel> served,
            List<AutoCloseable> opened, ThresholdTable thresholds, XssabMetrics metrics) {
        this.options = options;
        this.served = List.copyOf(served);
        this.opened = opened;
        this.thresholds = thresholds;
        this.loop = new ExplainerLoop(new ExplainerLoopSettings(connections.loop(), options.groupId(),
                options.groupId() + "-" + options.instance(), options.maxBatch(), options.maxWait()), connections.topics(),
                this.served, thresholds, metrics);
        this.thread = new LoopThread("explainer-" + options.instance(), loop::run);
    }

    /**
     * Loads every model and opens the threshold table; nothing is consumed before {@link #start}.
     *
     * @param calibrated where a model's calibrated threshold is, used while the topic has none for it
     */
    public static ExplainerService load(Connections connections, ModelStore store, ThresholdStore calibrated, Options options,
            XssabMetrics metrics) throws IOException {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            List<ExplainerLoop.ServedModel> served = new ArrayList<>();
            for (RecognitionModelSpec spec : options.models()) {
                served.add(serve(spec, store, opened));
            }
            ThresholdTable thresholds = new ThresholdTable(connections.thresholds(), connections.topics(),
                    fallback(options.models(), calibrated));
            opened.add(thresholds);
            return new ExplainerService(connections, options, served, opened, thresholds, metrics);
        } catch (IOException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** One model: its engine, and the fast path beside it where there is one. */
    private static ExplainerLoop.ServedModel serve(RecognitionModelSpec spec, ModelStore store, List<AutoCloseable> opened)
            throws IOException {
        XssabEngine engine = XssabEngine.load(spec, store);
        opened.add(engine);
        PairScorer fast = PairScorer.onnxRuntime(spec, store).orElse(engine);
        if (fast != engine) {
            opened.add(fast);
        }
        return new ExplainerLoop.ServedModel(engine, fast);
    }

    /** A served model without a live threshold decides at its calibrated one; an unknown id at the default model's default. */
    private static ToDoubleFunction<String> fallback(List<RecognitionModelSpec> specs, ThresholdStore calibrated) {
        return model -> specs.stream().filter(m -> m.id().equals(model)).findFirst().map(calibrated::thresholdFor)
                .orElse(specs.get(0).defaultThreshold());
    }

    /** Reads the thresholds topic to its end once (so the first decisions use it), then starts the loop. */
    public void start() throws InterruptedException {
        if (!thresholds.awaitCaughtUp(THRESHOLDS_CATCH_UP)) {
            LOG.warn("the thresholds topic was not read to its end within {}; deciding at the fallbacks meanwhile", THRESHOLDS_CATCH_UP);
        }
        thread.start();
    }

    /** The readiness checks, by the names /health/ready shows: null when fine, else what is wrong. */
    public Map<String, ServiceEndpoint.Check> checks() {
        Map<String, ServiceEndpoint.Check> checks = new LinkedHashMap<>();
        checks.put("models", loop::modelsProblem);
        checks.put("partitions", this::partitionsProblem);
        checks.put("thresholds", thresholds::problem);
        return checks;
    }

    /** Why this instance cannot decide yet, or null when every model is open, it holds partitions and follows the thresholds. */
    public String ready() {
        String problem = loop.modelsProblem();
        if (problem == null) {
            problem = partitionsProblem();
        }
        return problem != null ? problem : thresholds.problem();
    }

    private String partitionsProblem() {
        String running = thread.problem("the explainer loop");
        if (running != null) {
            return running;
        }
        return loop.assignedPartitions() > 0 ? null : "no partition of " + Topics.ALIGNED_PAIRS + " assigned (yet)";
    }

    /** What the CLI prints at start: the instance, its device and its models. */
    public String describe() {
        return "explainer " + options.instance() + " on " + ((XssabEngine) served.get(0).explainer()).device() + ", models "
                + served.stream().map(ExplainerLoop.ServedModel::id).toList();
    }

    /** Starts, then waits until {@link #stop()}; a failure of the loop is thrown here. Closes the service either way. */
    @Override
    public boolean run() throws InterruptedException {
        try {
            start();
            thread.await();
            return false;
        } finally {
            close();
        }
    }

    /** Asks the loop to finish its batch and return; safe from any thread. */
    @Override
    public void stop() {
        loop.stop();
    }

    /** Stops the loop (waiting for its batch), then closes the threshold table and the models. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            loop.close();
            closeAll(opened);
        }
    }

    private static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", opened.get(i), e);
            }
        }
    }
}
