package dev.xssab.kafka;

import dev.xssab.config.CommonSettings;
import dev.xssab.config.Replication;
import dev.xssab.schemas.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the application topics that do not exist yet; existing topics are left as they are,
 * except that {@link #correctFaceRetention} sets the declared retention on those holding faces.
 * Safe to call from several processes at once (every service does at start).
 */
public final class TopicAdmin {
    private TopicAdmin() {}

    /** The retention of face topics when no setting says otherwise: the declared default of topics.retention.ms. */
    public static final long DEFAULT_FACE_RETENTION_MS = (Long) CommonSettings.TOPICS_RETENTION_MS.defaultValue();
    /** The longest segment of a face topic, whatever the retention. */
    static final long MAX_FACE_SEGMENT_MS = 3_600_000L;

    /** As {@link #ensureTopics(KafkaClients, Topics, int, Replication, long)} with the declared default retention. */
    public static List<String> ensureTopics(KafkaClients clients, Topics topics, int partitions, Replication replication) {
        return ensureTopics(clients, topics, partitions, replication, DEFAULT_FACE_RETENTION_MS);
    }

    /**
     * @param partitions partitions of every keyed stream topic (the unit of parallelism)
     * @param faceRetentionMs retention.ms of the topics that carry face bytes (topics.retention.ms)
     * @return the names of the topics this call created (not those another caller created meanwhile)
     */
    public static List<String> ensureTopics(KafkaClients clients, Topics topics, int partitions, Replication replication,
            long faceRetentionMs) {
        List<NewTopic> wanted = new ArrayList<>();
        for (Topics.Topic<String, ?> t : topics.all()) {
            // Compacted topics hold current state by key: one partition keeps their order simple.
            NewTopic n = new NewTopic(t.name(), t.compacted() ? 1 : partitions, replication.topicFactor());
            wanted.add(n.configs(t.compacted() ? with(replication, TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                    : t.faces() ? faceTopic(replication, faceRetentionMs) : imageSized(replication)));
        }
        return createMissing(clients, wanted);
    }

    /**
     * Creates, if missing, each principal's own request topic and its three outcome topics, with
     * the settings of the shared topics of their families. The only creator of principals' topics,
     * so that a request topic never exists without the outcome topics the gateway and the explainer
     * will write its outcomes to (topics are not auto-created).
     *
     * @param principals names with {@link Topics#hasOwnOutcomes own outcome topics}
     * @return the names of the topics this call created
     */
    public static List<String> ensurePrincipalTopics(KafkaClients clients, List<String> principals, int partitions,
            Replication replication, long faceRetentionMs) {
        List<NewTopic> wanted = new ArrayList<>();
        for (String principal : principals) {
            List<String> names = new ArrayList<>(List.of(Topics.requestsFrom(principal)));
            names.addAll(Topics.outcomesFor(Optional.of(principal)).all());
            for (String name : names) {
                wanted.add(new NewTopic(name, partitions, replication.topicFactor())
                        .configs(Topics.carriesFaces(name) ? faceTopic(replication, faceRetentionMs) : imageSized(replication)));
            }
        }
        return createMissing(clients, wanted);
    }

    /** Requests carry whole images; rejections carry whole requests. */
    private static Map<String, String> imageSized(Replication replication) {
        return with(replication, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.MAX_MESSAGE_BYTES));
    }

    private static Map<String, String> faceTopic(Replication replication, long retentionMs) {
        Map<String, String> configs = imageSized(replication);
        configs.putAll(faceRetention(retentionMs));
        return configs;
    }

    /**
     * retention.ms, and a segment.ms of at most an hour. Kafka deletes whole segments, each only
     * once its newest record is older than retention.ms; a segment is rolled only after segment.ms
     * (7 days by default) or segment.bytes (1 GiB). So on a topic that takes a request now and then,
     * one segment would keep appending for a week, and its first face would stay for about a week
     * plus the retention. With segments of at most min(retention, 1 h), a face stays at most that
     * much (and the broker's retention check interval, 5 min by default) past its retention.
     */
    static Map<String, String> faceRetention(long retentionMs) {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retentionMs),
                TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(Math.min(retentionMs, MAX_FACE_SEGMENT_MS)));
    }

    /**
     * Sets the retention (and segment.ms) that {@link #ensureTopics} gives face topics on those of
     * {@code topics} that carry faces and differ, or inherit it from the broker; other topics are
     * left alone. Topics made before the setting existed keep the broker's 7 days otherwise.
     *
     * @param topics existing topics (see {@link #existingFaceTopics})
     * @return topic -> the settings this call set on it (sorted), empty when all were right already
     */
    public static Map<String, Map<String, String>> correctFaceRetention(KafkaClients clients, Collection<String> topics,
            long retentionMs) {
        Map<String, String> wanted = faceRetention(retentionMs);
        List<ConfigResource> faceTopics = topics.stream().filter(Topics::carriesFaces).distinct()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<String, Map<String, String>> changed = new TreeMap<>();
        try (Admin admin = clients.admin()) {
            Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
            admin.describeConfigs(faceTopics).all().get(60, TimeUnit.SECONDS).forEach((topic, config) -> {
                Map<String, String> differing = differing(config, wanted);
                if (!differing.isEmpty()) {
                    changed.put(topic.name(), differing);
                    alter.put(topic, differing.entrySet().stream()
                            .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList());
                }
            });
            if (!alter.isEmpty()) {
                admin.incrementalAlterConfigs(alter).all().get(60, TimeUnit.SECONDS);
            }
            return changed;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set the retention of the face topics on " + clients.bootstrapServers() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("setting the retention of topics on " + clients.bootstrapServers()
                    + " took longer than 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted setting the retention of topics", e);
        }
    }

    /** The wanted settings that the topic does not have as its own (a broker default may change under it). */
    private static Map<String, String> differing(Config config, Map<String, String> wanted) {
        Map<String, String> differing = new TreeMap<>();
        wanted.forEach((key, value) -> {
            ConfigEntry current = config.get(key);
            if (current == null || !value.equals(current.value()) || current.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                differing.put(key, value);
            }
        });
        return differing;
    }

    /** The topics of the cluster that carry faces, shared and each principal's own, sorted. */
    public static List<String> existingFaceTopics(KafkaClients clients) {
        try (Admin admin = clients.admin()) {
            return admin.listTopics(new ListTopicsOptions().timeoutMs(30_000)).names().get(35, TimeUnit.SECONDS).stream()
                    .filter(Topics::carriesFaces).sorted().toList();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the topics of " + clients.bootstrapServers() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("listing the topics of " + clients.bootstrapServers()
                    + " took longer than 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted listing topics", e);
        }
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
