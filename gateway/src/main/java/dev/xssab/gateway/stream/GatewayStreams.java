package dev.xssab.gateway.stream;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.faces.FaceModels;
import dev.xssab.schemas.Topics;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as a runnable Kafka Streams app: the topology with the real face preprocessing,
 * and a failed stream thread replaced. One place for what {@code xssab gateway} and the
 * integration tests start, so that none of them runs a gateway that stops on its first failure.
 */
public final class GatewayStreams {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayStreams.class);

    private GatewayStreams() {}

    /**
     * Not started: the caller adds listeners if it wants, then calls {@code start()}.
     *
     * @param models loaded once for the process and shared by every task; the caller closes them after the streams
     * @param streamsConfig from {@link GatewayTopology#streamsConfig}
     */
    public static KafkaStreams create(KafkaClients clients, Topics topics, FaceModels models, GatewayTopology.Options options,
            Map<String, Object> streamsConfig) {
        KafkaStreams streams = clients.streams(GatewayTopology.buildTopology(topics, () -> new FacePairAligner(models),
                options), streamsConfig);
        // With exactly_once_v2 the replacement resumes from the last commit, so a transient failure
        // (the broker or the registry away for a moment) costs a retry rather than the gateway. A bad
        // request never gets here: the processor turns it into a rejection.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("a gateway stream thread failed; replacing it, it resumes from the last commit", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        return streams;
    }
}
