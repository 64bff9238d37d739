package dev.xssab.evaluator.aggregate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ErrorRates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import dev.xssab.observability.HttpGuard;
import dev.xssab.observability.Service;
import dev.xssab.observability.ServiceEndpoint;
import java.util.LinkedHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the aggregates topology and serves its table over HTTP (interactive queries):
 * {@code GET /aggregates} and {@code GET /aggregates/{run}} answer JSON arrays of cells.
 * Single instance: with more, each would hold only its partitions' cells. {@link HttpGuard} refuses
 * other paths, methods and malformed runs with a one-line 4xx.
 */
public final class AggregatesService implements Service, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AggregatesService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/aggregates";
    private final KafkaStreams streams;
    private final HttpServer http;
    /** Released by {@link #stop()}, from the shutdown hook. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param streamsConfig from {@link AggregatesTopology#streamsConfig} */
    public AggregatesService(KafkaClients clients, Topics topics, Duration dedupRetention, Map<String, Object> streamsConfig,
            String host, int port) throws IOException {
        this.streams = clients.streams(AggregatesTopology.buildTopology(topics, dedupRetention), streamsConfig);
        // The counts are exactly-once state: a replaced thread restores them and resumes from the
        // last commit, so a transient failure must not take the aggregates down for good.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("an aggregates stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        this.http = HttpServer.create(new InetSocketAddress(host, port), 16);
        HttpGuard.matching(PATH + ", " + PATH + "/{run}", AggregatesService::serves).serve(http, PATH, this::handle);
        HttpGuard.exact().serveNotFound(http);
    }

    /** Starts the stream threads and the HTTP endpoint; a second call does nothing. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            streams.start();
            http.start();
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The readiness checks, by the names /health/ready shows: null when fine, else what is wrong. */
    public Map<String, ServiceEndpoint.Check> checks() {
        Map<String, ServiceEndpoint.Check> checks = new LinkedHashMap<>();
        checks.put("streams", this::ready);
        return checks;
    }

    /** Why the aggregates cannot be served yet (CREATED before {@link #start}), or null when the stream threads run. */
    public String ready() {
        return streams.state() == KafkaStreams.State.RUNNING ? null : "Kafka Streams is " + streams.state();
    }

    /** Starts, then serves until {@link #stop()}: a failed stream thread is replaced, never the end of the service. */
    @Override
    public boolean run() throws InterruptedException {
        start();
        try {
            stopped.await();
            return false;
        } finally {
            close();
        }
    }

    @Override
    public void stop() {
        stopped.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String run = run(exchange.getRequestURI().getRawPath());
        int status = 200;
        String body;
        try {
            body = cells(run).toString();
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            status = 503;
            body = "{\"error\":\"the aggregates are still loading (" + streams.state() + ")\"}";
        }
        HttpGuard.send(exchange, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the aggregates serve this raw path: {@code /aggregates}, with a slash, or with one run after it. */
    static boolean serves(String rawPath) {
        return rawPath.equals(PATH) || rawPath.startsWith(PATH + "/") && rawPath.indexOf('/', PATH.length() + 1) < 0;
    }

    /** The run a served raw path names, or null for all runs; IllegalArgumentException (a 400) for a malformed escape. */
    static String run(String rawPath) {
        return rawPath.length() > PATH.length() + 1 ? URLDecoder.decode(rawPath.substring(PATH.length() + 1), StandardCharsets.UTF_8)
                : null;
    }

    private ArrayNode cells(String run) {
        ArrayNode cells = JSON.createArrayNode();
        ReadOnlyKeyValueStore<String, ErrorRates> store = streams.store(StoreQueryParameters.fromNameAndType(
                AggregatesTopology.AGGREGATES_STORE, QueryableStoreTypes.keyValueStore()));
        try (KeyValueIterator<String, ErrorRates> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, ErrorRates> kv = all.next();
                if (run == null || run.equals(kv.value.getRun())) {
                    cells.add(json(kv.key, kv.value));
                }
            }
        }
        return cells;
    }

    static ObjectNode json(String key, ErrorRates r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("key", key);
        n.put("run", r.getRun());
        n.put("model", r.getModel());
        n.put("dataset", r.getDataset());
        n.put("variant", r.getVariant());
        n.put("strategy", r.getStrategy());
        n.put("percentage", r.getPercentage());
        n.put("threshold", r.getThreshold());
        n.put("genuine", r.getGenuine());
        n.put("false_non_matches", r.getFalseNonMatches());
        n.put("impostor", r.getImpostor());
        n.put("false_matches", r.getFalseMatches());
        n.put("fmr", r.getFmr());
        n.put("fnmr", r.getFnmr());
        return n;
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            http.stop(0);
            streams.close(Duration.ofSeconds(30));
        }
    }
}
