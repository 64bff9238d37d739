package dev.xssab.gateway.stream;

import dev.xssab.gateway.face.FacePreprocessor;
import dev.xssab.gateway.image.DecodeLimits;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.Properties;
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

    /** Not started: the caller adds listeners if it wants, then calls {@code start()}. */
    public static KafkaStreams create(Topics topics, ModelStore store, RecognitionModelSpec spec, DecodeLimits limits,
            Duration dedupWindow, Properties streamsConfig) {
        KafkaStreams streams = new KafkaStreams(GatewayTopology.buildTopology(topics,
                () -> new FacePairAligner(new FacePreprocessor(store, spec, limits)), dedupWindow), streamsConfig);
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
