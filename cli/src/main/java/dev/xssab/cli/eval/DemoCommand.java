package dev.xssab.cli.eval;

import dev.xssab.cli.PairInputs;
import dev.xssab.cli.ProgressBar;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.cli.service.Stack;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.SettingGroup;
import dev.xssab.evaluator.DecisionCounts;
import dev.xssab.evaluator.LabelledPair;
import dev.xssab.evaluator.PairsCsv;
import dev.xssab.kafka.client.ClientSettings;
import dev.xssab.kafka.client.PipelineClient.Outcome;
import dev.xssab.kafka.client.PipelineClient;
import dev.xssab.render.ExplanationRecords;
import dev.xssab.schemas.avro.VerificationRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xssab demo}: the main job on the embedded default. Starts the local stack if needed,
 * sends every labelled pair of a pairs.csv folder through Kafka, and reports what came back.
 */
@Command(name = "demo", description = "Start the stack if needed, send the shared deepface pairs through it, summarise.")
public final class DemoCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Override
    public List<SettingGroup> settingGroups() {
        return List.of(CommonSettings.KAFKA, CommonSettings.SCHEMA_REGISTRY_CLIENT, ClientSettings.GROUP);
    }

    @Mixin
    ServiceOptions service;

    @Option(names = "--dataset", description = "Folder with pairs.csv and its images (default: ${DEFAULT-VALUE}).")
    Path dataset = Path.of("../shared/faces/deepface");

    @Option(names = "--explain", description = "How many pairs to explain and draw (default: ${DEFAULT-VALUE}).")
    int explainCount = 6;

    @Option(names = "--out", description = "Where the panels go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "demo");

    @Option(names = "--timeout", description = "Longest wait for all outcomes, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofMinutes(20);

    @Override
    public Integer call() throws Exception {
        Path csv = dataset.resolve("pairs.csv");
        if (!Files.isRegularFile(csv)) {
            throw new UserException("no pairs.csv in " + dataset + " (--dataset)");
        }
        List<LabelledPair> pairs = PairsCsv.read(csv);
        Stack.up(Duration.ofMinutes(2));
        Map<String, byte[]> images = new HashMap<>();
        for (LabelledPair p : pairs) {
            for (String f : List.of(p.first(), p.second())) {
                if (!images.containsKey(f)) {
                    images.put(f, PairInputs.read(dataset.resolve(f)));
                }
            }
        }
        List<Integer> explained = explained(pairs);
        String run = "demo-" + Long.toString(System.currentTimeMillis(), 36);
        Outcomes outcomes = new Outcomes(pairs.size());
        try (PipelineClient client = service.pipelineClient(service.topics())) {
            for (int i = 0; i < pairs.size(); i++) {
                client.send(request(run, i, pairs.get(i), images, explained.contains(i)));
                outcomes.sentAt[i] = System.nanoTime();
            }
            client.flush();
            outcomes.await(client, run, explained);
        }
        report(pairs, outcomes, explained);
        return outcomes.done == pairs.size() ? 0 : 1;
    }

    /** A few pairs of each kind to explain, so the panels show both a MATCH and a NO_MATCH. */
    private List<Integer> explained(List<LabelledPair> pairs) {
        List<Integer> explained = new ArrayList<>();
        for (boolean genuine : new boolean[] {true, false}) {
            int wanted = genuine ? (explainCount + 1) / 2 : explainCount / 2;
            for (int i = 0, taken = 0; i < pairs.size() && taken < wanted; i++) {
                if (pairs.get(i).genuine() == genuine) {
                    explained.add(i);
                    taken++;
                }
            }
        }
        return explained;
    }

    private VerificationRequest request(String run, int i, LabelledPair p, Map<String, byte[]> images, boolean explain) {
        return VerificationRequest.newBuilder()
                .setRequestId(run + "-" + i)
                .setSubmittedAtMs(Instant.now())
                .setProbe(ByteBuffer.wrap(images.get(p.first())))
                .setReference(ByteBuffer.wrap(images.get(p.second())))
                .setExplain(explain)
                .setClientId(service.clientId())
                .setTags(Map.of("run", run, "pair", Integer.toString(i)))
                .build();
    }

    /** What came back per pair, when it was sent and how long its outcome took. */
    private final class Outcomes {
        final Outcome[] outcomes;
        final long[] sentAt;
        final double[] latencyMs;
        final long start = System.nanoTime();
        int done;
        double seconds;

        Outcomes(int pairs) {
            outcomes = new Outcome[pairs];
            sentAt = new long[pairs];
            latencyMs = new double[pairs];
        }

        void await(PipelineClient client, String run, List<Integer> explained) {
            ProgressBar bar = new ProgressBar("pairs decided", outcomes.length);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (done < outcomes.length && System.nanoTime() < deadline) {
                client.poll(Duration.ofMillis(200));
                for (int i = 0; i < outcomes.length; i++) {
                    if (outcomes[i] == null && (outcomes[i] = client.outcome(run + "-" + i, explained.contains(i))) != null) {
                        latencyMs[i] = (System.nanoTime() - sentAt[i]) / 1e6;
                        done++;
                        bar.step();
                    }
                }
            }
            bar.done();
            seconds = (System.nanoTime() - start) / 1e9;
        }

        double[] sortedLatencies() {
            List<Double> lat = new ArrayList<>();
            for (int i = 0; i < outcomes.length; i++) {
                if (outcomes[i] != null) {
                    lat.add(latencyMs[i]);
                }
            }
            return lat.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }
    }

    private void report(List<LabelledPair> pairs, Outcomes o, List<Integer> explained) throws Exception {
        for (int i = 0; i < pairs.size(); i++) {
            if (o.outcomes[i] != null && o.outcomes[i].rejection() != null) {
                System.err.println("rejected pair " + i + ": " + o.outcomes[i].rejection().getReason() + " "
                        + o.outcomes[i].rejection().getMessage());
            }
        }
        DecisionCounts c = DecisionCounts.of(pairs, o.outcomes);
        double[] sorted = o.sortedLatencies();
        System.out.printf(Locale.ROOT, "pairs        %d sent, %d decided, %d rejected, %d missing%n", pairs.size(), c.decided(),
                c.rejected(), pairs.size() - o.done);
        System.out.printf(Locale.ROOT, "decisions    %d MATCH, %d NO_MATCH%n", c.match(), c.noMatch());
        System.out.printf(Locale.ROOT, "accuracy     %.4f against pairs.csv (TP %d, TN %d, FP %d, FN %d)%n", c.accuracy(),
                c.truePositive(), c.trueNegative(), c.falsePositive(), c.falseNegative());
        System.out.printf(Locale.ROOT, "throughput   %.2f pairs/s (%d pairs in %.1f s, request to outcome)%n", o.done / o.seconds,
                o.done, o.seconds);
        if (sorted.length > 0) {
            System.out.printf(Locale.ROOT, "latency      p50 %.0f ms, p99 %.0f ms (send to outcome, all sent at once)%n",
                    percentile(sorted, 0.50), percentile(sorted, 0.99));
        }
        for (int i : explained) {
            printPanel(pairs.get(i), i, o.outcomes[i]);
        }
        System.out.println("audit        ./xssab audit list   |   ./xssab audit show <request> --out DIR");
        System.out.println("stop         ./xssab down");
    }

    private void printPanel(LabelledPair pair, int i, Outcome o) throws Exception {
        if (o == null || o.explanation() == null) {
            return;
        }
        Path dir = out.resolve("pair-" + i + "-" + pair.first().replace(".jpg", "") + "-" + pair.second().replace(".jpg", ""));
        Path panel = ExplanationRecords.render(o.explanation(), dir).get("panel");
        System.out.printf(Locale.ROOT, "panel        %s (%s, score %.4f, %s)%n", panel, o.result().getDecision(),
                o.result().getScore(), pair.genuine() ? "same person" : "different people");
    }

    static double percentile(double[] sorted, double q) {
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }
}
