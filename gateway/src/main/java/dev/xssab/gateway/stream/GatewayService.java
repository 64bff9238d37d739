package dev.xssab.gateway.stream;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.faces.FaceModels;
import dev.xssab.observability.Service;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The gateway as a service: its Kafka Streams application over face models the process loaded
 * once. {@link #run} starts it and returns when stopped, or when Streams ends by itself (ERROR or
 * NOT_RUNNING), having closed it either way.
 */
public final class GatewayService implements Service, AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private final KafkaStreams streams;
    /** Completed with true when Streams failed, false when it was stopped or ended cleanly. */
    private final CompletableFuture<Boolean> ended = new CompletableFuture<>();

    /**
     * @param models the caller's, closed by the caller after this service
     * @param streamsConfig from {@link GatewayTopology#streamsConfig}
     */
    public GatewayService(KafkaClients clients, Topics topics, FaceModels models, GatewayTopology.Options options,
            Map<String, Object> streamsConfig) {
        this.streams = GatewayStreams.create(clients, topics, models, options, streamsConfig);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                ended.complete(now == KafkaStreams.State.ERROR);
            }
        });
    }

    /** Why the gateway cannot take requests yet, or null when its stream threads run. */
    public String notReady() {
        return streams.state() == KafkaStreams.State.RUNNING ? null : "Kafka Streams is " + streams.state();
    }

    @Override
    public boolean run() {
        streams.start();
        try {
            return ended.join();
        } finally {
            streams.close(CLOSE_TIMEOUT);
        }
    }

    @Override
    public void stop() {
        ended.complete(false);
    }

    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
    }
}
