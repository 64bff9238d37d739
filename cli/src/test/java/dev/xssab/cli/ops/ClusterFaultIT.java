package dev.xssab.cli.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.xssab.audit.AuditDatabase;
import dev.xssab.chaos.AuditSchemas;
import dev.xssab.chaos.ChaosRun;
import dev.xssab.chaos.ChaosTable;
import dev.xssab.chaos.Fault;
import dev.xssab.chaos.verify.FaultFigures;
import dev.xssab.chaos.verify.VerificationReport;
import dev.xssab.testkit.SharedData;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's run of {@code xssab chaos}: the reduced schedule ({@link Fault#REDUCED}: the transaction
 * coordinator killed, a partition leader paused past the session timeout, an explainer frozen
 * until it is fenced, the gateway killed) on a 3-node cluster of processes, every service a
 * process of its own, the audit on PostgreSQL, under an open-loop load of real face pairs; then
 * the verifier, which must find every request decided exactly once and audited as decided.
 */
class ClusterFaultIT {
    @TempDir
    Path tmp;

    @Test
    void theReducedScheduleLosesNothingAndDecidesNothingTwice() throws Exception {
        Path faces = SharedData.deepface();
        AuditDatabase audit = AuditSchemas.isolated(postgres(), "chaos_it_" + Long.toString(System.currentTimeMillis(), 36));
        ChaosRun.Options options = new ChaosRun.Options(2, Fault.REDUCED, ChaosCommand.facePairs(faces),
                ChaosCommand.serviceCommand(), audit, ChaosCommand.serviceHome(tmp), tmp.resolve("logs"), Duration.ofSeconds(20),
                Duration.ofMinutes(3));

        ChaosRun.Result result = new ChaosRun(options, System.err).run();
        ChaosTable.print(result, System.out);

        VerificationReport report = result.report();
        assertTrue(report.passed(), () -> report.summary() + "\n(logs in " + tmp.resolve("logs") + ")");
        assertEquals(Fault.REDUCED.size(), result.faults().size());
        for (ChaosRun.FaultOutcome outcome : result.faults()) {
            assertNull(outcome.skipped(), outcome.fault().id() + " was skipped");
            assertNotNull(outcome.window(), outcome.fault().id() + " has no window");
        }
        for (FaultFigures figures : result.figures()) {
            assertTrue(figures.sent() > 0, figures.fault() + ": no request was sent while it was held");
            assertEquals(0, figures.lost(), figures.fault() + " lost requests");
            assertEquals(0, figures.duplicated(), figures.fault() + " decided requests twice");
        }
    }

    /** The server .ci/run starts; under CI=true its absence is a failure, elsewhere a skip. */
    private static AuditDatabase postgres() {
        String url = System.getenv("XSSAB_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true but XSSAB_TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL for the fault harness");
            }
            assumeTrue(false, "XSSAB_TEST_POSTGRES_URL not set: the fault harness runs its audit sink on PostgreSQL");
        }
        return new AuditDatabase(url, env("XSSAB_TEST_POSTGRES_USER", "xssab"),
                env("XSSAB_TEST_POSTGRES_PASSWORD", "xssab"));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
