package dev.xssab.kafka;

import dev.xssab.schemas.Topics;

import dev.xssab.config.Replication;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the application topics that do not exist yet; existing topics are left as they are.
 * Safe to call from several processes at once (every service does at start).
 */
public final class TopicAdmin {
    private TopicAdmin() {}

    /**
     * @param partitions partitions of every keyed stream topic (the unit of parallelism)
     * @return the names of the topics this call created (not those another caller created meanwhile)
     */
    public static List<String> ensureTopics(KafkaClients clients, Topics topics, int partitions, Replication replication) {
        List<NewTopic> wanted = new ArrayList<>();
        for (Topics.Topic<String, ?> t : topics.all()) {
            // Compacted topics hold current state by key: one partition keeps their order simple.
            NewTopic n = new NewTopic(t.name(), t.compacted() ? 1 : partitions, replication.topicFactor());
            wanted.add(n.configs(t.compacted() ? with(replication, TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                    : imageSized(replication)));
        }
        return createMissing(clients, wanted);
    }

    /** Creates the given clients' own request topics (name -> partitions) if missing, with the request topics' settings. */
    public static List<String> ensureRequestTopics(KafkaClients clients, Map<String, Integer> topics, Replication replication) {
        List<NewTopic> wanted = new ArrayList<>();
        topics.forEach((name, partitions) -> wanted.add(new NewTopic(name, partitions, replication.topicFactor())
                .configs(imageSized(replication))));
        return createMissing(clients, wanted);
    }

    /** Requests carry whole images; rejections carry whole requests. */
    private static Map<String, String> imageSized(Replication replication) {
        return with(replication, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.MAX_MESSAGE_BYTES));
    }

    private static Map<String, String> with(Replication replication, String key, String value) {
        Map<String, String> configs = new HashMap<>(replication.topicConfigs());
        configs.put(key, value);
        return configs;
    }

    /**
     * Refuses, before anything is created, a replication the cluster cannot hold.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the setting and the live broker count
     */
    public static void requireBrokersFor(KafkaClients clients, Replication replication) {
        try (Admin admin = clients.admin()) {
            replication.requireBrokers(admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).size());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the cluster at " + clients.bootstrapServers() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("describing the cluster at " + clients.bootstrapServers()
                    + " took longer than 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted describing the cluster", e);
        }
    }

    /**
     * Creates what is missing and waits for every wanted topic's leaders. Idempotent under
     * concurrency: services that start together all see a topic as missing, and every one but the
     * first gets TopicExistsException for it; "already exists" is success, and its leaders are
     * still awaited, because the topic may have been created a moment ago by another service.
     */
    private static List<String> createMissing(KafkaClients clients, List<NewTopic> wanted) {
        try (Admin admin = clients.admin()) {
            Set<String> existing;
            try {
                existing = admin.listTopics(new ListTopicsOptions().timeoutMs(30_000)).names().get(35, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new org.apache.kafka.common.errors.TimeoutException("listing the topics of " + clients.bootstrapServers()
                        + " took longer than 30 s", e);
            }
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            List<String> created = new ArrayList<>();
            if (!missing.isEmpty()) {
                Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
                for (NewTopic t : missing) {
                    try {
                        results.get(t.name()).get();
                        created.add(t.name());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            awaitLeaders(admin, wanted);
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics on " + clients.bootstrapServers() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topics", e);
        }
    }

    /**
     * Returns once every partition of the topics answers on its leader. createTopics returns
     * when the controller has recorded them, before the broker serves them; an idempotent producer
     * whose very first batch for a partition meets that gap can have the batch refused as out of
     * order until it expires, and the record is lost (seen here with Kafka 4.4 on a fresh
     * partition about once in seven tries). ListOffsets is served by the partition's leader, and
     * the admin client retries it while the leader is not ready.
     */
    private static void awaitLeaders(Admin admin, List<NewTopic> topics)
            throws InterruptedException, ExecutionException {
        List<String> names = topics.stream().map(NewTopic::name).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                // A topic that existed already may have other partitions than this caller wants: ask the cluster.
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(names).allTopicNames().get(remaining(deadline), TimeUnit.NANOSECONDS)
                        .forEach((name, d) -> d.partitions().forEach(p ->
                                partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
                return;
            } catch (TimeoutException e) {
                throw new IllegalStateException("topics have no serving leader after 60 s: " + names, e);
            } catch (ExecutionException e) {
                // The admin client's metadata may not know a topic created a moment ago (seen in CI:
                // UnknownTopicOrPartitionException at once, not retried by listOffsets): ask again.
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }
}
