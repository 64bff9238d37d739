package dev.xssab.chaos;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The faults the harness can hold, by name. Each finds its target when it starts (the broker
 * that coordinates a transaction moves when brokers die), holds the fault, then heals it; the
 * harness then waits for zero lag and a full ISR before the next one.
 */
public enum Fault {
    /** kill -9 the broker that coordinates the explainers' transactions, then restart it on its data. */
    KILL_TXN_COORDINATOR("kill-txn-coordinator", Duration.ofSeconds(20)),
    /** SIGSTOP the leader of an aligned-pairs partition for longer than the broker session timeout. */
    PAUSE_PARTITION_LEADER("pause-partition-leader", Duration.ofSeconds(15)),
    /** kill -9 the active KRaft controller. */
    KILL_CONTROLLER("kill-controller", Duration.ofSeconds(15)),
    /** kill -9 one explainer; the other takes its partitions until it is back. */
    KILL_EXPLAINER("kill-explainer", Duration.ofSeconds(15)),
    /**
     * SIGSTOP the other explainer inside a transaction, past its transaction timeout (30 s) and the
     * coordinator's next sweep for timed-out transactions (every 10 s), so that it comes back fenced.
     */
    FENCE_EXPLAINER("fence-explainer", Duration.ofSeconds(50)),
    /** kill -9 the gateway (a Streams application under exactly-once). */
    KILL_GATEWAY("kill-gateway", Duration.ofSeconds(15)),
    /** SIGSTOP the gateway. */
    PAUSE_GATEWAY("pause-gateway", Duration.ofSeconds(20)),
    /** kill -9 the audit sink. */
    KILL_AUDIT("kill-audit", Duration.ofSeconds(15)),
    /** Terminate the audit sink's database connections (pg_terminate_backend). */
    KILL_AUDIT_DB_CONNECTION("kill-audit-db-connection", Duration.ofSeconds(5)),
    /** SIGSTOP the transaction coordinator's broker while commits are in flight. */
    PAUSE_TXN_COORDINATOR("pause-txn-coordinator", Duration.ofSeconds(15)),
    /** Drop every packet to one broker's ports on 127.0.0.1 (nftables), where the machine allows it. */
    DROP_BROKER_TRAFFIC("drop-broker-traffic", Duration.ofSeconds(15));

    /** The schedule CI runs (ClusterFaultIT): the faults that matter most for exactly-once. */
    public static final List<Fault> REDUCED = List.of(KILL_TXN_COORDINATOR, PAUSE_PARTITION_LEADER, FENCE_EXPLAINER, KILL_GATEWAY);

    private final String id;
    private final Duration hold;

    Fault(String id, Duration hold) {
        this.id = id;
        this.hold = hold;
    }

    /** The name in {@code --faults}. */
    public String id() {
        return id;
    }

    /** How long the fault is held before it is healed. */
    public Duration hold() {
        return hold;
    }

    /** Every fault, in schedule order. */
    public static List<Fault> full() {
        return List.of(values());
    }

    /**
     * Parses {@code --faults}: names separated by commas, or {@code all}, or {@code reduced}.
     *
     * @throws IllegalArgumentException naming an unknown fault and listing the known ones
     */
    public static List<Fault> parse(String list) {
        String trimmed = list.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("all")) {
            return full();
        }
        if (trimmed.equals("reduced")) {
            return REDUCED;
        }
        return Arrays.stream(trimmed.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Fault::byId).toList();
    }

    private static Fault byId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown fault '" + id + "'; known: all, reduced, " + Arrays.stream(values()).map(Fault::id)
                        .collect(Collectors.joining(", "))));
    }
}
