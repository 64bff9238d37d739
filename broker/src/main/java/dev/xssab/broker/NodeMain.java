package dev.xssab.broker;

import java.nio.file.Path;

/**
 * The main class of a Kafka node in a process of its own: {@code java dev.xssab.broker.NodeMain
 * server.properties} runs {@code kafka.Kafka} on an already formatted node until it is stopped.
 * {@code xssab broker} and the tests' process cluster start their nodes through it.
 *
 * <p>With {@code -D}{@value #EXIT_WITH_PARENT}{@code =true} the node halts when the process that
 * started it ends, however it ends: a test JVM killed by a timeout leaves no broker behind holding
 * ports and CPU.
 */
public final class NodeMain {
    /** The system property that ties the node's life to its parent process's. */
    public static final String EXIT_WITH_PARENT = "xssab.exit.with.parent";

    private NodeMain() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java " + NodeMain.class.getName() + " server.properties");
            System.exit(2);
        }
        if (Boolean.getBoolean(EXIT_WITH_PARENT)) {
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(1)));
        }
        run(Path.of(args[0]));
    }

    /** Runs the node in this process until it shuts down (kafka.Kafka's own signal handling applies). */
    public static void run(Path configFile) {
        kafka.Kafka.main(new String[] {configFile.toString()});
    }
}
