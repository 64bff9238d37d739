package dev.xssab.cli.bench;

import dev.xssab.chaos.bench.BenchException;
import dev.xssab.chaos.bench.LatencyBench;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.SettingGroup;
import dev.xssab.evaluator.LabelledPair;
import dev.xssab.evaluator.PairsCsv;
import dev.xssab.kafka.client.ClientSettings;
import dev.xssab.kafka.client.PipelineClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xssab bench-latency --rate R --duration D}: requests sent open-loop at a fixed rate
 * through the running local stack, each timed from its own submit time to the moment its decision
 * is read ({@link LatencyBench}). Bounded in count and time, and refused unless the bootstrap
 * servers are on this machine.
 */
@Command(name = "bench-latency", description = "Open-loop requests at a fixed rate through the local stack: p50/p95/p99/max"
        + " latency from submit to decision.")
public final class BenchLatencyCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
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
    public List<SettingGroup> settingGroups() {
        return List.of(CommonSettings.KAFKA, CommonSettings.SCHEMA_REGISTRY_CLIENT, ClientSettings.GROUP);
    }

    @Override
    public Integer call() throws Exception {
        if (!(rate >= 0.1 && rate <= 50)) {
            throw new UserException("--rate must be between 0.1 and 50 requests per second");
        }
        if (duration.isNegative() || duration.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new UserException("--duration must be at most 30 minutes");
        }
        requireLoopback(service.clients().bootstrapServers());
        List<LabelledPair> pairs = PairsCsv.read(dataset.resolve("pairs.csv"));
        Map<String, byte[]> images = LatencyBench.images(dataset, pairs);
        LatencyBench.Plan plan = new LatencyBench.Plan(rate, duration, explain, service.clientId());
        LatencyBench.Result r;
        try (PipelineClient client = service.pipelineClient(service.topics())) {
            r = LatencyBench.run(client, plan, pairs, images);
        } catch (BenchException e) {
            throw new UserException(e.getMessage());
        }
        System.out.printf(Locale.ROOT, "rate         %.2f req/s asked, %.2f achieved (%d sent in %.1f s, %s)%n", rate,
                r.achievedRate(), r.submitted(), r.sentSeconds(), explain ? "explained" : "score only");
        System.out.printf(Locale.ROOT, "p50          %d ms%n", r.percentileMs(0.50));
        System.out.printf(Locale.ROOT, "p95          %d ms%n", r.percentileMs(0.95));
        System.out.printf(Locale.ROOT, "p99          %d ms%n", r.percentileMs(0.99));
        System.out.printf(Locale.ROOT, "max          %d ms%n", r.maxMs());
        List<String> missing = r.missing();
        System.out.printf(Locale.ROOT, "no outcome   %d%s%n", missing.size(), missing.isEmpty() ? "" : " " + missing.subList(0,
                Math.min(10, missing.size())));
        return missing.isEmpty() ? 0 : 1;
    }

    /** The bench sends real load: only to a cluster on this machine. */
    private static void requireLoopback(String bootstrapServers) throws UnknownHostException {
        for (String server : bootstrapServers.split(",")) {
            String host = server.trim().substring(0, server.trim().lastIndexOf(':'));
            if (!InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress()) {
                throw new UserException("bench-latency runs against the local stack only, not " + server.trim());
            }
        }
    }
}
