package dev.xssab.ui;

import dev.xssab.audit.AuditDatabase;
import dev.xssab.audit.AuditStore;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.observability.Service;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.schemas.Topics;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The web UI as a service: its own connection to the audit store (opened and closed here) and the
 * {@link UiServer} over its sources. {@link #start} starts serving on Javalin's threads; {@link #run}
 * starts and waits for {@link #stop}, as {@code ServiceRunner} drives it.
 */
public final class UiService implements Service, AutoCloseable {
    private final UiServer.Sources sources;
    private final String host;
    private final int port;
    private final UiTls tls;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile UiServer server;

    /**
     * What the UI shows and where a replay goes.
     *
     * @param requestTopic where a replayed request is published
     * @param aggregates the aggregates service's base URL (its GET /aggregates)
     * @param health service name to its /health/ready URL
     * @param port 0: any free port
     * @param tls https with its certificate, or {@link UiTls#PLAIN}
     */
    public record Options(String requestTopic, URI aggregates, Map<String, URI> health, UiUsers users, String host, int port,
            UiTls tls) {
        public Options {
            health = Collections.unmodifiableMap(new LinkedHashMap<>(health)); // in order: the health page lists them so
        }
    }

    private UiService(UiServer.Sources sources, Options options) {
        this.sources = sources;
        this.host = options.host();
        this.port = options.port();
        this.tls = options.tls();
    }

    /** Opens the audit store; nothing is served before {@link #start}. */
    public static UiService open(KafkaClients clients, Topics topics, AuditDatabase database, Options options) {
        AuditStore audit = database.open();
        return new UiService(new UiServer.Sources(clients, topics, audit, options.requestTopic(), options.aggregates(),
                options.health(), options.users()), options);
    }

    /** Starts serving (its live view follows the results topic from now on); a second call does nothing. */
    public synchronized void start() {
        if (server == null && !closed.get()) {
            server = UiServer.start(sources, host, port, tls);
        }
    }

    /** The port served on; -1 before {@link #start}. */
    public int port() {
        UiServer s = server;
        return s == null ? -1 : s.port();
    }

    /** The base URL, {@code http://host:port/} or {@code https://host:port/}. */
    public URI url() {
        return URI.create(tls.scheme() + "://" + host + ":" + port() + "/");
    }

    /** The readiness checks: null when fine, else what is wrong. */
    public Map<String, ServiceEndpoint.Check> checks() {
        Map<String, ServiceEndpoint.Check> checks = new LinkedHashMap<>();
        checks.put("http", this::httpProblem);
        checks.put("database", sources.audit()::problem);
        return checks;
    }

    /** Why the UI cannot serve its pages yet, or null when its server runs and the audit store answers. */
    public String ready() {
        String problem = httpProblem();
        return problem != null ? problem : sources.audit().problem();
    }

    private String httpProblem() {
        UiServer s = server;
        return s == null ? "the UI has not started" : s.problem();
    }

    /** Starts, then waits for {@link #stop()}; closes the service either way. */
    @Override
    public boolean run() throws InterruptedException {
        try {
            start();
            stopped.await();
            return false;
        } finally {
            close();
        }
    }

    @Override
    public void stop() {
        stopped.countDown();
    }

    /** Stops serving and closes the audit store. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            stopped.countDown();
            if (server != null) {
                server.close();
            }
            sources.audit().close();
        }
    }
}
