package dev.xssab.explainer.stream;

import dev.xssab.explainer.PairExplainer;
import dev.xssab.explainer.PairScorer;
import dev.xssab.kafka.TransactionalBatchLoop;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.serde.SchemaRegistryUnavailableException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * aligned pairs -> [one batched model call per poll] -> results, explanations, rejections.
 *
 * <p>A plain transactional consume-transform-produce loop ({@link TransactionalBatchLoop}) rather
 * than Kafka Streams, because the unit of work is a batch: Streams processes record by record, and
 * a GPU (or the CPU's SIMD) wants one forward pass over many pairs. An instance may serve several
 * models: {@link PairBatchProcessor} splits a batch by the model each pair names, one forward pass
 * per model. Each batch's outputs and its input offsets commit in one transaction (read_committed
 * downstream), so a crash at any point yields, after restart, exactly one result per request. A
 * record that fails inside a batch is rejected alone.
 */
public final class ExplainerLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExplainerLoop.class);

    private final ExplainerLoopSettings settings;
    private final PairBatchProcessor processor;
    private final ExplainerRecords records;
    private final XssabMetrics metrics;
    private final TransactionalBatchLoop<String, byte[], byte[]> loop;
    private long batches;
    private long pairs;
    private long reopened;

    /**
     * One model an explainer serves: its xSSAB engine and its fast scorer.
     *
     * @param explainer gradients and maps (and scores, when no faster scorer exists)
     * @param fastScorer the score-only path; readiness checks its state too
     */
    public record ServedModel(PairExplainer explainer, PairScorer fastScorer) {
        /** A model scored by its own explainer. */
        public ServedModel(PairExplainer explainer) {
            this(explainer, explainer);
        }

        public String id() {
            return explainer.modelId();
        }

        /** Null while both the explainer and the fast scorer can be called, else why not. */
        public String problem() {
            String p = explainer.problem();
            return p != null ? p : fastScorer.problem();
        }
    }

    /** One model, scored by {@code fastScorer}. */
    public ExplainerLoop(ExplainerLoopSettings settings, Topics topics, PairExplainer explainer, PairScorer fastScorer,
            ThresholdTable thresholds) {
        this(settings, topics, List.of(new ServedModel(explainer, fastScorer)), thresholds, XssabMetrics.unregistered());
    }

    /**
     * @param models the models served, the default first; a request naming another is rejected as UNKNOWN_MODEL
     * @param metrics where batches, model times, decisions, latencies and client restarts are counted
     */
    public ExplainerLoop(ExplainerLoopSettings settings, Topics topics, List<ServedModel> models, ThresholdTable thresholds,
            XssabMetrics metrics) {
        this(settings, topics, models, thresholds, metrics, LoopClients.of(settings.clients()));
    }

    /**
     * @param thresholds the live threshold per model id
     * @param clients where each (re)opening gets its producer and consumer
     */
    public ExplainerLoop(ExplainerLoopSettings settings, Topics topics, List<ServedModel> models, LiveThresholds thresholds,
            XssabMetrics metrics, LoopClients clients) {
        this.settings = settings;
        this.processor = new PairBatchProcessor(models, thresholds, metrics);
        this.records = new ExplainerRecords(topics, metrics);
        this.metrics = metrics;
        this.loop = new TransactionalBatchLoop<>(settings.loop(), clients, this::process, new Counts(), LOG);
    }

    /** What the stop line reports, and the client restarts' meter. */
    private final class Counts implements TransactionalBatchLoop.Listener {
        @Override
        public void committed(int records) {
            batches++;
            pairs += records;
        }

        @Override
        public void clientRestart() {
            reopened++;
            metrics.clientRestart();
        }
    }

    /** For readiness: null while every served model is loaded and open, else the first problem. */
    public String modelsProblem() {
        for (ServedModel m : processor.models()) {
            String p = m.problem();
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** How many partitions of the aligned pairs this instance holds now. */
    public int assignedPartitions() {
        return loop.assignedPartitions();
    }

    /** Runs until {@link #stop()}; returns normally after finishing (or aborting) the batch in hand. */
    public void run() {
        LOG.info("explainer {} consuming {} (batch up to {}, wait up to {} ms)", settings.transactionalId(),
                Topics.ALIGNED_PAIRS, settings.maxBatch(), settings.maxWait().toMillis());
        try {
            loop.run();
        } finally {
            LOG.info("explainer {} stopping after {} batches, {} pairs, {} client restarts", settings.transactionalId(),
                    batches, pairs, reopened);
        }
    }

    /** The outputs of one batch: one result (plus an explanation if asked) or one rejection per record. */
    List<ProducerRecord<String, byte[]>> process(List<ConsumerRecord<String, byte[]>> batch) {
        metrics.batchSize(batch.size());
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        List<PairRequest<ExplainerRecords.Origin>> requests = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            try {
                requests.add(records.request(r));
            } catch (SchemaRegistryUnavailableException e) {
                throw e; // not this record's fault: the loop backs off and the batch is read again
            } catch (RuntimeException e) {
                out.add(records.malformed(r, e));
            }
        }
        for (PairOutcome<ExplainerRecords.Origin> outcome : processor.process(requests)) {
            out.addAll(records.outputs(outcome));
        }
        return out;
    }

    /** Asks the loop to finish its batch and return; safe from any thread (e.g. a SIGTERM hook). */
    public void stop() {
        loop.stop();
    }

    /**
     * Stops the loop and closes the clients. If {@link #run()} is active on another thread, waits
     * for it to return (it closes its own clients).
     */
    @Override
    public void close() {
        loop.close();
    }
}
