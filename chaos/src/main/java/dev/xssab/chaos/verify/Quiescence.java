package dev.xssab.chaos.verify;

import dev.xssab.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Waits until the system has nothing left to do: no transaction open on any topic (the
 * read_committed end offset, the last stable offset, equals the read_uncommitted one, the high
 * watermark), and no lag of any of the system's consumer groups on any partition of the topics
 * they consume.
 *
 * <p>A committed offset short of the high watermark is not always lag: a consumer that commits
 * "last record + 1" (the explainer does) stays short of the commit marker that follows its
 * input's last record, forever. Such a partition is caught up when a read_committed read from the
 * committed offset to the end finds no record.
 */
public final class Quiescence {
    private static final Duration ROUND = Duration.ofSeconds(1);

    private final KafkaClients clients;
    private final Predicate<String> groups;

    /** {@code groups}: which consumer groups are the system's (e.g. ids starting with {@code xssab-}). */
    public Quiescence(KafkaClients clients, Predicate<String> groups) {
        this.clients = clients;
        this.groups = groups;
    }

    /** Waits up to {@code timeout}; returns what still lagged or held a transaction open, empty once quiescent. */
    public List<String> await(Duration timeout) throws InterruptedException, ExecutionException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        try (Admin admin = clients.admin()) {
            Map<TopicPartition, Long> earlier = ends(admin, partitions(admin), IsolationLevel.READ_UNCOMMITTED);
            List<String> pending;
            do {
                Thread.sleep(ROUND.toMillis());
                List<TopicPartition> tps = partitions(admin);
                Map<TopicPartition, Long> now = ends(admin, tps, IsolationLevel.READ_UNCOMMITTED);
                pending = pending(admin, tps, earlier);
                earlier = now;
            } while (!pending.isEmpty() && System.currentTimeMillis() < deadline);
            return pending;
        }
    }

    /**
     * One look against the high watermarks of the look before: every record written by then must
     * now be stable (its transaction ended) and consumed. Under a running load there is nearly
     * always some transaction open, so "none open at this instant" may never hold on a busy
     * machine; "none that was open a round ago is still open" means the system keeps up, while a
     * transaction left hanging (a frozen producer's) or a consumer that stopped still shows.
     * Once the load has stopped the two are the same. Open transactions are judged first: lag
     * cannot be judged behind one.
     */
    List<String> pending(Admin admin, List<TopicPartition> tps, Map<TopicPartition, Long> earlier)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> lso = ends(admin, tps, IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, Long> target = new HashMap<>();
        List<String> pending = new ArrayList<>();
        for (TopicPartition tp : tps) {
            target.put(tp, earlier.getOrDefault(tp, 0L));
            if (lso.get(tp) < target.get(tp)) {
                pending.add(tp + ": open transaction (last stable offset " + lso.get(tp) + " < high watermark "
                        + target.get(tp) + " of a round before)");
            }
        }
        if (pending.isEmpty()) {
            pending.addAll(lag(admin, tps, target));
        }
        return pending;
    }

    private List<String> lag(Admin admin, List<TopicPartition> tps, Map<TopicPartition, Long> hw)
            throws InterruptedException, ExecutionException {
        List<String> lagging = new ArrayList<>();
        for (GroupListing g : admin.listGroups().all().get()) {
            if (!groups.test(g.groupId())) {
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, g);
            Set<String> consumed = committed.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
            Map<TopicPartition, Long> behind = new HashMap<>();
            for (TopicPartition tp : tps) {
                OffsetAndMetadata at = committed.get(tp);
                long from = at == null ? 0 : at.offset();
                if (consumed.contains(tp.topic()) && from < hw.get(tp)) {
                    behind.put(tp, from);
                }
            }
            withRecords(behind, hw).forEach((tp, from) ->
                    lagging.add(g.groupId() + " on " + tp + ": committed " + from + " of " + hw.get(tp)));
        }
        return lagging;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, GroupListing g)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> m = g.type().filter(t -> t == GroupType.STREAMS).isPresent()
                ? admin.listStreamsGroupOffsets(Map.of(g.groupId(), new ListStreamsGroupOffsetsSpec())).partitionsToOffsetAndMetadata(g.groupId()).get()
                : admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        m.forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o);
            }
        });
        return out;
    }

    /** Of the partitions {@code behind} their end, those with a committed record between the given offset and the end. */
    private Map<TopicPartition, Long> withRecords(Map<TopicPartition, Long> behind, Map<TopicPartition, Long> end) {
        if (behind.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> own = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        Map<TopicPartition, Long> lagging = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        try (KafkaConsumer<byte[], byte[]> c = clients.consumer(own, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(behind.keySet());
            behind.forEach(c::seek);
            long deadline = System.currentTimeMillis() + ROUND.toMillis() * 5;
            while (System.currentTimeMillis() < deadline && behind.keySet().stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(100)).forEach(r -> lagging.put(new TopicPartition(r.topic(), r.partition()), behind.get(
                        new TopicPartition(r.topic(), r.partition()))));
            }
            behind.keySet().stream().filter(tp -> c.position(tp) < end.get(tp)).forEach(tp -> lagging.put(tp, behind.get(tp)));
        }
        return lagging;
    }

    private static List<TopicPartition> partitions(Admin admin) throws InterruptedException, ExecutionException {
        Set<String> topics = admin.listTopics().names().get();
        List<TopicPartition> tps = new ArrayList<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, d) ->
                d.partitions().forEach(p -> tps.add(new TopicPartition(name, p.partition()))));
        return tps;
    }

    private static Map<TopicPartition, Long> ends(Admin admin, List<TopicPartition> tps, IsolationLevel isolation)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        tps.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get().forEach((tp, i) -> out.put(tp, i.offset()));
        return out;
    }
}
