package dev.xssab.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A reference runtime for parity tests: node with {@code @tensorflow/tfjs} (pure JS, CPU backend)
 * and face-api, installed by npm at pinned versions into {@code XSSAB_HOME/node-reference}
 * (outside the repository; installed once, reused). Scripts come from the test's resources.
 *
 * <p>Without node or npm the test is skipped with the reason; under CI=true it fails instead.
 */
public final class NodeReference {
    /** Exact versions: a parity result means something only against a fixed reference. */
    public static final String PACKAGE_JSON = """
            {
              "name": "xssab-node-reference",
              "private": true,
              "description": "Reference runtimes for xssab's parity tests (installed by the tests)",
              "dependencies": {
                "@tensorflow/tfjs": "4.22.0",
                "@tensorflow/tfjs-backend-wasm": "4.22.0",
                "@vladmandic/face-api": "1.7.15"
              }
            }
            """;

    private final Path dir;

    private NodeReference(Path dir) {
        this.dir = dir;
    }

    /** The installed reference, installing it on first use. */
    public static synchronized NodeReference installed() {
        String home = System.getenv("XSSAB_HOME");
        Path base = home != null && !home.isBlank() ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".cache", "xssab");
        Path dir = base.resolve("node-reference");
        try {
            Files.createDirectories(dir);
            Path pkg = dir.resolve("package.json");
            boolean current = Files.isRegularFile(pkg) && Files.readString(pkg).equals(PACKAGE_JSON)
                    && Files.isDirectory(dir.resolve("node_modules/@vladmandic/face-api"))
                    && Files.isDirectory(dir.resolve("node_modules/@tensorflow/tfjs"));
            if (!current) {
                Files.writeString(pkg, PACKAGE_JSON);
                run(dir, List.of(npm(), "install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"), 600);
            }
        } catch (IOException e) {
            unavailable("npm could not install the node reference: " + e.getMessage());
        }
        return new NodeReference(dir);
    }

    /**
     * Runs a script from the classpath with node in the reference folder.
     *
     * @return the script's standard output
     */
    public String runScript(Class<?> owner, String resource, List<String> args) throws IOException {
        Path script = dir.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            Files.write(script, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of(node(), script.toString()));
        cmd.addAll(args);
        return run(dir, cmd, 600);
    }

    private static String run(Path dir, List<String> cmd, int timeoutSeconds) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            unavailable(cmd.get(0) + " was not found: " + e.getMessage());
            throw e;
        }
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " took longer than " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + text);
        }
        return text;
    }

    private static String npm() {
        return System.getenv().getOrDefault("XSSAB_NPM", "npm");
    }

    private static String node() {
        return System.getenv().getOrDefault("XSSAB_NODE", "node");
    }

    private static void unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + " (CI=true: node and npm must be present)");
        }
        assumeTrue(false, why + "; skipping");
    }
}
