package dev.xssab.gateway.stream;

import dev.xssab.faces.FaceModels;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.observability.Service;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The gateway as a service: its Kafka Streams application over the face models it loads once for
 * the process. {@link #start} starts the streams; {@link #run} starts and returns when stopped,
 * or when Streams ends by itself (ERROR or NOT_RUNNING), having closed it either way.
 */
public final class GatewayService implements Service, AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private final KafkaStreams streams;
    private final FaceModels models;
    /** Completed with true when Streams failed, false when it was stopped or ended cleanly. */
    private final CompletableFuture<Boolean> ended = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * The face models the gateway prepares pairs with.
     *
     * @param spec the default model, whose template the faces are aligned to
     * @param alsoFor further models whose templates a request may name
     */
    public record Faces(ModelStore store, RecognitionModelSpec spec, DecodeLimits limits, List<RecognitionModelSpec> alsoFor) {
        public Faces {
            alsoFor = List.copyOf(alsoFor);
        }
    }

    private GatewayService(KafkaClients clients, Topics topics, FaceModels models, GatewayTopology.Options options,
            Map<String, Object> streamsConfig) {
        this.models = models;
        this.streams = GatewayStreams.create(clients, topics, models, options, streamsConfig);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                ended.complete(now == KafkaStreams.State.ERROR);
            }
        });
    }

    /**
     * Loads the face models (timed into the options' meters) and builds the streams; nothing is
     * consumed before {@link #start}.
     *
     * @param streamsConfig from {@link GatewayTopology#streamsConfig}
     */
    public static GatewayService load(KafkaClients clients, Topics topics, Faces faces, GatewayTopology.Options options,
            Map<String, Object> streamsConfig) {
        FaceModels models = FaceModels.load(faces.store(), faces.spec(), faces.limits(), options.metrics()::preprocessTime);
        try {
            faces.alsoFor().forEach(models::alsoFor);
            return new GatewayService(clients, topics, models, options, streamsConfig);
        } catch (RuntimeException e) {
            models.close();
            throw e;
        }
    }

    /** Starts the stream threads; a second call does nothing. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            streams.start();
        }
    }

    /** The readiness checks, by the names /health/ready shows: null when fine, else what is wrong. */
    public Map<String, ServiceEndpoint.Check> checks() {
        Map<String, ServiceEndpoint.Check> checks = new LinkedHashMap<>();
        checks.put("models", models::problem);
        checks.put("streams", this::streamsProblem);
        return checks;
    }

    /** Why the gateway cannot take requests yet, or null when its models are open and its stream threads run. */
    public String ready() {
        String problem = models.problem();
        return problem != null ? problem : streamsProblem();
    }

    private String streamsProblem() {
        return streams.state() == KafkaStreams.State.RUNNING ? null : "Kafka Streams is " + streams.state();
    }

    /** The Streams state, for a test's diagnosis. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public boolean run() {
        try {
            start();
            return ended.join();
        } finally {
            close();
        }
    }

    @Override
    public void stop() {
        ended.complete(false);
    }

    /** Closes the streams, then the face models they used. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            streams.close(CLOSE_TIMEOUT);
            models.close();
        }
    }
}
