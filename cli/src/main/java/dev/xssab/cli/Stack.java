package dev.xssab.cli;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.config.Replication;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.Settings;
import dev.xssab.models.XssabHome;
import dev.xssab.kafka.TopicAdmin;
import dev.xssab.schemas.Topics;
import dev.xssab.ui.UiUsers;
import java.io.IOException;
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
import java.util.Optional;

/**
 * The local stack as background processes: broker, registry, gateway, explainer, audit sink,
 * evaluation aggregates, web UI.
 * Each runs as {@code java ... XssabCli <service>} with its log and pid file in XSSAB_HOME/run.
 */
final class Stack {
    /** The models the local stack's explainer serves: every built-in, the default first. */
    static final String LOCAL_MODELS = String.join(",", dev.xssab.models.ModelCatalog.builtins().stream()
            .map(dev.xssab.models.RecognitionModelSpec::id).toList());
    static final List<String> SERVICES = List.of("broker", "registry", "gateway", "explainer", "audit", "aggregates", "ui");
    static final int UI_PORT = (Integer) Settings.UI_PORT.defaultValue();
    /** The local stack listens where the settings' defaults point. */
    static final String REGISTRY = (String) Settings.REGISTRY_URL.defaultValue();
    static final int REGISTRY_PORT = (Integer) Settings.REGISTRY_PORT.defaultValue();

    private Stack() {}

    static Path runDir() throws IOException {
        return Files.createDirectories(XssabHome.dir().resolve("run"));
    }

    static Optional<ProcessHandle> running(String service) throws IOException {
        Path pid = runDir().resolve(service + ".pid");
        if (!Files.exists(pid)) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).filter(ProcessHandle::isAlive);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Starts what is not running, on PLAINTEXT, on the cluster up started last (one node by default). */
    static List<String> up(Duration timeout) throws Exception {
        return up(timeout, null, LocalCluster.remembered(runDir()));
    }

    /** The processes of a stack on this cluster, in start order: its nodes, then the services. */
    static List<String> processes(LocalCluster cluster) {
        List<String> all = new ArrayList<>(cluster.processNames());
        all.addAll(SERVICES.subList(1, SERVICES.size()));
        return all;
    }

    /**
     * Starts what is not running; returns the processes started now.
     *
     * @param secure null for the plain local stack; else the secured stack's settings, one file per service
     */
    static List<String> up(Duration timeout, SecureStack secure, LocalCluster cluster) throws Exception {
        LocalCluster running = LocalCluster.remembered(runDir());
        if (!running.equals(cluster) && processes(running).stream().anyMatch(p -> isRunning(p))) {
            throw new UserException("a stack on " + running.size() + " broker(s)" + (running.secure() ? ", secured," : "")
                    + " is running: ./xssab down first");
        }
        cluster.remember(runDir());
        List<String> started = new ArrayList<>();
        for (String service : processes(cluster)) {
            if (running(service).isPresent()) {
                continue;
            }
            if (service.equals("ui")) {
                uiCredentials();
            }
            start(service, args(service, secure, cluster), cluster);
            started.add(service);
            if (service.equals(cluster.processNames().get(cluster.size() - 1))) {
                awaitCluster(cluster, secure, timeout);
            } else if (service.equals("registry") || service.equals("audit")) {
                // The UI opens the audit's embedded H2 file: it must find the sink's database server up,
                // or two processes race for the file lock and one of them fails.
                awaitReady(service, timeout);
            }
        }
        // Every service answers ready (models loaded, partitions or Streams running, registry reachable) before up returns.
        for (String service : SERVICES.subList(1, SERVICES.size())) {
            if (service.equals("ui")) {
                await("the web UI on port " + UI_PORT, timeout, () -> portOpen(UI_PORT), service);
            } else {
                awaitReady(service, timeout);
            }
        }
        return started;
    }

    private static boolean isRunning(String process) {
        try {
            return running(process).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** Every node listens, then (once) users, ACLs and topics, before any service connects. */
    private static void awaitCluster(LocalCluster cluster, SecureStack secure, Duration timeout) throws Exception {
        for (String node : cluster.processNames()) {
            int port = cluster.layout().clientPort(LocalCluster.nodeId(node));
            await("Kafka node " + node + " on port " + port, timeout, () -> portOpen(port), node);
        }
        KafkaClients admin = secure != null ? secure.admin() : KafkaClients.plaintext(cluster.bootstrap());
        // Topics of replication 3 can be made only once every node has registered with the controller.
        await(cluster.size() + " live broker(s)", timeout, () -> {
            try {
                TopicAdmin.requireBrokersFor(admin, cluster.replication());
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }, cluster.processNames().get(0));
        if (secure != null) {
            secure.provision();
        } else {
            provisionTopics(admin, cluster); // once, before the services that would each create them at the same time
        }
    }

    /**
     * Creates the application topics as the services would (their settings from the environment),
     * so that the services start on topics that exist. Their own creation stays idempotent.
     */
    private static void provisionTopics(KafkaClients admin, LocalCluster cluster) {
        ServiceConfig c = ServiceConfig.load(null, withDefaults(System.getenv(), cluster.replicationEnvironment()), java.util.Map.of());
        Replication replication = Replication.from(c);
        TopicAdmin.requireBrokersFor(admin, replication);
        Topics topics = Topics.create(java.util.Map.of(Settings.REGISTRY_URL.key(), "mock://provisioning"));
        List<String> created = TopicAdmin.ensureTopics(admin, topics, c.integer(Settings.TOPICS_PARTITIONS), replication);
        if (!created.isEmpty()) {
            System.err.println("created topics: " + String.join(", ", created));
        }
    }

    /** The environment with {@code defaults} where it has none of its own (the user's XSSAB_* win). */
    static java.util.Map<String, String> withDefaults(java.util.Map<String, String> env, java.util.Map<String, String> defaults) {
        java.util.Map<String, String> merged = new java.util.HashMap<>(defaults);
        merged.putAll(env);
        return merged;
    }

    /** The local UI's users file (one generated operator, mode 600), made on first use. */
    static Path uiCredentials() throws IOException {
        Path file = runDir().resolve("ui-credentials");
        if (!Files.exists(file)) {
            UiUsers.create(file, "operator");
            System.err.println("created UI user 'operator' in " + file + " (user:password)");
        }
        return file;
    }

    /** The port of a service's /metrics and /health (the declared default the local stack uses); -1 for the broker. */
    static int metricsPort(String service) {
        Setting port = switch (service) {
            case "registry" -> Settings.REGISTRY_METRICS_PORT;
            case "gateway" -> Settings.GATEWAY_METRICS_PORT;
            case "explainer" -> Settings.EXPLAINER_METRICS_PORT;
            case "audit" -> Settings.AUDIT_METRICS_PORT;
            case "aggregates" -> Settings.AGGREGATES_METRICS_PORT;
            default -> null;
        };
        return port == null ? -1 : (Integer) port.defaultValue();
    }

    static URI healthUrl(String service, String path) {
        return URI.create("http://" + Settings.METRICS_HOST.defaultValue() + ":" + metricsPort(service) + path);
    }

    /** GET a service's URL: the status code and body, or status -1 with the error. */
    static HttpResponse<String> get(URI url) {
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

    private static void awaitReady(String service, Duration timeout) throws Exception {
        URI ready = healthUrl(service, "/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(ready);
            if (r != null && r.statusCode() == 200) {
                System.err.printf("ready     %-9s %s%n", service, ready);
                return;
            }
            last = r == null ? "no answer on " + ready : r.body();
            if (running(service).isEmpty()) {
                throw new UserException(service + " exited during start-up; see " + runDir().resolve(service + ".log"));
            }
            Thread.sleep(500);
        }
        throw new UserException(service + " is not ready after " + timeout.toSeconds() + " s: " + last + "; see "
                + runDir().resolve(service + ".log"));
    }

    private static List<String> args(String service, SecureStack secure, LocalCluster cluster) {
        String bootstrap = cluster.bootstrap();
        List<String> args = new ArrayList<>(switch (service) {
            case "registry" -> List.of("registry", "--bootstrap", bootstrap);
            case "audit" -> List.of("audit", "run", "--bootstrap", bootstrap, "--registry", REGISTRY);
            case "aggregates", "ui", "gateway", "explainer" -> List.of(service, "--bootstrap", bootstrap, "--registry", REGISTRY);
            default -> cluster.brokerArgs(service);
        });
        if (secure != null) {
            args.add("--config");
            args.add(secure.configFile(service.startsWith("broker") ? "broker" : service).toString());
            args.replaceAll(a -> a.equals(REGISTRY) ? SecureStack.REGISTRY_URL : a);
        }
        return args;
    }

    private static void start(String service, List<String> args, LocalCluster cluster) throws IOException {
        Path log = runDir().resolve(service + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.awt.headless=true");
        if (service.startsWith("broker") || service.equals("registry") || service.equals("audit") || service.equals("aggregates")) {
            cmd.add("-Xmx1g");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(XssabCli.class.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Defaults given the way settings are (the environment), so the user's own XSSAB_* win: the
        // local stack serves every built-in model, so that evaluations can compare them, and
        // replicates as its cluster allows.
        pb.environment().putIfAbsent(Settings.EXPLAINER_MODELS.env(), LOCAL_MODELS);
        cluster.replicationEnvironment().forEach(pb.environment()::putIfAbsent);
        Process p = pb.start();
        Files.writeString(runDir().resolve(service + ".pid"), Long.toString(p.pid()));
        System.err.printf("started %-9s pid %d, log %s%n", service, p.pid(), log);
    }

    /** Stops every running service, newest first, politely (SIGTERM), then forcibly. */
    static List<String> down() throws Exception {
        List<String> stopped = new ArrayList<>();
        List<String> reversed = new ArrayList<>(processes(LocalCluster.remembered(runDir())));
        java.util.Collections.reverse(reversed);
        for (String service : reversed) {
            Optional<ProcessHandle> p = running(service);
            if (p.isPresent()) {
                p.get().destroy();
                try {
                    p.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    p.get().destroyForcibly();
                }
                stopped.add(service);
            }
            Files.deleteIfExists(runDir().resolve(service + ".pid"));
        }
        Files.deleteIfExists(runDir().resolve("stack.properties"));
        return stopped;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Duration timeout, Check check, String service) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            if (running(service).isEmpty()) {
                throw new UserException(service + " exited during start-up; see " + runDir().resolve(service + ".log"));
            }
            Thread.sleep(300);
        }
        throw new UserException(what + " did not come up within " + timeout.toSeconds() + " s; see "
                + runDir().resolve(service + ".log"));
    }

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
