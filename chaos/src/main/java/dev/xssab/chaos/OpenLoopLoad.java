package dev.xssab.chaos;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.VerificationRequest;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An open-loop load: requests leave at a steady rate whatever the cluster does (a closed loop
 * would slow down with the cluster and hide the faults), and the fate of every send goes into the
 * {@link Ledger}. A share of the requests ask for an explanation; a share of the ids are sent a
 * second time on purpose, which the gateway must reject as DUPLICATE_REQUEST.
 */
public final class OpenLoopLoad implements AutoCloseable {
    /** Two encoded face images, the probe and the reference of one request. */
    public record FacePair(byte[] probe, byte[] reference) {}

    /**
     * @param rate requests per second
     * @param explainShare share of requests that ask for xSSAB maps
     * @param resendShare share of ids sent twice
     */
    public record Plan(double rate, double explainShare, double resendShare, long seed) {
        public static Plan of(double rate) {
            return new Plan(rate, 0.10, 0.02, 15);
        }
    }

    private final KafkaProducer<String, byte[]> producer;
    private final Topics topics;
    private final List<FacePair> pairs;
    private final Plan plan;
    private final Ledger ledger;
    private final Supplier<String> currentFault;
    private final String run;
    private final Random random;
    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "open-loop-load");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    /**
     * @param currentFault the name of the fault held now, or null between faults
     */
    public OpenLoopLoad(KafkaClients clients, Topics topics, List<FacePair> pairs, Plan plan, Ledger ledger,
            Supplier<String> currentFault) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("the load needs at least one face pair");
        }
        // Idempotent and acks=all: an acknowledged request is on min.insync.replicas brokers, once.
        // A bounded delivery timeout turns a send stuck in a fault into INDETERMINATE, not a hang.
        this.producer = clients.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000), new StringSerializer(), new ByteArraySerializer());
        this.topics = topics;
        this.pairs = pairs;
        this.plan = plan;
        this.ledger = ledger;
        this.currentFault = currentFault;
        this.run = "chaos-" + Long.toString(System.currentTimeMillis(), 36);
        this.random = new Random(plan.seed());
    }

    /** Starts sending at the plan's rate until {@link #stop()}. */
    public void start() {
        long periodMicros = Math.max(1, Math.round(1e6 / plan.rate()));
        clock.scheduleAtFixedRate(this::sendNext, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** How many sends were made (first sends and resends). */
    public long sent() {
        return sequence.get();
    }

    private void sendNext() {
        try {
            long n = sequence.getAndIncrement();
            String id = run + "-" + n;
            boolean explain = random.nextDouble() < plan.explainShare();
            VerificationRequest request = request(id, pairs.get((int) (n % pairs.size())), explain);
            send(request, false);
            if (random.nextDouble() < plan.resendShare()) {
                send(request, true);
            }
        } catch (RuntimeException e) {
            // The schedule stops on an exception: remember it, so that the harness reports it.
            failure.compareAndSet(null, e);
            throw e;
        }
    }

    private VerificationRequest request(String id, FacePair pair, boolean explain) {
        return VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now())
                .setProbe(ByteBuffer.wrap(pair.probe())).setReference(ByteBuffer.wrap(pair.reference())).setExplain(explain)
                .setClientId("xssab-chaos").setTags(Map.of("run", run)).build();
    }

    private void send(VerificationRequest request, boolean resend) {
        long sentAt = System.currentTimeMillis();
        String fault = currentFault.get();
        byte[] value;
        try {
            value = topics.requests().valueSerde().serializer().serialize(Topics.REQUESTS, request);
        } catch (RuntimeException e) {
            // Never reached the producer: it cannot have landed.
            ledger.record(new Ledger.Send(request.getRequestId(), resend, request.getExplain(), Ledger.Status.FAILED, sentAt, fault));
            return;
        }
        producer.send(new ProducerRecord<>(Topics.REQUESTS, request.getRequestId(), value), (metadata, e) ->
                ledger.record(new Ledger.Send(request.getRequestId(), resend, request.getExplain(), statusOf(e), sentAt, fault)));
    }

    /**
     * What a send's outcome says of where the record is. Only errors that the broker raises before
     * it appends (or that the client raises before it sends) mean "not there"; a timeout or a lost
     * connection may come after the append, so the record may be there.
     */
    static Ledger.Status statusOf(Exception e) {
        if (e == null) {
            return Ledger.Status.ACKED;
        }
        if (e instanceof RecordTooLargeException || e instanceof SerializationException || e instanceof AuthorizationException
                || e instanceof InvalidTopicException) {
            return Ledger.Status.FAILED;
        }
        return Ledger.Status.INDETERMINATE;
    }

    /** Stops sending and waits until the fate of every send is known (in the ledger). */
    public void stop() {
        clock.shutdown();
        try {
            clock.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
        RuntimeException e = failure.get();
        if (e != null) {
            throw new IllegalStateException("the load stopped early: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
        producer.close();
    }
}
