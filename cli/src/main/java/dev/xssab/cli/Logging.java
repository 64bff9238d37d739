package dev.xssab.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/** Switches the process's logs to the declared format once the settings are read. */
public final class Logging {
    private Logging() {}

    /**
     * @param format text or json (validated by the setting)
     * @param service a context property, on every JSON line
     */
    static void use(String format, String service) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding (a test's): leave it as it is
        }
        // A property, not the context's name: that can be set once, and tests run several commands in one JVM.
        context.putProperty("service", service);
        if (!"json".equals(format)) {
            return;
        }
        URL config = Logging.class.getResource("/logback-json.xml");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot switch the logs to JSON: " + e.getMessage(), e);
        }
    }

    /**
     * How much a command logs. Long-running services log everything (INFO). A one-shot command
     * prints its answer and nothing else unless {@code verbose}: without it, only warnings of our
     * own and errors of DJL and ONNX Runtime reach stderr (their CUDA probes and engine banners
     * are about ten lines before every model command's answer).
     */
    static void forCommand(boolean longRunning, boolean verbose) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        boolean all = longRunning || verbose;
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(all ? Level.INFO : Level.WARN);
        for (String engine : new String[] {"ai.djl", "ai.onnxruntime"}) {
            context.getLogger(engine).setLevel(all ? null : Level.ERROR);
        }
    }

    /**
     * Only errors from the Kafka clients: for a command that kills brokers on purpose, their
     * "connection could not be established" warnings are the fault it made, not news.
     */
    public static void quietKafkaClients() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
        }
    }
}
