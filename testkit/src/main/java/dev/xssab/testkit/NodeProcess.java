package dev.xssab.testkit;

import dev.xssab.broker.NodeMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Kafka node of a {@link ProcessKafkaCluster} in a {@code java} process of its own, so that it
 * can be killed with SIGKILL or frozen with SIGSTOP like a real broker. Its output goes to
 * {@code node.log} in its folder, appended across restarts.
 */
final class NodeProcess {
    /** Kafka's own start script's heap is 1 GB; half of it is plenty for a test's topics. */
    private static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true", "-D" + NodeMain.EXIT_WITH_PARENT + "=true");

    private final int nodeId;
    private final Path dir;
    /** Volatile for {@link #emergencyStop}, which takes no lock. */
    private volatile Process process;
    private volatile boolean paused;

    NodeProcess(int nodeId, Path dir) {
        this.nodeId = nodeId;
        this.dir = dir;
    }

    Path configFile() {
        return dir.resolve("server.properties");
    }

    Path logFile() {
        return dir.resolve("node.log");
    }

    /** Starts the node (its storage formatted already); the test JVM's class path has the broker. */
    synchronized void start() {
        if (alive()) {
            throw new IllegalStateException("node " + nodeId + " is running already (pid " + process.pid() + ")");
        }
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NodeMain.class.getName(), configFile().toString()));
        try {
            Files.writeString(logFile(), "---- starting node " + nodeId + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting node " + nodeId, e);
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("node " + nodeId + " was never started");
        }
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, no controlled shutdown; returns once the process is gone. */
    synchronized void kill9() {
        requireAlive();
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
        paused = false;
    }

    /** SIGSTOP: the process keeps its sockets but answers nothing, like a node in a long GC pause. */
    synchronized void pause() {
        requireAlive();
        paused = true;
        signal("STOP");
    }

    /** SIGCONT, whether or not the node was paused through {@link #pause} (it costs nothing). */
    synchronized void resume() {
        if (alive()) {
            signal("CONT");
        }
        paused = false;
    }

    boolean paused() {
        return paused;
    }

    /** SIGTERM (Kafka's controlled shutdown), then SIGKILL after {@code grace}. A paused node is resumed first. */
    synchronized void stop(Duration grace) {
        if (!alive()) {
            return;
        }
        resume();
        process.destroy();
        if (!awaitExit(grace)) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
        }
    }

    /**
     * For a shutdown hook: SIGCONT (a stopped process must never be left behind stopped), then
     * SIGKILL. Takes no lock, since the thread holding it may be the one the JVM is leaving.
     */
    void emergencyStop() {
        Process p = process;
        if (p != null && p.isAlive()) {
            try {
                signal(p, "CONT");
            } catch (RuntimeException e) {
                // SIGKILL below ends a stopped process too
            }
            p.destroyForcibly();
        }
    }

    /** The resident set size in kB, from /proc/<pid>/status (Linux). */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("node " + nodeId + " is not running", e);
        }
        throw new IllegalStateException("no VmRSS for node " + nodeId);
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void requireAlive() {
        if (!alive()) {
            throw new IllegalStateException("node " + nodeId + " is not running");
        }
    }

    private void signal(String signal) {
        signal(process, signal);
    }

    private static void signal(Process target, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(target.pid())).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + target.pid() + " failed: " + out.trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + signal + " to " + target.pid(), e);
        }
    }
}
