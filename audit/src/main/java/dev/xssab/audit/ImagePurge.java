package dev.xssab.audit;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases the face images and maps stored longer than the retention, at start and then every
 * period, on a thread and a connection of its own: {@link AuditStore} is not thread-safe, and the
 * sink's store is busy with its polls. A failed run is logged and the next one tries again.
 */
final class ImagePurge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImagePurge.class);

    private final AuditDatabase database;
    private final Duration retention;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "audit-image-purge");
        t.setDaemon(true);
        return t;
    });
    private AuditStore store;

    ImagePurge(AuditDatabase database, Duration retention) {
        this.database = database;
        this.retention = retention;
    }

    void start(Duration period) {
        timer.scheduleWithFixedDelay(this::purgeQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One run: the ids whose images it erased. */
    List<String> purge() throws SQLException {
        if (store == null) {
            store = database.open();
        }
        try {
            List<String> erased = store.purgeImagesOlderThan(retention);
            if (!erased.isEmpty()) {
                LOG.info("erased the images of {} explanation(s) stored more than {} ago", erased.size(), retention);
            }
            return erased;
        } catch (SQLException e) {
            store.reconnectIfBroken();
            throw e;
        }
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (SQLException | RuntimeException e) {
            // a scheduled task that throws is never run again
            LOG.warn("image purge failed, tried again at the next run: {}", e.toString());
        }
    }

    /** Stops the timer, waits for a run in progress, closes the connection. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (store != null) {
            store.close();
        }
    }
}
