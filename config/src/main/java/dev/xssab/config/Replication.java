package dev.xssab.config;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How every topic the system makes is replicated: the application topics, and the changelog and
 * repartition topics of the Kafka Streams services. Read from the declared settings only, so that
 * one place says how much a broker's loss may cost. The defaults suit one broker; a cluster of
 * three wants 3 / 2 / 3, so that one broker can be lost without losing a write or the state.
 *
 * @param topicFactor replicas of each application topic
 * @param minInsyncReplicas replicas that must have a write before it is acknowledged (acks=all)
 * @param streamsFactor replicas of each Streams internal topic (the dedup store, the aggregates)
 */
public record Replication(short topicFactor, int minInsyncReplicas, short streamsFactor) {
    /** One broker: nothing to replicate to. */
    public static final Replication SINGLE_NODE = new Replication((short) 1, 1, (short) 1);

    /** The keys that only these settings decide; as Kafka client settings they are refused. */
    static final Map<String, Setting> DECIDED_HERE = Map.of(
            "replication.factor", CommonSettings.STREAMS_REPLICATION,
            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, CommonSettings.TOPICS_MIN_INSYNC_REPLICAS,
            "topic." + TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, CommonSettings.TOPICS_MIN_INSYNC_REPLICAS);

    public Replication {
        if (minInsyncReplicas > topicFactor) {
            throw new ConfigException(CommonSettings.TOPICS_MIN_INSYNC_REPLICAS.key() + "=" + minInsyncReplicas + " exceeds "
                    + CommonSettings.TOPICS_REPLICATION.key() + "=" + topicFactor + ": no write could ever be acknowledged");
        }
        if (minInsyncReplicas > streamsFactor) {
            throw new ConfigException(CommonSettings.TOPICS_MIN_INSYNC_REPLICAS.key() + "=" + minInsyncReplicas + " exceeds "
                    + CommonSettings.STREAMS_REPLICATION.key() + "=" + streamsFactor + ": the Streams state could never be written");
        }
    }

    /** The replication the declared settings ask for. */
    public static Replication from(ServiceConfig config) {
        return new Replication(config.shortValue(CommonSettings.TOPICS_REPLICATION), config.integer(CommonSettings.TOPICS_MIN_INSYNC_REPLICAS),
                config.shortValue(CommonSettings.STREAMS_REPLICATION));
    }

    /** The topic-level settings of every application topic created with this replication. */
    public Map<String, String> topicConfigs() {
        return Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas));
    }

    /** The Streams settings that replicate a Streams application's internal topics likewise. */
    public Map<String, Object> streamsSettings() {
        return Map.of("replication.factor", (int) streamsFactor,
                "topic." + TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas));
    }

    /**
     * Refuses a replication the cluster cannot hold: a topic of factor 3 on two brokers is never
     * created, and a Streams application would stop at its first internal topic.
     *
     * @throws ConfigException in one line naming the setting and the live broker count
     */
    public void requireBrokers(int liveBrokers) {
        Setting tooHigh = topicFactor > liveBrokers ? CommonSettings.TOPICS_REPLICATION
                : streamsFactor > liveBrokers ? CommonSettings.STREAMS_REPLICATION : null;
        if (tooHigh != null) {
            throw new ConfigException(tooHigh.key() + "=" + (tooHigh == CommonSettings.TOPICS_REPLICATION ? topicFactor : streamsFactor)
                    + " exceeds the " + liveBrokers + " live broker" + (liveBrokers == 1 ? "" : "s") + " of the cluster (set "
                    + tooHigh.env() + " or " + tooHigh.flag() + " to at most " + liveBrokers + ")");
        }
    }
}
