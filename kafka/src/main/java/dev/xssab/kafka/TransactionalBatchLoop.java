package dev.xssab.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;

/**
 * A transactional consume-transform-produce loop over batches: poll up to maxBatch records,
 * transform them in one call, then send the outputs and the input offsets in one transaction.
 * A crash at any point yields, after restart, each input's outputs exactly once downstream
 * (read_committed).
 *
 * <p>Kafka errors are handled as KIP-1050 sorts them: an abortable one aborts the batch and
 * rewinds to the committed offsets; a commit that timed out is committed again (its outcome is
 * unknown, an abort could race it) until a deadline; anything else (a fenced producer, a lost
 * group membership, a commit still unknown at the deadline, a failure of the transform) closes
 * both clients and opens new ones, which resume from the committed offsets. Only an instance
 * started twice with the same id, or a configuration error (authorization included), stops the loop.
 *
 * @param <K> the key type, in and out
 * @param <I> the value type read
 * @param <O> the value type written
 */
public final class TransactionalBatchLoop<K, I, O> implements AutoCloseable {
    /** One batch's outputs. Throwing fails the whole batch: the clients are reopened and it is read again. */
    @FunctionalInterface
    public interface BatchTransform<K, I, O> {
        List<ProducerRecord<K, O>> apply(List<ConsumerRecord<K, I>> batch);
    }

    /** What the loop's user counts. */
    public interface Listener {
        /** A batch of {@code records} inputs committed. */
        default void committed(int records) {}

        /** The clients were closed after a failure and are about to be reopened. */
        default void clientRestart() {}
    }

    private final BatchLoopSettings settings;
    private final BatchTransform<K, I, O> transform;
    private final BatchLoopClients<K, I, O> clients;
    private final Listener listener;
    private final Logger log;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Replaced when the clients are reopened; volatile because {@link #stop()} runs on another thread. */
    private volatile Consumer<K, I> consumer;
    private Producer<K, O> producer;
    /** Polled but not yet processed; their offsets are not committed until they are. */
    private final ArrayDeque<ConsumerRecord<K, I>> pending = new ArrayDeque<>();
    /** Partitions this instance holds now. */
    private volatile int assigned;
    private long batches;
    /** The thread inside {@link #run()}, if any. */
    private volatile Thread runner;

    /** @param log where the loop's lines go: its user's logger, so that they name the service they are about */
    public TransactionalBatchLoop(BatchLoopSettings settings, BatchLoopClients<K, I, O> clients, BatchTransform<K, I, O> transform,
            Listener listener, Logger log) {
        this.log = log;
        this.settings = settings;
        this.clients = clients;
        this.transform = transform;
        this.listener = listener;
        this.consumerConfig = settings.consumerConfig();
        this.producerConfig = settings.producerConfig();
    }

    /** How many partitions of its topics this instance holds now. */
    public int assignedPartitions() {
        return assigned;
    }

    private final FenceCount fences = new FenceCount();
    /** Runs until {@link #stop()}; returns normally after finishing (or aborting) the batch in hand. */
    public void run() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        runner = Thread.currentThread();
        try {
            while (running.get()) {
                long before = batches;
                try {
                    openClients();
                    consume();
                    return;
                } catch (WakeupException e) {
                    if (running.get()) {
                        throw e;
                    }
                } catch (FencedInstanceIdException e) {
                    if (fences.fencedAgain(System.nanoTime())) { // else a coordinator failover (FenceCount): rejoin
                        throw new IllegalStateException("another " + settings.role() + " runs as " + settings.transactionalId()
                                + "; give every instance its own --instance number", e);
                    }
                    restartAfter(e, backoff, batches > before);
                } catch (InvalidConfigurationException e) {
                    throw e; // KIP-1050's fatal kind (authorization and unsupported versions included): retrying cannot help
                } catch (RuntimeException e) {
                    if (!running.get()) {
                        return;
                    }
                    restartAfter(e, backoff, batches > before);
                } finally {
                    closeClients();
                }
            }
        } finally {
            runner = null;
        }
    }

    private void restartAfter(RuntimeException e, Backoff backoff, boolean didWork) {
        listener.clientRestart();
        if (didWork) {
            backoff.reset(); // these clients did work: this is a new failure, not the same one again
        }
        log.warn("{} {}: {}; reopening the Kafka clients in {} ms and resuming from the committed offsets",
                settings.role(), settings.transactionalId(), e.toString(), backoff.next().toMillis());
        closeClients(); // before the pause: a dead member should leave no open connections behind
        backoff.pause();
    }

    /** New clients: initTransactions fences any older producer with this id and aborts its open transaction. */
    private void openClients() {
        pending.clear();
        producer = clients.producer(producerConfig);
        producer.initTransactions();
        consumer = clients.consumer(consumerConfig);
        consumer.subscribe(settings.topics(), new DropPendingOnRevoke());
        if (!running.get()) {
            consumer.wakeup(); // stop() came while the clients were being opened
        }
    }

    private void consume() {
        while (running.get()) {
            List<ConsumerRecord<K, I>> batch = collectBatch();
            if (!batch.isEmpty()) {
                processInTransaction(batch);
            }
        }
    }

    /**
     * Records polled for a partition this instance no longer owns are the new owner's to process;
     * processing them here too would give their inputs two sets of outputs.
     */
    private final class DropPendingOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            assigned = Math.max(0, assigned - partitions.size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned += partitions.size();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }

    /**
     * Up to maxBatch records: waits for the first, then at most maxWait more to fill the batch.
     * Records polled beyond maxBatch wait in {@link #pending} for the next batch.
     */
    private List<ConsumerRecord<K, I>> collectBatch() {
        List<ConsumerRecord<K, I>> batch = new ArrayList<>();
        if (pending.isEmpty()) {
            consumer.poll(Duration.ofMillis(500)).forEach(pending::add);
            if (pending.isEmpty()) {
                return batch;
            }
        }
        long deadline = System.nanoTime() + settings.maxWait().toNanos();
        while (pending.size() < settings.maxBatch() && running.get()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            consumer.poll(Duration.ofMillis(left)).forEach(pending::add);
        }
        while (batch.size() < settings.maxBatch() && !pending.isEmpty()) {
            batch.add(pending.poll());
        }
        return batch;
    }

    /**
     * One batch, one transaction. An abortable failure aborts it and rewinds to the committed
     * offsets; a timed-out commit is committed again, never aborted; any other failure (including
     * one from the abort itself, or a commit whose outcome is unknown at the deadline) propagates
     * to {@link #run()}, which reopens the clients.
     */
    private void processInTransaction(List<ConsumerRecord<K, I>> batch) {
        List<ProducerRecord<K, O>> outputs = transform.apply(batch);
        producer.beginTransaction();
        try {
            for (ProducerRecord<K, O> out : outputs) {
                producer.send(out);
            }
            producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
            TransactionCommit.commit(producer, settings.commitDeadline());
            batches++;
            listener.committed(batch.size());
        } catch (ApplicationRecoverableException e) {
            throw e;
        } catch (TransactionAbortableException e) {
            log.warn("aborting a batch of {} and retrying it: {}", batch.size(), e.toString());
            producer.abortTransaction();
            pending.clear(); // polled but uncommitted: they are fetched again from the committed offsets
            CommittedOffsets.rewind(consumer);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<? extends ConsumerRecord<?, ?>> batch) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<?, ?> r : batch) {
            next.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return next;
    }

    /** Asks the loop to finish its batch and return; safe from any thread (e.g. a SIGTERM hook). */
    public void stop() {
        running.set(false);
        Consumer<K, I> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Closes without committing anything in flight (a crash, as far as Kafka can tell, minus the timeout). Idempotent. */
    private void closeClients() {
        Consumer<K, I> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
                clients.release(c);
            } catch (RuntimeException e) {
                log.debug("closing the consumer", e);
            }
        }
        Producer<K, O> p = producer;
        producer = null;
        if (p != null) {
            try {
                p.close(Duration.ofSeconds(5));
                clients.release(p);
            } catch (RuntimeException e) {
                log.debug("closing the producer", e);
            }
        }
    }

    /**
     * Stops the loop and closes the clients. If {@link #run()} is active on another thread, waits
     * for it to return (it closes its own clients): a Kafka client must not be closed under the
     * thread that is using it.
     */
    @Override
    public void close() {
        stop();
        Thread active = runner;
        if (active != null && active != Thread.currentThread()) {
            try {
                active.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeClients();
    }
}
