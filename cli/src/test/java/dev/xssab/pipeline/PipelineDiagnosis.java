package dev.xssab.pipeline;

import dev.xssab.gateway.stream.GatewayService;
import dev.xssab.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a pipeline test prints when requests go missing: for each stuck request, whether the
 * gateway wrote its aligned pair and whether that write is committed; per partition the high
 * watermark, the last stable offset (a gap means an open transaction) and each group's committed
 * offset; the open transactions; the gateway's state; and the end of every explainer log.
 * It only reads, so calling it cannot change the outcome it describes.
 */
final class PipelineDiagnosis {
    private static final String EXPLAINER_GROUP = "xssab-explainer";

    private final String bootstrap;
    private final Topics topics;
    private final GatewayService gateway;
    private final String gatewayGroup;
    private final List<Path> logs;

    PipelineDiagnosis(String bootstrap, Topics topics, GatewayService gateway, String gatewayGroup) {
        this(bootstrap, topics, gateway, gatewayGroup, List.of());
    }

    private PipelineDiagnosis(String bootstrap, Topics topics, GatewayService gateway, String gatewayGroup, List<Path> logs) {
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.gateway = gateway;
        this.gatewayGroup = gatewayGroup;
        this.logs = logs;
    }

    PipelineDiagnosis with(Path log) {
        List<Path> more = new ArrayList<>(logs);
        more.add(log);
        return new PipelineDiagnosis(bootstrap, topics, gateway, gatewayGroup, List.copyOf(more));
    }

    String explain(Set<String> missing) {
        StringBuilder out = new StringBuilder("---- pipeline diagnosis ----\n");
        out.append("gateway state: ").append(gateway.state()).append('\n');
        try {
            out.append(wherePairsAre(missing));
            out.append(offsets(Topics.REQUESTS, gatewayGroup));
            out.append(offsets(Topics.ALIGNED_PAIRS, EXPLAINER_GROUP));
            out.append(offsets(Topics.RESULTS, null));
            out.append(openTransactions());
        } catch (Exception e) {
            out.append("(diagnosis failed: ").append(e).append(")\n");
        }
        for (Path log : logs) {
            out.append("---- last lines of ").append(log.getFileName()).append(" ----\n").append(tail(log, 40));
        }
        return out.toString();
    }

    /** For every missing id: the aligned-pairs offsets holding it, and whether read_committed sees them. */
    private String wherePairsAre(Set<String> missing) {
        Map<String, List<String>> uncommitted = find(missing, "read_uncommitted");
        Map<String, List<String>> committed = find(missing, "read_committed");
        StringBuilder out = new StringBuilder();
        for (String id : missing) {
            out.append("aligned pair of ").append(id).append(": written at ").append(uncommitted.getOrDefault(id, List.of()))
                    .append(", committed at ").append(committed.getOrDefault(id, List.of())).append('\n');
        }
        return out.toString();
    }

    private Map<String, List<String>> find(Set<String> ids, String isolation) {
        Map<String, List<String>> found = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> c = consumer(isolation)) {
            List<TopicPartition> parts = partitions(c, Topics.ALIGNED_PAIRS);
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    if (ids.contains(r.key())) {
                        found.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.partition() + "@" + r.offset());
                    }
                }
            }
        }
        return found;
    }

    /** Per partition: high watermark, last stable offset and the group's committed offset. */
    private String offsets(String topic, String group) throws Exception {
        StringBuilder out = new StringBuilder();
        try (KafkaConsumer<String, byte[]> uncommitted = consumer("read_uncommitted");
                KafkaConsumer<String, byte[]> committed = consumer("read_committed");
                Admin admin = admin()) {
            List<TopicPartition> parts = partitions(uncommitted, topic);
            Map<TopicPartition, Long> high = uncommitted.endOffsets(parts);
            Map<TopicPartition, Long> stable = committed.endOffsets(parts);
            Map<TopicPartition, OffsetAndMetadata> groupOffsets = group == null ? Map.of()
                    : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            for (TopicPartition tp : parts) {
                OffsetAndMetadata g = groupOffsets.get(tp);
                out.append(tp).append(": high watermark ").append(high.get(tp)).append(", last stable ").append(stable.get(tp));
                if (group != null) {
                    out.append(", ").append(group).append(" committed ").append(g == null ? "nothing" : g.offset());
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private String openTransactions() throws Exception {
        try (Admin admin = admin()) {
            List<String> lines = new ArrayList<>();
            for (TransactionListing t : admin.listTransactions().all().get(10, TimeUnit.SECONDS)) {
                lines.add(t.transactionalId() + " " + t.state());
            }
            return "transactions: " + lines.stream().sorted().collect(Collectors.joining(", ")) + '\n';
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        return c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + '\n';
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")\n";
        }
    }
}
