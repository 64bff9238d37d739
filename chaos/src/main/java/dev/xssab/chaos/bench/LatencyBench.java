package dev.xssab.chaos.bench;

import dev.xssab.evaluator.LabelledPair;
import dev.xssab.kafka.client.PipelineClient;
import dev.xssab.schemas.avro.VerificationRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code xssab bench-latency}: requests sent open-loop at a fixed rate, each timed from its own
 * submit time to the moment its decision is read (read_committed); client start-up is not in it.
 * Bounded in count and time.
 */
public final class LatencyBench {
    /** However rate and duration are set, no run sends more than this. */
    public static final int MAX_REQUESTS = 5_000;

    /** What to send: {@code rate} requests per second for {@code duration}, explained or not, as {@code clientId}. */
    public record Plan(double rate, Duration duration, boolean explain, String clientId) {
        /** The number of requests: rate times duration, at least one, at most {@link #MAX_REQUESTS}. */
        public int count() {
            return (int) Math.min(MAX_REQUESTS, Math.max(1, Math.round(rate * duration.toMillis() / 1000.0)));
        }
    }

    /**
     * @param latenciesMs submit to decision of each decided request, sorted
     * @param missing the requests that got no outcome, sorted
     */
    public record Result(Plan plan, int submitted, double sentSeconds, List<Long> latenciesMs, List<String> missing) {
        /** Requests per second achieved, over the sending time (capped at the planned duration plus a second). */
        public double achievedRate() {
            return submitted / Math.min(sentSeconds, plan.duration().toMillis() / 1000.0 + 1);
        }

        /** The latency at rank floor(q * n), or -1 when nothing was decided. */
        public long percentileMs(double q) {
            return latenciesMs.isEmpty() ? -1 : latenciesMs.get((int) Math.min(latenciesMs.size() - 1, Math.floor(q * latenciesMs.size())));
        }

        public long maxMs() {
            return latenciesMs.isEmpty() ? -1 : latenciesMs.get(latenciesMs.size() - 1);
        }
    }

    private final PipelineClient client;
    private final Plan plan;
    private final List<LabelledPair> pairs;
    private final Map<String, byte[]> images;
    private final String run = "latency-" + Long.toString(System.currentTimeMillis(), 36);
    private final Map<String, Long> submitted = new ConcurrentHashMap<>();
    private final Map<String, Long> decided = new HashMap<>();

    private LatencyBench(PipelineClient client, Plan plan, List<LabelledPair> pairs, Map<String, byte[]> images) {
        this.client = client;
        this.plan = plan;
        this.pairs = pairs;
        this.images = images;
    }

    /** The bytes of every image the pairs name, read from {@code dataset}. */
    public static Map<String, byte[]> images(Path dataset, List<LabelledPair> pairs) {
        Map<String, byte[]> images = new HashMap<>();
        for (LabelledPair p : pairs) {
            images.computeIfAbsent(p.first(), f -> read(dataset.resolve(f)));
            images.computeIfAbsent(p.second(), f -> read(dataset.resolve(f)));
        }
        return images;
    }

    /** One warm-up request, then the plan's requests on their schedule; waits up to 60 s past the plan for outcomes. */
    public static Result run(PipelineClient client, Plan plan, List<LabelledPair> pairs, Map<String, byte[]> images)
            throws BenchException, InterruptedException {
        return new LatencyBench(client, plan, pairs, images).run();
    }

    private Result run() throws BenchException, InterruptedException {
        // Warm-up: the first request after start pays for connections and caches.
        String warm = run + "-warmup";
        client.send(request(warm, pairs.get(0)));
        client.flush();
        if (client.await(warm, plan.explain(), Duration.ofMinutes(2)) == null) {
            throw new BenchException("no answer to a warm-up request within 2 minutes: is the stack up (./xssab up)?");
        }
        long start = System.nanoTime();
        Thread sender = new Thread(() -> send(start), "latency-sender");
        sender.start();
        long deadline = start + plan.duration().toNanos() + Duration.ofSeconds(60).toNanos();
        while ((sender.isAlive() || decided.size() < submitted.size()) && System.nanoTime() < deadline) {
            client.poll(Duration.ofMillis(20));
            long now = System.currentTimeMillis();
            for (String id : submitted.keySet()) {
                if (!decided.containsKey(id) && client.outcome(id, plan.explain()) != null) {
                    decided.put(id, now - submitted.get(id));
                }
            }
        }
        sender.interrupt();
        sender.join();
        client.flush();
        double sentSeconds = (System.nanoTime() - start) / 1e9;
        List<Long> latencies = new ArrayList<>(decided.values());
        Collections.sort(latencies);
        List<String> missing = submitted.keySet().stream().filter(id -> !decided.containsKey(id)).sorted().toList();
        return new Result(plan, submitted.size(), sentSeconds, latencies, missing);
    }

    /** Open loop: each request leaves at its due time and never waits for an answer. */
    private void send(long start) {
        long periodNanos = (long) (1e9 / plan.rate());
        for (int i = 0; i < plan.count(); i++) {
            long wait = start + i * periodNanos - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
            String id = run + "-" + i;
            VerificationRequest r = request(id, pairs.get(i % pairs.size()));
            submitted.put(id, r.getSubmittedAtMs().toEpochMilli());
            client.send(r);
        }
    }

    private VerificationRequest request(String id, LabelledPair p) {
        return VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now())
                .setProbe(ByteBuffer.wrap(images.get(p.first()))).setReference(ByteBuffer.wrap(images.get(p.second())))
                .setExplain(plan.explain()).setClientId(plan.clientId()).build();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
