package dev.xssab.cli.service;

import dev.xssab.cli.XssabCli;
import dev.xssab.explainer.ExplainerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the processes of the local stack in the background: {@code java ... XssabCli <command>},
 * its output appended to XSSAB_HOME/run/NAME.log and its pid written to NAME.pid; with the secured
 * stack's settings file of each when it is secured.
 */
public final class StackLauncher {
    private final LocalCluster cluster;
    private final SecureStack secure;

    /** @param secure null for the plain local stack */
    StackLauncher(LocalCluster cluster, SecureStack secure) {
        this.cluster = cluster;
        this.secure = secure;
    }

    /** Starts each Kafka node that is not running; returns those started now, in order. */
    List<String> startNodes() throws IOException {
        List<String> started = new ArrayList<>();
        for (String node : cluster.processNames()) {
            if (!Stack.isRunning(node)) {
                start(node, withSecurity(cluster.brokerArgs(node), "broker"), true);
                started.add(node);
            }
        }
        return started;
    }

    void start(LocalService service) throws IOException {
        List<String> args = service.startArguments(cluster.bootstrap(), Stack.registryUrl("http"));
        start(service.id(), withSecurity(args, service.id()), service.largeHeap());
    }

    private List<String> withSecurity(List<String> args, String settingsOf) {
        List<String> all = new ArrayList<>(args);
        if (secure != null) {
            all.add("--config");
            all.add(secure.configFile(settingsOf).toString());
            all.replaceAll(a -> a.equals(Stack.registryUrl("http")) ? Stack.registryUrl("https") : a);
        }
        return all;
    }

    private void start(String process, List<String> args, boolean largeHeap) throws IOException {
        Path log = Stack.runDir().resolve(Stack.logFile(process));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.awt.headless=true");
        if (largeHeap) {
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
        pb.environment().putIfAbsent(ExplainerSettings.MODELS.env(), Stack.LOCAL_MODELS);
        cluster.replicationEnvironment().forEach(pb.environment()::putIfAbsent);
        Process p = pb.start();
        Files.writeString(Stack.runDir().resolve(Stack.pidFile(process)), Long.toString(p.pid()));
        System.err.printf("started %-9s pid %d, log %s%n", process, p.pid(), log);
    }
}
