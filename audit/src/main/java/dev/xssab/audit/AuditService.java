package dev.xssab.audit;

import dev.xssab.kafka.LoopThread;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.observability.Service;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit stage as a service: its store (opened, migrated and closed here) and the sink that
 * fills it from the results and explanations. {@link #start} runs the sink on a thread of its own;
 * {@link #run} starts and waits, as {@code ServiceRunner} drives it. Every hour it also erases the
 * images stored longer than {@code audit.images.retention}.
 */
public final class AuditService implements Service, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditService.class);
    private static final Duration PURGE_PERIOD = Duration.ofHours(1);

    private final AuditStore store;
    private final AuditSink sink;
    private final LoopThread thread;
    private final ImagePurge purge;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AuditService(AuditStore store, AuditSink sink, ImagePurge purge) {
        this.store = store;
        this.sink = sink;
        this.thread = new LoopThread("audit-sink", sink::run);
        this.purge = purge;
    }

    /** As {@link #open(KafkaClients, Topics, String, AuditDatabase, Duration)}, with the declared default retention of images. */
    public static AuditService open(KafkaClients clients, Topics topics, String groupId, AuditDatabase database) {
        return open(clients, topics, groupId, database, Duration.parse((String) AuditSettings.IMAGES_RETENTION.defaultValue()));
    }

    /** Opens the store and the sink's consumer; nothing is consumed or purged before {@link #start}. */
    public static AuditService open(KafkaClients clients, Topics topics, String groupId, AuditDatabase database,
            Duration imagesRetention) {
        if (database.keyFile() == null) {
            LOG.warn("audit: no {} set: face images are stored unencrypted", AuditSettings.ENCRYPTION_KEY_FILE.key());
        }
        AuditStore store = database.open();
        try {
            return new AuditService(store, new AuditSink(clients, groupId, topics, store), new ImagePurge(database, imagesRetention));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public void start() {
        thread.start();
        purge.start(PURGE_PERIOD);
    }

    /** The readiness checks, by the names /health/ready shows: null when fine, else what is wrong. */
    public Map<String, ServiceEndpoint.Check> checks() {
        Map<String, ServiceEndpoint.Check> checks = new LinkedHashMap<>();
        checks.put("partitions", this::partitionsProblem);
        checks.put("database", store::problem);
        return checks;
    }

    /** Why nothing is being audited yet, or null when the sink holds partitions and the database answers. */
    public String ready() {
        String problem = partitionsProblem();
        return problem != null ? problem : store.problem();
    }

    private String partitionsProblem() {
        String loop = thread.problem("the audit sink");
        if (loop != null) {
            return loop;
        }
        return sink.assignedPartitions() > 0 ? null : "no partition assigned (yet)";
    }

    /** The store the sink writes, for reading back what it stored; the service closes it. */
    public AuditStore store() {
        return store;
    }

    /** How many polls had to be read again because the database or the registry was away. */
    public long retries() {
        return sink.retries();
    }

    /** Starts, then waits until {@link #stop()}; a failure of the sink is thrown here. Closes the service either way. */
    @Override
    public boolean run() throws InterruptedException {
        try {
            start();
            thread.await();
            return false;
        } finally {
            close();
        }
    }

    @Override
    public void stop() {
        sink.stop();
    }

    /** Stops the sink, waits for its poll to end, then closes its consumer and the store. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            sink.stop();
            try {
                thread.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException failed) {
                // already logged by the thread, and thrown to whoever ran the service
            }
            purge.close();
            sink.close();
            store.close();
        }
    }
}
