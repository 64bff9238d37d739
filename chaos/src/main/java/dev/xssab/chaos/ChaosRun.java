package dev.xssab.chaos;

import dev.xssab.audit.AuditDatabase;
import dev.xssab.audit.AuditStore;
import dev.xssab.chaos.cluster.ProcessKafkaCluster;
import dev.xssab.chaos.verify.FaultFigures;
import dev.xssab.chaos.verify.Quiescence;
import dev.xssab.chaos.verify.Verdict;
import dev.xssab.chaos.verify.VerificationReport;
import dev.xssab.chaos.verify.Verifier;
import dev.xssab.config.Replication;
import dev.xssab.kafka.TopicAdmin;
import dev.xssab.schemas.Topics;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of the fault harness: a 3-node cluster and the services as processes, an open-loop
 * load with its ledger, every fault of the schedule held and healed in turn (each followed by a
 * wait for zero lag and a full ISR), then the verifier over everything that was written.
 */
public final class ChaosRun {
    /** Three nodes: one may be lost while min.insync.replicas=2 still takes every write. */
    static final int BROKERS = 3;
    static final Replication REPLICATION = new Replication((short) 3, 2, (short) 3);
    /** The explainers' consumer group, and so the prefix of their transactional ids (the declared default). */
    static final String EXPLAINER_GROUP = "xssab-explainer";
    /** The system's consumer groups and Streams applications: the declared defaults all start so. */
    static final java.util.function.Predicate<String> SYSTEM_GROUPS = id -> id.startsWith("xssab-");

    /**
     * @param serviceCommand java, its options and the CLI's main class, to start each service with
     * @param home the services' XSSAB_HOME (its models folder is the model cache)
     * @param logs where each process writes its log
     * @param warmup load before the first fault
     * @param settle longest wait for zero lag and a full ISR after a fault
     */
    public record Options(double rate, List<Fault> faults, List<OpenLoopLoad.FacePair> pairs, List<String> serviceCommand,
            AuditDatabase audit, Path home, Path logs, Duration warmup, Duration settle) {}

    /** What one fault did, for the table. */
    public record FaultOutcome(Fault fault, String target, Ledger.FaultWindow window, Duration recovery, String skipped) {}

    /** The run's result: each fault, and the verifier's report. */
    public record Result(List<FaultOutcome> faults, VerificationReport report, List<FaultFigures> figures) {}

    private final Options options;
    private final PrintStream log;

    public ChaosRun(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    /** Runs the whole schedule; every process started is stopped, and every paused one resumed, whatever happens. */
    public Result run() throws Exception {
        Files.createDirectories(options.logs());
        StringBuilder noFirewall = new StringBuilder();
        Optional<LoopbackFirewall> firewall = LoopbackFirewall.probe(noFirewall);
        try (ProcessKafkaCluster cluster = ProcessKafkaCluster.start(BROKERS)) {
            log.println("chaos: cluster of " + BROKERS + " nodes on " + cluster.bootstrapServers());
            TopicAdmin.ensureTopics(cluster.clients(), Topics.create(Map.of("schema.registry.url", "mock://provisioning")), 4,
                    REPLICATION);
            try (ServiceProcesses services = new ServiceProcesses(options.serviceCommand(), cluster.bootstrapServers(),
                    replicationFlags(), options.audit(), options.home(), options.logs())) {
                Thread hook = new Thread(services::emergencyStop, "chaos-services-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    return underLoad(cluster, services, firewall, noFirewall.toString());
                } finally {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
            }
        } finally {
            firewall.ifPresent(LoopbackFirewall::close); // never leave a rule behind
        }
    }

    private Result underLoad(ProcessKafkaCluster cluster, ServiceProcesses services, Optional<LoopbackFirewall> firewall,
            String noFirewall) throws Exception {
        services.startAll(Duration.ofMinutes(4));
        log.println("chaos: services ready; registry " + services.registryUrl());
        Topics topics = Topics.create(Map.of("schema.registry.url", services.registryUrl(), "auto.register.schemas", true,
                "specific.avro.reader", true));
        Ledger ledger = new Ledger();
        AtomicReference<String> current = new AtomicReference<>();
        FaultInjector injector = new FaultInjector(cluster, services, options.audit(), firewall, EXPLAINER_GROUP);
        List<FaultOutcome> outcomes = new ArrayList<>();
        try (OpenLoopLoad load = new OpenLoopLoad(cluster.clients(), topics, options.pairs(), OpenLoopLoad.Plan.of(options.rate()),
                ledger, current::get)) {
            load.start();
            Thread.sleep(options.warmup().toMillis());
            Quiet quiet = new Quiet(cluster, options.settle());
            quiet.await();
            for (Fault fault : options.faults()) {
                outcomes.add(hold(fault, injector, current, ledger, quiet, noFirewall));
                logRss(cluster);
            }
            Thread.sleep(options.warmup().toMillis());
            load.stop();
            log.println("chaos: load stopped after " + load.sent() + " sends");
        }
        VerificationReport report = verify(cluster, topics, ledger);
        return new Result(outcomes, report, report.faultFigures(ledger));
    }

    private FaultOutcome hold(Fault fault, FaultInjector injector, AtomicReference<String> current, Ledger ledger, Quiet quiet,
            String noFirewall) throws Exception {
        if (!injector.possible(fault)) {
            log.println("chaos: skipped " + fault.id() + ": " + noFirewall);
            return new FaultOutcome(fault, "-", null, Duration.ZERO, noFirewall);
        }
        long start = System.currentTimeMillis();
        current.set(fault.id());
        FaultInjector.Injected injected;
        try {
            injected = injector.inject(fault);
            log.println("chaos: " + fault.id() + ": " + injected.target() + ", held " + fault.hold().toSeconds() + " s");
            Thread.sleep(fault.hold().toMillis());
        } finally {
            current.set(null);
        }
        injected.heal().heal();
        long healed = System.currentTimeMillis();
        Ledger.FaultWindow window = new Ledger.FaultWindow(fault.id(), start, healed);
        ledger.record(window);
        quiet.await();
        Duration recovery = Duration.ofMillis(System.currentTimeMillis() - healed);
        log.println("chaos: " + fault.id() + " healed; zero lag and full ISR " + recovery.toMillis() + " ms later");
        return new FaultOutcome(fault, injected.target(), window, recovery, null);
    }

    private void logRss(ProcessKafkaCluster cluster) {
        StringBuilder rss = new StringBuilder("chaos: broker RSS");
        for (int node : cluster.layout().nodeIds()) {
            rss.append(' ').append(node).append('=').append(cluster.rssKb(node) / 1024).append(" MB");
        }
        log.println(rss);
    }

    /** Zero lag in every system group and a full ISR: the state a fault must leave behind before the next one. */
    private static final class Quiet {
        private final ProcessKafkaCluster cluster;
        private final Duration timeout;

        Quiet(ProcessKafkaCluster cluster, Duration timeout) {
            this.cluster = cluster;
            this.timeout = timeout;
        }

        void await() throws Exception {
            cluster.awaitFullIsr(timeout);
            List<String> lagging = new Quiescence(cluster.clients(), SYSTEM_GROUPS).await(timeout);
            if (!lagging.isEmpty()) {
                throw new IllegalStateException("not quiet " + timeout.toSeconds() + " s after the heal: " + lagging);
            }
        }
    }

    private VerificationReport verify(ProcessKafkaCluster cluster, Topics topics, Ledger ledger) throws Exception {
        try (AuditStore audit = AuditStore.open(options.audit().jdbcUrl(), options.audit().user(), options.audit().password())) {
            return new Verifier(cluster.clients(), topics, audit, new Verifier.Options(Duration.ofSeconds(240), Duration.ofSeconds(90),
                    SYSTEM_GROUPS, Verdict.Expectations.faultRun())).verify(ledger);
        }
    }

    private static List<String> replicationFlags() {
        return List.of("--replication-factor", String.valueOf(REPLICATION.topicFactor()), "--min-insync-replicas",
                String.valueOf(REPLICATION.minInsyncReplicas()), "--streams-replication-factor",
                String.valueOf(REPLICATION.streamsFactor()));
    }
}
