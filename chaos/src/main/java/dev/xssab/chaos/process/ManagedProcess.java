package dev.xssab.chaos.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One program in a process of its own, so that it can be killed with SIGKILL or frozen with
 * SIGSTOP like a real server: a Kafka node or a service of the stack. Its output is appended to a
 * log file across restarts. A paused process always gets its SIGCONT before it is stopped, and in
 * {@link #emergencyStop} (for a shutdown hook), so that none is ever left behind frozen.
 */
public final class ManagedProcess {
    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    /** Volatile for {@link #emergencyStop}, which takes no lock. */
    private volatile Process process;
    private volatile boolean paused;

    /**
     * @param command the whole command line (java, its options, main class, arguments)
     * @param environment added to this process's environment
     */
    public ManagedProcess(String name, List<String> command, Map<String, String> environment, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** Starts the program; a restart uses the same command, environment and log. */
    public synchronized void start() {
        if (alive()) {
            throw new IllegalStateException(name + " is running already (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "---- starting " + name + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()));
            pb.environment().putAll(environment);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name, e);
        }
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush; returns once the process is gone. */
    public synchronized void kill9() {
        requireAlive();
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
        paused = false;
    }

    /** SIGSTOP: the process keeps its sockets but answers nothing, like one in a long GC pause. */
    public synchronized void pause() {
        requireAlive();
        paused = true;
        signal(process, "STOP");
    }

    /** SIGCONT, whether or not it was paused through {@link #pause} (it costs nothing). */
    public synchronized void resume() {
        if (alive()) {
            signal(process, "CONT");
        }
        paused = false;
    }

    public boolean paused() {
        return paused;
    }

    /** SIGTERM, then SIGKILL after {@code grace}; a paused process is resumed first. */
    public synchronized void stop(Duration grace) {
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

    /** For a shutdown hook: SIGCONT, then SIGKILL. Takes no lock: its holder may be the thread the JVM is leaving. */
    public void emergencyStop() {
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

    /** The resident set size in kB, from /proc/PID/status (Linux). */
    public long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + " is not running", e);
        }
        throw new IllegalStateException("no VmRSS for " + name);
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
            throw new IllegalStateException(name + " is not running");
        }
    }

    private static void signal(Process target, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(target.pid())).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
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
