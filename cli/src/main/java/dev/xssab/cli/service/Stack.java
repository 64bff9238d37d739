package dev.xssab.cli.service;

import dev.xssab.cli.UserException;
import dev.xssab.cli.XssabSettings;
import dev.xssab.config.ServiceConfig;
import dev.xssab.models.XssabHome;
import dev.xssab.registry.RegistrySettings;
import dev.xssab.ui.UiSettings;
import dev.xssab.ui.UiRole;
import dev.xssab.ui.UiUsers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local stack as background processes: the Kafka nodes of a {@link LocalCluster}, then each
 * {@link LocalService} in its start order. Each runs as {@code java ... XssabCli <command>} with
 * its log and pid file in XSSAB_HOME/run ({@link StackLauncher}); up waits for each to be ready
 * ({@link StackReadiness}).
 */
public final class Stack {
    /** The models the local stack's explainer serves: every built-in, the default first. */
    static final String LOCAL_MODELS = String.join(",", dev.xssab.models.ModelCatalog.builtins().stream()
            .map(dev.xssab.models.RecognitionModelSpec::id).toList());

    private Stack() {}

    /**
     * The local stack's settings: the declared defaults, moved by the user's XSSAB_* variables,
     * which every process it starts inherits; so up, status, down and demo look for each service
     * where it listens.
     */
    static ServiceConfig settings() {
        return StackSettings.LOADED;
    }

    /** Loaded once per process: the environment does not change under it, and status asks for every service's port. */
    private static final class StackSettings {
        static final ServiceConfig LOADED = ServiceConfig.load(XssabSettings.CATALOG, null, System.getenv(), java.util.Map.of());
    }

    static int uiPort() {
        return new UiSettings(settings()).port();
    }

    /** The local registry's URL, on 127.0.0.1 at its declared port. */
    static String registryUrl(String scheme) {
        return scheme + "://127.0.0.1:" + new RegistrySettings(settings()).port();
    }

    public static Path runDir() throws IOException {
        return Files.createDirectories(XssabHome.dir().resolve("run"));
    }

    /** The pid file of a Kafka node or service, in {@link #runDir()}. */
    static String pidFile(String process) {
        return process + ".pid";
    }

    /** The log file of a Kafka node or service, in {@link #runDir()}. */
    static String logFile(String process) {
        return process + ".log";
    }

    /** The live process of a Kafka node or service, by the pid file up wrote. */
    static Optional<ProcessHandle> running(String process) throws IOException {
        Path pid = runDir().resolve(pidFile(process));
        if (!Files.exists(pid)) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).filter(ProcessHandle::isAlive);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static boolean isRunning(String process) {
        try {
            return running(process).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts what is not running, on PLAINTEXT, on the cluster up started last (one node by default). */
    public static List<String> up(Duration timeout) throws Exception {
        return up(timeout, null, LocalCluster.remembered(runDir()));
    }

    /** The processes of a stack on this cluster, in start order: its nodes, then the services. */
    static List<String> processes(LocalCluster cluster) {
        List<String> all = new ArrayList<>(cluster.processNames());
        for (LocalService service : LocalService.values()) {
            all.add(service.id());
        }
        return all;
    }

    /**
     * Starts what is not running; returns the processes started now.
     *
     * @param secure null for the plain local stack; else the secured stack's settings, one file per service
     */
    static List<String> up(Duration timeout, SecureStack secure, LocalCluster cluster) throws Exception {
        LocalCluster running = LocalCluster.remembered(runDir());
        if (!running.equals(cluster) && processes(running).stream().anyMatch(Stack::isRunning)) {
            throw new UserException("a stack on " + running.size() + " broker(s)" + (running.secure() ? ", secured," : "")
                    + " is running: ./xssab down first");
        }
        cluster.remember(runDir());
        StackLauncher launcher = new StackLauncher(cluster, secure);
        List<String> started = new ArrayList<>(launcher.startNodes());
        if (started.contains(cluster.processNames().get(cluster.size() - 1))) { // provisioned once, when its last node starts
            StackReadiness.awaitCluster(cluster, secure, timeout);
        }
        for (LocalService service : LocalService.values()) {
            if (isRunning(service.id())) {
                continue;
            }
            if (service == LocalService.UI) {
                uiCredentials();
            }
            launcher.start(service);
            started.add(service.id());
            if (service.awaitedBeforeNext()) {
                StackReadiness.awaitReady(service, timeout);
            }
        }
        // Every service answers ready (models loaded, partitions or Streams running, registry reachable) before up returns.
        for (LocalService service : LocalService.values()) {
            StackReadiness.await(service, timeout);
        }
        return started;
    }

    /** The environment with {@code defaults} where it has none of its own (the user's XSSAB_* win). */
    static java.util.Map<String, String> withDefaults(java.util.Map<String, String> env, java.util.Map<String, String> defaults) {
        java.util.Map<String, String> merged = new java.util.HashMap<>(defaults);
        merged.putAll(env);
        return merged;
    }

    /**
     * The local UI's users file (one generated operator, mode 600), made on first use; its password
     * is printed then, once: the file keeps only its hash.
     */
    static Path uiCredentials() throws IOException {
        Path file = runDir().resolve("ui-credentials");
        if (!Files.exists(file)) {
            String password = UiUsers.create(file, "operator", UiRole.OPERATOR);
            System.err.println("created UI user 'operator' with password " + password + " in " + file
                    + " (shown once: the file keeps only its hash)");
        }
        return file;
    }

    /** GET a service's URL: the status code and body, or null when nothing answers. */
    public static HttpResponse<String> get(URI url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Stops every running service, newest first, politely (SIGTERM), then forcibly. */
    static List<String> down() throws Exception {
        List<String> stopped = new ArrayList<>();
        List<String> reversed = new ArrayList<>(processes(LocalCluster.remembered(runDir())));
        Collections.reverse(reversed);
        for (String process : reversed) {
            Optional<ProcessHandle> p = running(process);
            if (p.isPresent()) {
                p.get().destroy();
                try {
                    p.get().onExit().get(60, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    p.get().destroyForcibly();
                }
                stopped.add(process);
            }
            Files.deleteIfExists(runDir().resolve(pidFile(process)));
        }
        Files.deleteIfExists(runDir().resolve("stack.properties"));
        return stopped;
    }
}
