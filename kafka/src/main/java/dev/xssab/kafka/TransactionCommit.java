package dev.xssab.kafka;

import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a transaction the way KafkaProducer#commitTransaction asks for: a TimeoutException
 * means the outcome is unknown, and calling commitTransaction again is safe and learns it.
 * Aborting instead would be wrong: the EndTxn(commit) may still arrive after the abort
 * (KAFKA-17754), and the batch would be both committed and retried.
 */
final class TransactionCommit {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCommit.class);

    private TransactionCommit() {}

    /**
     * Commits, retrying a timed-out commit until {@code deadline} has passed; then throws the
     * last TimeoutException, for the caller to close the producer and start over from the
     * committed offsets (a new producer's initTransactions settles the open transaction).
     */
    static void commit(Producer<?, ?> producer, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (System.nanoTime() - end >= 0) {
                    throw new TimeoutException("the commit's outcome is still unknown after " + deadline.toSeconds()
                            + " s of retries; the producer is replaced", e);
                }
                LOG.warn("commit timed out, outcome unknown; committing again in {} ms (never aborting): {}",
                        backoff.next().toMillis(), e.toString());
                backoff.pause();
            }
        }
    }
}
