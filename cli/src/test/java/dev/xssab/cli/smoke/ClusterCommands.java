package dev.xssab.cli.smoke;

import static dev.xssab.cli.smoke.SmokeChecks.fileWritten;
import static dev.xssab.cli.smoke.SmokeChecks.json;
import static dev.xssab.cli.smoke.SmokeChecks.listsItsSubcommands;
import static dev.xssab.cli.smoke.SmokeChecks.ok;
import static dev.xssab.cli.smoke.SmokeChecks.until;
import static dev.xssab.cli.smoke.SmokeChecks.userError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.function.Executable;

/** The smoke IT's one-shot commands that talk to the cluster: each waits for the smoke stack, then runs once against it. */
final class ClusterCommands {
    /** The request submit sends, which audit list and audit show then find. */
    static final String SUBMITTED = "smoke-submit";
    /** The evaluation run that report draws. */
    static final String RUN = "smoke-eval";

    private final CommandSmokeIT it;

    ClusterCommands(CommandSmokeIT it) {
        this.it = it;
    }

    void addTo(Map<String, Executable> e) {
        e.put("probe", this::probe);
        e.put("threshold", () -> listsItsSubcommands("threshold", "set"));
        // mobileface: the smoke explainer serves fr_feature only, so that no decision below changes.
        e.put("threshold set", () -> assertTrue(cluster("threshold", "set", "mobileface", "0.5", "--reason", "smoke test").out()
                .startsWith("threshold of mobileface is now 0.500000 (set by "), "the new live threshold"));
        e.put("submit", this::submit);
        e.put("audit", () -> listsItsSubcommands("audit", "run", "list", "show", "purge", "erase", "rotate-key"));
        e.put("audit list", this::auditList);
        e.put("audit show", this::auditShow);
        // After audit show: erase takes the submitted request's images, which show then refuses to draw.
        e.put("audit erase", this::auditErase);
        e.put("audit purge", this::auditPurge);
        e.put("audit rotate-key", this::auditRotateKey);
        e.put("bench-latency", () -> assertTrue(cluster("bench-latency", "--rate", "2", "--duration", "PT3S", "--dataset",
                it.small.toString()).out().contains("no outcome   0\n"), "every request decided"));
        e.put("bench-pipeline", () -> assertTrue(cluster("bench-pipeline", "--images", it.two.toString(), "--pairs", "2", "--batch",
                "2").out().contains("pipeline / engine (same run, same process state): "), "the throughput ratio"));
        e.put("evaluate", this::evaluate);
        e.put("report", this::report);
    }

    /** Runs a command with the smoke cluster's flags, once the smoke stack is ready; requires exit code 0. */
    private CliRun cluster(String... args) throws InterruptedException {
        it.stack.awaitReady();
        return ok(CliRun.join(List.of(args), it.stack.clusterFlags().toArray(String[]::new)));
    }

    private void probe() throws InterruptedException {
        it.stack.awaitReady();
        ok("probe", "tcp://127.0.0.1:" + it.stack.brokerPort);
        ok("probe", "http://127.0.0.1:" + it.stack.metricsPorts.get("registry") + "/health/ready");
        CliRun closed = CliRun.of("probe", "tcp://127.0.0.1:" + SmokeStack.unusedPorts(1).get(0));
        assertEquals(1, closed.code(), "a port nobody listens on: " + closed.describe());
        assertEquals(1, closed.errorLines(), closed.describe());
    }

    private void submit() throws Exception {
        Path out = it.tmp.resolve("submit");
        JsonNode json = json(cluster("submit", it.faces.resolve("img1.jpg").toString(), it.faces.resolve("img2.jpg").toString(),
                "--explain", "--request-id", SUBMITTED, "--out", out.toString(), "--timeout", "PT2M").out());
        assertEquals("DECIDED", json.get("status").asText(), json.toString());
        assertEquals("MATCH", json.get("decision").asText(), json.toString());
        fileWritten(Path.of(json.get("panel").asText()), "submit --explain --out");
    }

    /** The audit sink stores the submitted decision, and then its explanation, a moment after they were made. */
    private void auditList() throws InterruptedException {
        Predicate<String> explainedMatch = l -> l.startsWith(SUBMITTED + " ") && l.contains(" MATCH ") && l.contains(" yes ");
        CliRun run = until(Duration.ofSeconds(60), r -> r.code() == 0 && r.out().lines().anyMatch(explainedMatch),
                () -> CliRun.of("audit", "list"));
        assertEquals(0, run.code(), run.describe());
        assertTrue(run.out().startsWith("request "), run.describe());
        assertTrue(run.out().lines().anyMatch(explainedMatch), "the submitted request, decided and explained: " + run.describe());
    }

    private void auditShow() throws Exception {
        Path out = it.tmp.resolve("audit-show");
        CliRun run = until(Duration.ofSeconds(60), r -> r.code() == 0, () -> CliRun.of("audit", "show", SUBMITTED, "--out",
                out.toString()));
        assertEquals(0, run.code(), run.describe());
        assertTrue(run.out().startsWith(SUBMITTED + ": MATCH, score "), run.describe());
        fileWritten(out.resolve("panel.png"), "audit show");
    }

    private void auditErase() {
        CliRun run = ok("audit", "erase", "--request", SUBMITTED, "no-such-request");
        assertTrue(run.out().startsWith("erased the images and maps of 1 request(s):\n  " + SUBMITTED + "\n"), run.describe());
        assertTrue(run.out().contains("  no-such-request: no stored images"), run.describe());
        assertTrue(run.out().contains("until the topics' retention.ms deletes them"), "says that Kafka keeps them: " + run.describe());
        userError("images erased on ", "audit", "show", SUBMITTED, "--out", it.tmp.resolve("audit-erased").toString());
        CliRun again = ok("audit", "erase", "--tag", "subject=nobody-" + SUBMITTED);
        assertTrue(again.out().startsWith("0 request(s) tagged subject=nobody-" + SUBMITTED + "\nerased the images and maps of 0 "
                + "request(s)\n"), again.describe());
        userError("expected KEY=VALUE", "audit", "erase", "--tag", "subject");
    }

    /** Whatever else was explained more than a second ago goes; the submitted request was erased already. */
    private void auditPurge() {
        CliRun run = ok("audit", "purge", "--older-than", "PT1S");
        assertTrue(run.out().matches("(?s)erased the images and maps of \\d+ request\\(s\\) stored more than PT1S ago.*"), run.describe());
        assertTrue(run.out().lines().noneMatch(l -> l.equals("  " + SUBMITTED)), "erased already: " + run.describe());
        assertTrue(run.out().contains("until the topics' retention.ms deletes them"), run.describe());
        userError("not an ISO-8601 duration", "audit", "purge", "--older-than", "30d");
    }

    /**
     * The smoke sink stores in plaintext: rotate-key needs a key file, makes one and seals what the purge left (maybe nothing),
     * then rotates to k2. The sink goes on writing plaintext rows, which read as before.
     */
    private void auditRotateKey() {
        userError("no audit.encryption.key.file set", "audit", "rotate-key");
        String keys = it.tmp.resolve("audit-keys.properties").toString();
        CliRun first = ok("audit", "rotate-key", "--audit-key-file", keys);
        assertTrue(first.out().matches("(?s)created the key file " + Pattern.quote(keys) + " \\(mode 600\\)\nrewrapped 0, sealed \\d+, "
                + "key now k1\n.*"), first.describe());
        CliRun second = ok("audit", "rotate-key", "--audit-key-file", keys);
        assertTrue(second.out().matches("(?s)rewrapped \\d+, sealed \\d+, key now k2\n.*"), second.describe());
    }

    private void evaluate() throws InterruptedException {
        CliRun run = cluster("evaluate", "--dataset", "csv:" + it.small, "--no-up", "--strategies", "best_worst", "--steps",
                "50..50/5", "--run", RUN, "--timeout", "PT3M");
        Matcher outcomes = Pattern.compile("outcomes +(\\d+) of (\\d+) ").matcher(run.out());
        assertTrue(outcomes.find(), run.describe());
        assertEquals(outcomes.group(2), outcomes.group(1), "every outcome of the run came: " + run.describe());
        // Per pair: the original, the Patch-LFW variant and best_worst at 50 %.
        assertEquals(String.valueOf(SmokeData.PAIRS.size() * 3), outcomes.group(2), run.describe());
    }

    /** The aggregates service publishes the run's cells shortly after its results, not all at once: wait for the strategy's. */
    private void report() throws Exception {
        Path out = it.tmp.resolve("report");
        List<String> args = CliRun.join(List.of("report", RUN, "--out", out.toString()), it.stack.clusterFlags().toArray(String[]::new));
        CliRun run = until(Duration.ofSeconds(60), r -> r.code() == 0 && r.out().contains(" best_worst "), () -> CliRun.of(args));
        assertEquals(0, run.code(), run.describe());
        assertTrue(run.out().contains(" best_worst "), "the table has the run's strategy: " + run.describe());
        fileWritten(out.resolve("index.html"), "report");
        fileWritten(out.resolve("fmr.png"), "report");
    }
}
