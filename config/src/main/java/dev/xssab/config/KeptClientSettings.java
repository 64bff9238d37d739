package dev.xssab.config;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one rule of which layer wins among a client's settings. The user's kafka.* settings win over
 * the code's own choices (sizes, timeouts, poll and commit intervals), except the keys here, on
 * which exactly-once processing and "nothing lost" rest; a user value that contradicts one of them
 * is refused. Replication is not a client setting at all ({@link Replication}).
 */
public final class KeptClientSettings {
    /**
     * The code's values of these keys always stand: the processing guarantee and transactions
     * (exactly once), read_committed (no result of an aborted transaction is acted on), acks=all
     * and idempotence (an acknowledged write is on min.insync.replicas brokers, once), manual
     * commits, where a group starts reading (earliest: a new group misses no request), and the
     * group and instance ids that fencing rests on.
     */
    public static final Set<String> KEYS = Set.of("processing.guarantee", "transactional.id", "isolation.level", "acks",
            "enable.idempotence", "enable.auto.commit", "auto.offset.reset", "group.id", "group.instance.id", "application.id");

    private KeptClientSettings() {
    }

    /**
     * @throws ConfigException naming the first user setting that contradicts a kept one of {@code own}
     */
    public static void requireNoContradiction(Map<String, Object> user, Map<String, ?> own) {
        for (Map.Entry<String, ?> e : own.entrySet()) {
            Object value = user.get(e.getKey());
            if (value != null && KEYS.contains(e.getKey()) && !String.valueOf(value).equals(String.valueOf(e.getValue()))) {
                throw new ConfigException(CommonSettings.KAFKA_PREFIX + e.getKey() + "=" + value + " contradicts the " + e.getValue()
                        + " this service needs for exactly-once processing; remove it");
            }
        }
    }
}
