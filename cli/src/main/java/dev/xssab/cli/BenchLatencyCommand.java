package dev.xssab.cli;

import dev.xssab.config.Setting;
import dev.xssab.evaluator.PairsCsv;
import dev.xssab.evaluator.LabelledPair;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.kafka.client.PipelineClient;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xssab bench-latency --rate R --duration D}: requests sent open-loop at a fixed rate
 * through the running local stack, each timed from its own submit time to the moment its decision
 * is read (read_committed); client start-up is not in it. Bounded in count and time, and refused
 * unless the bootstrap servers are on this machine.
 */
@Command(name = "bench-latency", description = "Open-loop requests at a fixed rate through the local stack: p50/p95/p99/max"
        + " latency from submit to decision.")
final class BenchLatencyCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    /** However rate and duration are set, no run sends more than this. */
    static final int MAX_REQUESTS = 5_000;

    @Option(names = "--rate", required = true, description = "Requests per second (0.1 to 50).")
    double rate;

    @Option(names = "--duration", description = "How long to send, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration duration = Duration.ofSeconds(60);

    @Option(names = "--explain", description = "Ask for explanations too.")
    boolean explain;

    @Option(names = "--dataset", description = "Folder with pairs.csv and its images (default: ${DEFAULT-VALUE}).")
    Path dataset = Path.of("../shared/faces/deepface");

    @Mixin
    ServiceOptions service;

    @Override
    public Set<Setting.Group> settingGroups() {
        return EnumSet.of(Setting.Group.KAFKA, Setting.Group.SCHEMA_REGISTRY_CLIENT, Setting.Group.CLIENT);
    }

    @Override
    public Integer call() throws Exception {
        if (!(rate >= 0.1 && rate <= 50)) {
            throw new UserException("--rate must be between 0.1 and 50 requests per second");
        }
        if (duration.isNegative() || duration.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new UserException("--duration must be at most 30 minutes");
        }
        for (String server : service.clients().bootstrapServers().split(",")) {
            String host = server.trim().substring(0, server.trim().lastIndexOf(':'));
            if (!InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress()) {
                throw new UserException("bench-latency runs against the local stack only, not " + server.trim());
            }
        }
        List<LabelledPair> pairs = PairsCsv.read(dataset.resolve("pairs.csv"));
        Map<String, byte[]> images = new HashMap<>();
        for (LabelledPair p : pairs) {
            images.computeIfAbsent(p.first(), f -> read(dataset.resolve(f)));
            images.computeIfAbsent(p.second(), f -> read(dataset.resolve(f)));
        }
        int count = (int) Math.min(MAX_REQUESTS, Math.max(1, Math.round(rate * duration.toMillis() / 1000.0)));
        String run = "latency-" + Long.toString(System.currentTimeMillis(), 36);
        Map<String, Long> submitted = new ConcurrentHashMap<>();
        Map<String, Long> decided = new HashMap<>();
        Topics topics = service.topics();
        try (PipelineClient client = service.pipelineClient(topics)) {
            // Warm-up: the first request after start pays for connections and caches.
            String warm = run + "-warmup";
            client.send(request(warm, pairs.get(0), images));
            client.flush();
            if (client.await(warm, explain, Duration.ofMinutes(2)) == null) {
                throw new UserException("no answer to a warm-up request within 2 minutes: is the stack up (./xssab up)?");
            }
            long periodNanos = (long) (1e9 / rate);
            long start = System.nanoTime();
            Thread sender = new Thread(() -> {
                for (int i = 0; i < count; i++) {
                    long due = start + i * periodNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    String id = run + "-" + i;
                    VerificationRequest r = request(id, pairs.get(i % pairs.size()), images);
                    submitted.put(id, r.getSubmittedAtMs().toEpochMilli());
                    client.send(r); // open loop: never waits for an answer
                }
            }, "latency-sender");
            sender.start();
            long deadline = start + duration.toNanos() + Duration.ofSeconds(60).toNanos();
            while ((sender.isAlive() || decided.size() < submitted.size()) && System.nanoTime() < deadline) {
                client.poll(Duration.ofMillis(20));
                long now = System.currentTimeMillis();
                for (String id : submitted.keySet()) {
                    if (!decided.containsKey(id) && client.outcome(id, explain) != null) {
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
            System.out.printf(Locale.ROOT, "rate         %.2f req/s asked, %.2f achieved (%d sent in %.1f s, %s)%n", rate,
                    submitted.size() / Math.min(sentSeconds, duration.toMillis() / 1000.0 + 1), submitted.size(), sentSeconds,
                    explain ? "explained" : "score only");
            System.out.printf(Locale.ROOT, "p50          %d ms%n", pct(latencies, 0.50));
            System.out.printf(Locale.ROOT, "p95          %d ms%n", pct(latencies, 0.95));
            System.out.printf(Locale.ROOT, "p99          %d ms%n", pct(latencies, 0.99));
            System.out.printf(Locale.ROOT, "max          %d ms%n", latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1));
            List<String> missing = submitted.keySet().stream().filter(id -> !decided.containsKey(id)).sorted().toList();
            System.out.printf(Locale.ROOT, "no outcome   %d%s%n", missing.size(), missing.isEmpty() ? "" : " " + missing.subList(0,
                    Math.min(10, missing.size())));
            return missing.isEmpty() ? 0 : 1;
        }
    }

    private VerificationRequest request(String id, LabelledPair p, Map<String, byte[]> images) {
        return VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now())
                .setProbe(ByteBuffer.wrap(images.get(p.first()))).setReference(ByteBuffer.wrap(images.get(p.second())))
                .setExplain(explain).setClientId(service.clientId()).build();
    }

    private static long pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
