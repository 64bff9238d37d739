package dev.xssab.cli.ops;

import dev.xssab.audit.AuditDatabase;
import dev.xssab.audit.AuditSettings;
import dev.xssab.chaos.AuditSchemas;
import dev.xssab.chaos.ChaosRun;
import dev.xssab.chaos.ChaosTable;
import dev.xssab.chaos.Fault;
import dev.xssab.chaos.OpenLoopLoad;
import dev.xssab.cli.Logging;
import dev.xssab.cli.PairInputs;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.cli.XssabCli;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.SettingGroup;
import dev.xssab.evaluator.LabelledPair;
import dev.xssab.evaluator.PairsCsv;
import dev.xssab.models.XssabHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xssab chaos}: the fault harness. A 3-node cluster and every service as processes of
 * their own, an open-loop load with a ledger of every request, the faults of the schedule held
 * and healed in turn, then the verifier over every topic and the audit.
 */
@Command(name = "chaos", description = "Hold faults on a 3-broker cluster under load, then prove nothing was lost or decided twice.")
public final class ChaosCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Option(names = "--rate", description = "Requests per second, sent whatever the cluster does (default: ${DEFAULT-VALUE}).")
    double rate = 2;

    @Option(names = "--faults", description = "Faults in order, by name, or 'all' or 'reduced' (CI's); known: kill-txn-coordinator,"
            + " pause-partition-leader, kill-controller, kill-explainer, fence-explainer, kill-gateway, pause-gateway, kill-audit,"
            + " kill-audit-db-connection, pause-txn-coordinator, drop-broker-traffic (default: ${DEFAULT-VALUE}).")
    String faults = "all";

    @Option(names = "--dataset", description = "Folder with pairs.csv and its images (default: ${DEFAULT-VALUE}).")
    Path dataset = Path.of("../shared/faces/deepface");

    @Override
    public List<SettingGroup> settingGroups() {
        return List.of(AuditSettings.GROUP);
    }

    @Override
    public Integer call() throws Exception {
        List<Fault> schedule;
        try {
            schedule = Fault.parse(faults);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        ServiceConfig c = service.config();
        Logging.quietKafkaClients();
        var database = new AuditSettings(c).database(XssabHome.dir().resolve("audit"));
        if (!database.jdbcUrl().startsWith("jdbc:postgresql:")) {
            throw new UserException("chaos runs the audit sink on PostgreSQL: set " + AuditSettings.JDBC_URL.flag() + " (or "
                    + AuditSettings.JDBC_URL.env() + ") to a jdbc:postgresql:// URL, with --jdbc-user and --jdbc-password");
        }
        String run = "chaos_" + Long.toString(System.currentTimeMillis(), 36);
        Path dir = Files.createDirectories(XssabHome.dir().resolve("chaos").resolve(run));
        AuditDatabase audit = AuditSchemas.isolated(database, run);
        ChaosRun.Options options = new ChaosRun.Options(rate, schedule, facePairs(dataset), serviceCommand(), audit,
                serviceHome(dir), dir.resolve("logs"), Duration.ofSeconds(20), Duration.ofMinutes(3));
        System.err.println("chaos: " + schedule.size() + " fault(s) at " + rate + " req/s; logs in " + dir.resolve("logs"));
        ChaosRun.Result result = new ChaosRun(options, System.err).run();
        ChaosTable.print(result, System.out);
        if (!result.report().passed()) {
            System.out.println(result.report().summary());
        }
        return result.report().passed() ? 0 : 1;
    }

    /** The pairs' images, read once: the load cycles through them. */
    static List<OpenLoopLoad.FacePair> facePairs(Path dataset) throws java.io.IOException {
        Path csv = dataset.resolve("pairs.csv");
        if (!Files.isRegularFile(csv)) {
            throw new UserException("no pairs.csv in " + dataset + " (--dataset)");
        }
        List<OpenLoopLoad.FacePair> pairs = new ArrayList<>();
        for (LabelledPair p : PairsCsv.read(csv)) {
            pairs.add(new OpenLoopLoad.FacePair(PairInputs.read(dataset.resolve(p.first())), PairInputs.read(dataset.resolve(p.second()))));
        }
        return pairs;
    }

    /** This CLI in a new JVM: how the harness starts each service. */
    static List<String> serviceCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.awt.headless=true", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), XssabCli.class.getName());
    }

    /** The services' own XSSAB_HOME (state folders), sharing this one's model cache. */
    static Path serviceHome(Path dir) throws java.io.IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path models = Files.createDirectories(XssabHome.dir().resolve("models"));
        if (!Files.exists(home.resolve("models"))) {
            Files.createSymbolicLink(home.resolve("models"), models);
        }
        return home;
    }
}
