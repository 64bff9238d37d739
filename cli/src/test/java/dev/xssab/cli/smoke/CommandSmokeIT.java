package dev.xssab.cli.smoke;

import static dev.xssab.cli.smoke.SmokeChecks.fileWritten;
import static dev.xssab.cli.smoke.SmokeChecks.json;
import static dev.xssab.cli.smoke.SmokeChecks.listsItsSubcommands;
import static dev.xssab.cli.smoke.SmokeChecks.ok;
import static dev.xssab.cli.smoke.SmokeChecks.userError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xssab.models.XssabHome;
import dev.xssab.testkit.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * Every command of README.md's command table, run once for real: the one-shot commands in this
 * JVM through {@code XssabCli.run}, with real models and the shared faces, against the
 * long-running commands started as child JVMs of the CLI on free 127.0.0.1 ports ({@link SmokeStack});
 * those are then stopped with SIGTERM and must exit cleanly. They share one temporary XSSAB_HOME
 * (its models folder is the model cache). Then up, status, demo and down run as child JVMs on a
 * local stack of their own, in a second temporary home, with every port moved off the defaults
 * (other stacks on this machine use those) by the XSSAB_* variables ({@link MovedLocalStack}).
 * chaos runs for minutes on PostgreSQL: it gets a parse-and-validate smoke only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandSmokeIT {
    /** Made in {@link #startTheLongRunningCommands} (JUnit does not inject a @TempDir field before a per-class @BeforeAll). */
    Path tmp;
    Path faces;
    Path small;
    Path two;
    Path home;
    /** The model cache, which both temporary homes link as their models folder. */
    Path models;
    SmokeStack stack;
    /** The stack up starts; made by the up entry, on ports free by then. */
    MovedLocalStack localStack;
    private String homeBefore;
    private long startedAt;

    @BeforeAll
    void startTheLongRunningCommands() throws Exception {
        startedAt = System.nanoTime();
        tmp = Files.createTempDirectory("xssab-smoke-");
        assertNull(System.getenv("XSSAB_HOME"), "XSSAB_HOME is set for the test JVM: it would win over the temporary home"
                + " this test gives its in-process commands (-Dxssab.home); unset it");
        faces = SharedData.deepface();
        models = Files.createDirectories(XssabHome.dir().resolve("models"));
        home = Files.createDirectories(tmp.resolve("home"));
        Files.createSymbolicLink(home.resolve("models"), models);
        homeBefore = System.getProperty("xssab.home");
        System.setProperty("xssab.home", home.toString());
        small = SmokeData.smallDataset(faces, tmp.resolve("small"));
        two = SmokeData.twoFaces(faces, tmp.resolve("two"));
        stack = SmokeStack.start(home, tmp.resolve("logs"));
    }

    @AfterAll
    void stopWhatIsLeft() throws Exception {
        try {
            if (stack != null) {
                stack.close();
            }
            if (localStack != null) {
                localStack.close();
            }
        } finally {
            if (homeBefore == null) {
                System.clearProperty("xssab.home");
            } else {
                System.setProperty("xssab.home", homeBefore);
            }
            System.out.printf("CommandSmokeIT: %.1f s wall time%n", (System.nanoTime() - startedAt) / 1e9);
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            // Links (models, the faces) are deleted as links: Files.walk does not follow them.
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @TestFactory
    Stream<DynamicTest> everyReadmeCommandRunsOnce() {
        return ReadmeCommands.tests("CommandSmokeIT", entries(), path -> "./xssab " + path);
    }

    /**
     * In the order they run: first what needs no cluster (while the services start), then the cluster's, then the stops;
     * then the local stack's commands, alone on the machine.
     */
    Map<String, Executable> entries() {
        Map<String, Executable> e = new LinkedHashMap<>();
        e.put("config", () -> assertTrue(ok("config", "--doc").out().contains("| `broker.port` | `--broker-port` | `XSSAB_BROKER_PORT` |")));
        e.put("models", () -> listsItsSubcommands("models", "list", "fetch"));
        e.put("ui add-user", this::uiAddUser);
        e.put("models fetch", this::modelsFetch);
        e.put("calibrate", this::calibrate);
        e.put("models list", this::modelsList);
        e.put("verify", this::verify);
        e.put("explain", this::explain);
        e.put("patchlfw", this::patchlfw);
        e.put("bench", () -> assertTrue(ok("bench", "--images", two.toString(), "--rounds", "1", "--leak-calls", "0").out()
                .matches("(?s).*\\nbatch +score ORT +score DJL +explain .*\\n1 +\\d.*\\n8 +\\d.*"), "the timing table"));
        e.put("bench-gateway", () -> assertTrue(ok("bench-gateway", "--images", two.toString(), "--rounds", "1").out()
                .contains("decode speed-up over ImageIO"), "the decode ratio"));
        new ClusterCommands(this).addTo(e);
        // chaos holds faults for minutes on a 3-node cluster with PostgreSQL: its schedule and its database are checked.
        e.put("chaos", () -> {
            userError("unknown fault 'nope'", "chaos", "--faults", "nope");
            userError("chaos runs the audit sink on PostgreSQL", "chaos", "--faults", "kill-gateway");
        });
        new ServiceCommands(this).addTo(e);
        new LocalStackCommands(this).addTo(e);
        return e;
    }

    /** A user added to a file of its own (the smoke stack's UI reads its own): the password printed once, only its hash kept. */
    private void uiAddUser() throws Exception {
        Path users = tmp.resolve("added-ui-users");
        CliRun run = ok("ui", "add-user", "smoke-viewer", "--role", "viewer", "--ui-credentials", users.toString());
        assertTrue(run.out().matches("smoke-viewer:[A-Za-z0-9_-]{24}\n"), run.describe());
        String password = run.out().trim().substring("smoke-viewer:".length());
        String file = Files.readString(users);
        assertTrue(file.matches("smoke-viewer:pbkdf2-sha256\\$210000\\$\\S+:viewer\n") && !file.contains(password), file);
        userError("already names user smoke-viewer", "ui", "add-user", "smoke-viewer", "--ui-credentials", users.toString());
        userError("a UI role is viewer, auditor or operator, not 'admin'", "ui", "add-user", "x", "--role", "admin",
                "--ui-credentials", users.toString());
    }

    private void modelsFetch() throws Exception {
        Path flat = tmp.resolve("flat-models");
        CliRun run = ok("models", "fetch", "--to", flat.toString());
        Matcher copied = Pattern.compile("copied (\\d+) verified files to").matcher(run.out());
        assertTrue(copied.find(), run.describe());
        try (Stream<Path> files = Files.list(flat)) {
            assertEquals(Long.parseLong(copied.group(1)), files.count(), "files in " + flat);
        }
    }

    /** Stores the threshold in the temporary home, where models list and verify then find it. */
    private void calibrate() throws Exception {
        CliRun run = ok("calibrate", "--pairs", small.resolve("pairs.csv").toString(), "--images", small.toString());
        assertTrue(run.out().contains("pairs       4 (2 genuine, 2 impostor)"), run.describe());
        assertTrue(run.out().contains("stored      threshold for fr_feature"), run.describe());
        assertTrue(Files.readString(home.resolve("thresholds.json")).contains("fr_feature"), "thresholds.json has fr_feature");
    }

    private void modelsList() {
        CliRun run = ok("models", "list");
        assertTrue(run.out().startsWith("id "), run.describe());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("fr_feature ") && l.contains("calibrated here")),
                "fr_feature shows the threshold calibrate stored: " + run.describe());
    }

    private void verify() {
        JsonNode out = json(ok("verify", faces.resolve("img1.jpg").toString(), faces.resolve("img2.jpg").toString()).out());
        assertEquals("MATCH", out.get("decision").asText(), out.toString());
        assertTrue(out.get("threshold_source").asText().startsWith("calibrated on this machine"), out.toString());
    }

    private void explain() throws Exception {
        Path out = tmp.resolve("explain");
        JsonNode json = json(ok("explain", faces.resolve("img1.jpg").toString(), faces.resolve("img3.jpg").toString(), "--out",
                out.toString()).out());
        assertEquals("NO_MATCH", json.get("decision").asText(), json.toString());
        fileWritten(out.resolve("panel.png"), "explain");
    }

    private void patchlfw() throws Exception {
        Path out = tmp.resolve("patchlfw");
        ok("patchlfw", "--dataset", "csv:" + small, "--out", out.toString(), "--seed", "3");
        assertEquals(SmokeData.PAIRS.size(), Files.readAllLines(out.resolve("pairs.txt")).size(), "pairs.txt");
        fileWritten(out.resolve("patched").resolve("0.png"), "patchlfw");
    }
}
