package dev.xssab.cli.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** What the smoke IT asserts of a command it ran: exit codes, one-line errors, JSON, files, HTTP answers. */
final class SmokeChecks {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private SmokeChecks() {}

    /** Runs {@code ./xssab ARGS} in this JVM and requires exit code 0. */
    static CliRun ok(List<String> args) {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.code(), run.describe());
        return run;
    }

    static CliRun ok(String... args) {
        return ok(List.of(args));
    }

    /** A user error: exit code 2 and exactly one line "xssab CMD: ..." naming what is wrong, no stack trace. */
    static CliRun userError(String expected, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(2, run.code(), run.describe());
        assertEquals(1, run.errorLines(), "one line: " + run.describe());
        assertTrue(run.err().contains(expected), "the line says " + expected + ": " + run.describe());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.describe());
        return run;
    }

    /** A command with subcommands run bare: exit 2, "Missing required subcommand" and the usage listing each subcommand. */
    static void listsItsSubcommands(String command, String... subcommands) {
        CliRun run = CliRun.of(command);
        assertEquals(2, run.code(), run.describe());
        assertTrue(run.err().startsWith("Missing required subcommand"), run.describe());
        for (String sub : subcommands) {
            assertTrue(run.err().lines().anyMatch(l -> l.strip().startsWith(sub + " ")), sub + " listed: " + run.describe());
        }
    }

    /** Runs until {@code done} holds or {@code timeout} passes (what a service stores arrives a moment later); the last run. */
    static CliRun until(Duration timeout, Predicate<CliRun> done, Supplier<CliRun> attempt) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CliRun last = attempt.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            last = attempt.get();
        }
        return last;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static void fileWritten(Path file, String by) throws IOException {
        assertTrue(Files.isRegularFile(file) && Files.size(file) > 0, by + " wrote " + file);
    }

    /** GET a URL on 127.0.0.1, with basic authentication when {@code userPassword} is not null. */
    static HttpResponse<String> get(String url, String userPassword) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (userPassword != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes()));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + url, e);
        }
    }

    /** The sum of a Prometheus metric's samples whose labels contain {@code label} (e.g. outcome="accepted"). */
    static double metric(String prometheusText, String name, String label) {
        List<Double> values = new ArrayList<>();
        for (String line : prometheusText.lines().toList()) {
            if (line.startsWith(name + "{") && line.contains(label)) {
                values.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }
}
