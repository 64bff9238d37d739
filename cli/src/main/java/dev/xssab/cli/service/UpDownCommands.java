package dev.xssab.cli.service;

import dev.xssab.models.XssabHome;
import dev.xssab.ui.UiSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xssab up} and {@code xssab down}: the local stack as background processes. */
public final class UpDownCommands {
    private UpDownCommands() {}

    @Command(name = "up", description = "Start broker, registry, gateway, explainer, audit sink and aggregates in the background.")
    public static final class Up implements Callable<Integer> {
        @Option(names = "--secure", description = "A secured local stack: SASL_SSL with SCRAM users and ACLs per service,"
                + " the registry on https with basic authentication; certificates and users under XSSAB_HOME/secure.")
        boolean secure;

        @Option(names = "--brokers", paramLabel = "N", description = "Kafka nodes, each a process of its own (combined broker and"
                + " controller, static voters; ports 9092/9093, 9094/9095, ...). From 3 on, every topic is replicated 3 times with"
                + " min.insync.replicas=2 (default: ${DEFAULT-VALUE}).")
        int brokers = 1;

        @Override
        public Integer call() throws Exception {
            LocalCluster cluster = new LocalCluster(brokers, secure);
            SecureStack security = secure ? SecureStack.prepare(XssabHome.dir().resolve("secure"), cluster) : null;
            var started = Stack.up(Duration.ofMinutes(brokers > 1 ? 4 : 2), security, cluster);
            System.err.println(started.isEmpty() ? "the stack is already running" : "started: " + String.join(", ", started));
            System.err.println("logs and pid files: " + Stack.runDir());
            // Secured, the UI serves https with the stack's certificate (SecureStack's ui settings).
            String scheme = security != null ? "https" : "http";
            System.out.println("ui: " + scheme + "://" + UiSettings.HOST.defaultValue() + ":" + Stack.uiPort() + "/ (users in "
                    + Stack.uiCredentials() + ")");
            if (security != null) {
                System.out.println("client config: " + security.configFile("client"));
            }
            return 0;
        }
    }

    @Command(name = "down", description = "Stop the background stack (SIGTERM, then SIGKILL after 60 s).")
    public static final class Down implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            var stopped = Stack.down();
            System.err.println(stopped.isEmpty() ? "nothing was running" : "stopped: " + String.join(", ", stopped));
            return 0;
        }
    }
}
