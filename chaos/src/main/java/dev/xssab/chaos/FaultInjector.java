package dev.xssab.chaos;

import dev.xssab.audit.AuditDatabase;
import dev.xssab.chaos.cluster.ProcessKafkaCluster;
import dev.xssab.chaos.process.ManagedProcess;
import dev.xssab.schemas.Topics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Holds one {@link Fault} on the cluster and the services, finding its target through the Admin
 * API at the moment it starts: the transaction coordinator, a partition's leader and the active
 * controller all move as brokers die.
 */
final class FaultInjector {
    /** What undoes a fault once it has been held. */
    interface Heal {
        void heal() throws Exception;
    }

    private final ProcessKafkaCluster cluster;
    private final ServiceProcesses services;
    private final AuditDatabase audit;
    private final Optional<LoopbackFirewall> firewall;
    /** The explainers' transactional ids are this prefix, '-' and the instance number. */
    private final String explainerGroup;

    FaultInjector(ProcessKafkaCluster cluster, ServiceProcesses services, AuditDatabase audit,
            Optional<LoopbackFirewall> firewall, String explainerGroup) {
        this.cluster = cluster;
        this.services = services;
        this.audit = audit;
        this.firewall = firewall;
        this.explainerGroup = explainerGroup;
    }

    /** True when this machine can hold the fault (only traffic drops need something: nftables as root). */
    boolean possible(Fault fault) {
        return fault != Fault.DROP_BROKER_TRAFFIC || firewall.isPresent();
    }

    /**
     * Injects the fault now.
     *
     * @return what heals it, and a line saying what was hit
     */
    Injected inject(Fault fault) throws Exception {
        return switch (fault) {
            case KILL_TXN_COORDINATOR -> killBroker(cluster.transactionCoordinatorOf(explainerGroup + "-1"), "txn coordinator");
            case PAUSE_PARTITION_LEADER -> pauseBroker(cluster.leaderOf(new TopicPartition(Topics.ALIGNED_PAIRS, 0)),
                    "leader of " + Topics.ALIGNED_PAIRS + "-0");
            case KILL_CONTROLLER -> killBroker(cluster.activeController(), "active controller");
            case PAUSE_TXN_COORDINATOR -> pauseBroker(cluster.transactionCoordinatorOf(explainerGroup + "-1"), "txn coordinator");
            case KILL_EXPLAINER -> killService(services.get("explainer-0"));
            case FENCE_EXPLAINER -> pauseInTransaction();
            case KILL_GATEWAY -> killService(services.get("gateway"));
            case PAUSE_GATEWAY -> pauseService(services.get("gateway"), false);
            case KILL_AUDIT -> killService(services.get("audit"));
            case KILL_AUDIT_DB_CONNECTION -> terminateAuditConnections();
            case DROP_BROKER_TRAFFIC -> dropTraffic(cluster.leaderOf(new TopicPartition(Topics.REQUESTS, 0)));
        };
    }

    /** A fault in force: its heal and what it hit. */
    record Injected(Heal heal, String target) {}

    private Injected killBroker(int node, String role) {
        cluster.kill9(node);
        return new Injected(() -> cluster.restart(node), "broker " + node + " (" + role + "), pid gone");
    }

    private Injected pauseBroker(int node, String role) {
        cluster.pause(node);
        return new Injected(() -> cluster.resume(node), "broker " + node + " (" + role + ") SIGSTOP");
    }

    private Injected killService(ManagedProcess service) {
        service.kill9();
        return new Injected(() -> {
            service.start();
            services.awaitReady(service.name(), java.time.Duration.ofMinutes(3));
        }, service.name() + " kill -9");
    }

    private Injected pauseService(ManagedProcess service, boolean alreadyPaused) {
        if (!alreadyPaused) {
            service.pause();
        }
        return new Injected(() -> {
            service.resume();
            services.awaitReady(service.name(), java.time.Duration.ofMinutes(3));
        }, service.name() + " SIGSTOP");
    }

    /**
     * Freezes an explainer only while its transaction is open with records in it, so that the
     * coordinator times the transaction out, aborts it and fences the frozen producer: an
     * explainer frozen between batches has nothing to abort and comes back unfenced. A batch's
     * transaction is open only from its first send to its commit (tens of milliseconds: the
     * scoring happens before it begins), so both explainers' transactions are watched
     * back to back and the one seen open is frozen at once; if its commit landed before the
     * signal did, it is let go and the watch goes on.
     */
    private Injected pauseInTransaction() throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
        int instance = 1;
        while (System.nanoTime() < deadline) {
            instance = 1 - instance;
            if (cluster.openTransactionPartitions(explainerGroup + "-" + instance).isEmpty()) {
                continue;
            }
            ManagedProcess service = services.get("explainer-" + instance);
            service.pause();
            Thread.sleep(300); // what was in flight when it stopped (a commit, a produce) lands before we look again
            java.util.Set<TopicPartition> open = cluster.openTransactionPartitions(explainerGroup + "-" + instance);
            if (!open.isEmpty()) {
                return new Injected(pauseService(service, true).heal(),
                        service.name() + " SIGSTOP inside its transaction on " + open);
            }
            service.resume();
        }
        ManagedProcess service = services.get("explainer-1");
        return new Injected(pauseService(service, false).heal(), service.name() + " SIGSTOP (no open transaction found in 120 s)");
    }

    /** The audit sink's connections are ended by the server, as a database failover or restart would. */
    private Injected terminateAuditConnections() throws SQLException {
        int ended = 0;
        try (Connection c = DriverManager.getConnection(audit.jdbcUrl(), audit.user(), audit.password());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = current_user"
                        + " AND datname = current_database() AND pid <> pg_backend_pid()")) {
            while (r.next()) {
                ended += r.getBoolean(1) ? 1 : 0;
            }
        }
        return new Injected(() -> services.awaitReady("audit", java.time.Duration.ofMinutes(3)),
                ended + " audit connection(s) terminated");
    }

    private Injected dropTraffic(int node) {
        LoopbackFirewall wall = firewall.orElseThrow();
        wall.drop(List.of(cluster.layout().clientPort(node), cluster.layout().controllerPort(node)));
        return new Injected(wall::heal, "broker " + node + " ports dropped on 127.0.0.1");
    }
}
