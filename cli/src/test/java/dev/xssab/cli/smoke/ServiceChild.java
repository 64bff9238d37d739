package dev.xssab.cli.smoke;

import dev.xssab.cli.XssabCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One long-running command of the CLI as a child JVM ({@code java -cp <this classpath> XssabCli ARGS}, as
 * the chaos harness and up launch them), its output in a log file, with how to tell that it is ready.
 */
final class ServiceChild {
    /** How a service says it is ready: its /health/ready answers 200, or (a Kafka node, the UI) its port accepts connections. */
    record Readiness(URI healthUrl, int port) {
        static Readiness health(int metricsPort) {
            return new Readiness(URI.create("http://127.0.0.1:" + metricsPort + "/health/ready"), 0);
        }

        static Readiness port(int port) {
            return new Readiness(null, port);
        }

        String describe() {
            return healthUrl != null ? healthUrl + " answering 200" : "127.0.0.1:" + port + " accepting connections";
        }
    }

    /** The JVM options that keep a child's start-up CPU down: the client compiler only, the serial collector. */
    static final List<String> LIGHT_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final List<String> args;
    private final Readiness readiness;
    private final Path log;
    private volatile Process process;
    private volatile long readyAfterMs = -1;

    ServiceChild(String name, List<String> args, Readiness readiness, Path logs) {
        this.name = name;
        this.args = List.copyOf(args);
        this.readiness = readiness;
        this.log = logs.resolve(name + ".log");
    }

    String name() {
        return name;
    }

    Process process() {
        return process;
    }

    /** Milliseconds from start to ready, or -1 when it never was. */
    long readyAfterMs() {
        return readyAfterMs;
    }

    /**
     * {@code java ... XssabCli ARGS} on this JVM's classpath. Seven of these start at once on a small shared machine:
     * the client compiler only and the serial collector keep their start-up CPU down (a smoke test needs them up, not fast).
     */
    static List<String> javaCommand(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Xmx1g"));
        command.addAll(LIGHT_JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), XssabCli.class.getName()));
        command.addAll(args);
        return command;
    }

    /** Starts it with XSSAB_HOME set; every other variable as this JVM has it. */
    void start(Path home) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(javaCommand(args)).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(Map.of("XSSAB_HOME", home.toString()));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting ./xssab " + String.join(" ", args), e);
        }
    }

    /** Waits until it is ready; fails naming it, what it waited for and the end of its log, also when it exits meanwhile. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(this + " exited with " + process.exitValue() + " before it was ready; " + logTail());
            }
            if (ready()) {
                readyAfterMs = (System.nanoTime() - start) / 1_000_000;
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(this + " not ready within " + timeout.toSeconds() + " s (" + readiness.describe() + "); "
                + logTail());
    }

    private boolean ready() {
        if (readiness.healthUrl() == null) {
            return portOpen(readiness.port());
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(readiness.healthUrl()).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits for it to end; its exit code, or null when it is still running after {@code timeout}. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** Whatever is left after the test: SIGTERM, then SIGKILL. */
    void stopIfRunning() throws InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last lines of its log, for a failure message. */
    String logTail() {
        List<String> lines = logText().lines().toList();
        return "last lines of " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

    @Override
    public String toString() {
        return "./xssab " + String.join(" ", args) + " (" + name + ")";
    }
}
