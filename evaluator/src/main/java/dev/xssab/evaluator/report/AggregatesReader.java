package dev.xssab.evaluator.report;

import dev.xssab.evaluator.aggregate.EvaluationTags;
import dev.xssab.evaluator.report.EvaluationReport.Cells;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ErrorRates;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A run's cells from the compacted aggregates topic: the latest value per cell key, by model. */
final class AggregatesReader {
    private AggregatesReader() {}

    static Map<String, Cells> cellsOf(KafkaClients clients, Topics topics, String run) {
        Map<String, Cells> byModel = new TreeMap<>();
        for (ErrorRates r : latest(clients, topics, run).values()) {
            Cells c = byModel.computeIfAbsent(r.getModel(), m -> new Cells(null, null, new TreeMap<>()));
            switch (r.getVariant()) {
                case EvaluationTags.ORIGINAL -> byModel.put(r.getModel(), new Cells(r, c.patched(), c.replaced()));
                case EvaluationTags.PATCHED -> byModel.put(r.getModel(), new Cells(c.original(), r, c.replaced()));
                default -> c.replaced().computeIfAbsent(r.getStrategy(), s -> new TreeMap<>()).put(r.getPercentage(), r);
            }
        }
        return byModel;
    }

    /** The latest value of each of the run's cell keys, reading the topic to its end. */
    private static Map<String, ErrorRates> latest(KafkaClients clients, Topics topics, String run) {
        Map<String, ErrorRates> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, ErrorRates> consumer = clients.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                topics.aggregates().valueSerde().deserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.AGGREGATES).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, ErrorRates> r : consumer.poll(Duration.ofMillis(300))) {
                    if (r.value() != null && run.equals(r.value().getRun())) {
                        latest.put(r.key(), r.value());
                    }
                }
            }
        }
        return latest;
    }
}
