package dev.xssab.chaos.verify;

import dev.xssab.audit.AuditStore;
import dev.xssab.chaos.Ledger;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.schemas.Topics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;

/**
 * After a fault run: waits for quiescence, scans the outcome topics in both isolation levels,
 * reads the audit and the cluster's transaction state, and judges it all against the ledger.
 * The judging is {@link Verdict#evaluate}; this class only gathers the {@link Evidence}.
 */
public final class Verifier {
    /**
     * How the verifier waits and reads.
     *
     * @param quiescenceTimeout how long to wait for zero lag and no open transaction before judging anyway
     * @param scanTimeout how long one pass over one topic may take
     * @param systemGroups which consumer groups are the system's (their lag must reach zero)
     */
    public record Options(Duration quiescenceTimeout, Duration scanTimeout, Predicate<String> systemGroups,
            Verdict.Expectations expectations) {
        /** 180 s to quiesce, 60 s per scan pass, every group whose id starts with {@code xssab-}, a fault run's expectations. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(180), Duration.ofSeconds(60), id -> id.startsWith("xssab-"),
                    Verdict.Expectations.faultRun());
        }
    }

    private final KafkaClients clients;
    private final Topics topics;
    private final AuditStore audit;
    private final Options options;

    /**
     * @param clients clients of the cluster under test
     * @param topics the topics and their serdes (the registry must be up)
     * @param audit the audit store to compare (its own connection; not shared with a running sink), or null to skip that check
     */
    public Verifier(KafkaClients clients, Topics topics, AuditStore audit, Options options) {
        this.clients = clients;
        this.topics = topics;
        this.audit = audit;
        this.options = options;
    }

    /** Gathers the evidence and judges it against {@code ledger}. */
    public VerificationReport verify(Ledger ledger) throws InterruptedException, ExecutionException, SQLException {
        return Verdict.evaluate(ledger, gather(), options.expectations());
    }

    /** Waits for quiescence (bounded), then scans, reads the audit and the cluster state. */
    public Evidence gather() throws InterruptedException, ExecutionException, SQLException {
        List<String> notQuiescent = new Quiescence(clients, options.systemGroups()).await(options.quiescenceTimeout());
        Outcomes outcomes = new TopicScan(clients, topics, options.scanTimeout()).scan();
        AuditSnapshot snapshot = audit == null ? null : AuditSnapshot.read(audit, outcomes.explanations().stream()
                .map(Scanned::requestId).distinct().toList());
        ClusterState cluster;
        try (Admin admin = clients.admin()) {
            cluster = ClusterState.read(admin);
        }
        return new Evidence(outcomes, snapshot, cluster, notQuiescent);
    }
}
