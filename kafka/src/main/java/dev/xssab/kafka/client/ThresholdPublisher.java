package dev.xssab.kafka.client;

import dev.xssab.kafka.ClusterDiagnosis;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.CheckedProducer;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ModelThreshold;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a model's live threshold: the one way a decision threshold changes, and only ever
 * from an operator's command ({@code xssab threshold set}, {@code xssab calibrate --publish}).
 * The record says who set it, when, how and from what data. On a secured cluster only the
 * operator's principal may write the thresholds topic.
 */
public final class ThresholdPublisher {
    private ThresholdPublisher() {}

    /** Writes it and waits until the broker has it. */
    public static void publish(KafkaClients clients, Topics topics, ModelThreshold threshold) {
        try (CheckedProducer producer = new CheckedProducer(clients, Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            producer.send(new ProducerRecord<>(Topics.THRESHOLDS, threshold.getModelId(),
                    topics.thresholds().valueSerde().serializer().serialize(Topics.THRESHOLDS, threshold)));
        } catch (RuntimeException e) {
            throw new PipelineClientException("could not publish the threshold of " + threshold.getModelId() + ": "
                    + ClusterDiagnosis.explain(clients, e.getCause() == null ? e : e.getCause()), e);
        }
    }
}
