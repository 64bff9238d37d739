package dev.xssab.cli.smoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./xssab ARGS} as a child JVM run to its end, for the commands whose settings come from the
 * process environment (XSSAB_*), which this JVM cannot change for a command it runs in itself.
 */
final class CliChild {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private CliChild() {}

    /**
     * Runs it with {@code env} over this JVM's variables, minus this JVM's own XSSAB_* (the run's settings are exactly
     * {@code env}); its stdout and stderr go to files in {@code logs} (no pipe to drain), read back when it ends.
     * Fails with what it printed when it is still running after {@code timeout} (then killed).
     */
    static CliRun run(Map<String, String> env, Path logs, Duration timeout, List<String> args) throws IOException, InterruptedException {
        String name = RUNS.incrementAndGet() + "-" + args.get(0);
        Path out = Files.createDirectories(logs).resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(ServiceChild.javaCommand(args)).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("XSSAB_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        CliRun run = new CliRun(args, ended ? p.exitValue() : -1, Files.readString(out), Files.readString(err));
        if (!ended) {
            throw new AssertionError("still running after " + timeout.toSeconds() + " s, killed: " + run.describe());
        }
        return run;
    }
}
