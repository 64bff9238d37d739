package dev.xssab.cli;

import dev.xssab.render.ExplanationRecords;
import dev.xssab.config.Setting;
import dev.xssab.kafka.client.PipelineClient;
import dev.xssab.kafka.client.PipelineClient.Outcome;
import java.util.EnumSet;
import java.util.Set;
import dev.xssab.evaluator.LabelledPair;
import dev.xssab.evaluator.PairsCsv;
import dev.xssab.schemas.Topics;
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
final class DemoCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Override
    public Set<Setting.Group> settingGroups() {
        return EnumSet.of(Setting.Group.KAFKA, Setting.Group.SCHEMA_REGISTRY_CLIENT, Setting.Group.CLIENT);
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
        Topics topics = service.topics();
        Map<String, byte[]> images = new HashMap<>();
        for (LabelledPair p : pairs) {
            for (String f : List.of(p.first(), p.second())) {
                if (!images.containsKey(f)) {
                    images.put(f, PairInputs.read(dataset.resolve(f)));
                }
            }
        }
        // Explain a few of each kind so the panels show both a MATCH and a NO_MATCH.
        List<Integer> explained = new ArrayList<>();
        for (boolean genuine : new boolean[] {true, false}) {
            for (int i = 0; i < pairs.size() && explained.stream().filter(k -> pairs.get(k).genuine() == genuine).count()
                    < (genuine ? (explainCount + 1) / 2 : explainCount / 2); i++) {
                if (pairs.get(i).genuine() == genuine) {
                    explained.add(i);
                }
            }
        }
        String run = "demo-" + Long.toString(System.currentTimeMillis(), 36);
        long[] sentAt = new long[pairs.size()];
        double[] latency = new double[pairs.size()];
        Outcome[] outcomes = new Outcome[pairs.size()];
        long start = System.nanoTime();
        try (PipelineClient client = service.pipelineClient(topics)) {
            for (int i = 0; i < pairs.size(); i++) {
                LabelledPair p = pairs.get(i);
                client.send(VerificationRequest.newBuilder()
                        .setRequestId(run + "-" + i)
                        .setSubmittedAtMs(Instant.now())
                        .setProbe(ByteBuffer.wrap(images.get(p.first())))
                        .setReference(ByteBuffer.wrap(images.get(p.second())))
                        .setExplain(explained.contains(i))
                        .setClientId(service.clientId())
                        .setTags(Map.of("run", run, "pair", Integer.toString(i)))
                        .build());
                sentAt[i] = System.nanoTime();
            }
            client.flush();
            ProgressBar bar = new ProgressBar("pairs decided", pairs.size());
            int done = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (done < pairs.size() && System.nanoTime() < deadline) {
                client.poll(Duration.ofMillis(200));
                for (int i = 0; i < pairs.size(); i++) {
                    if (outcomes[i] == null) {
                        outcomes[i] = client.outcome(run + "-" + i, explained.contains(i));
                        if (outcomes[i] != null) {
                            latency[i] = (System.nanoTime() - sentAt[i]) / 1e6;
                            done++;
                            bar.step();
                        }
                    }
                }
            }
            bar.done();
            double seconds = (System.nanoTime() - start) / 1e9;
            report(pairs, outcomes, latency, done, seconds, explained);
            return done == pairs.size() ? 0 : 1;
        }
    }

    private void report(List<LabelledPair> pairs, Outcome[] outcomes, double[] latency, int done, double seconds,
            List<Integer> explained) throws Exception {
        int match = 0, noMatch = 0, rejected = 0, correct = 0, tp = 0, tn = 0, fp = 0, fn = 0;
        List<Double> lat = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            Outcome o = outcomes[i];
            if (o == null) {
                continue;
            }
            lat.add(latency[i]);
            if (o.rejection() != null) {
                rejected++;
                System.err.println("rejected pair " + i + ": " + o.rejection().getReason() + " " + o.rejection().getMessage());
                continue;
            }
            boolean isMatch = o.result().getDecision().name().equals("MATCH");
            match += isMatch ? 1 : 0;
            noMatch += isMatch ? 0 : 1;
            boolean genuine = pairs.get(i).genuine();
            correct += isMatch == genuine ? 1 : 0;
            tp += isMatch && genuine ? 1 : 0;
            tn += !isMatch && !genuine ? 1 : 0;
            fp += isMatch && !genuine ? 1 : 0;
            fn += !isMatch && genuine ? 1 : 0;
        }
        double[] sorted = lat.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "pairs        %d sent, %d decided, %d rejected, %d missing%n", pairs.size(),
                match + noMatch, rejected, pairs.size() - done);
        System.out.printf(Locale.ROOT, "decisions    %d MATCH, %d NO_MATCH%n", match, noMatch);
        System.out.printf(Locale.ROOT, "accuracy     %.4f against pairs.csv (TP %d, TN %d, FP %d, FN %d)%n",
                (match + noMatch) == 0 ? 0 : (double) correct / (match + noMatch), tp, tn, fp, fn);
        System.out.printf(Locale.ROOT, "throughput   %.2f pairs/s (%d pairs in %.1f s, request to outcome)%n", done / seconds, done,
                seconds);
        if (sorted.length > 0) {
            System.out.printf(Locale.ROOT, "latency      p50 %.0f ms, p99 %.0f ms (send to outcome, all sent at once)%n",
                    percentile(sorted, 0.50), percentile(sorted, 0.99));
        }
        for (int i : explained) {
            Outcome o = outcomes[i];
            if (o != null && o.explanation() != null) {
                Path dir = out.resolve("pair-" + i + "-" + pairs.get(i).first().replace(".jpg", "") + "-"
                        + pairs.get(i).second().replace(".jpg", ""));
                Path panel = ExplanationRecords.render(o.explanation(), dir).get("panel");
                System.out.printf(Locale.ROOT, "panel        %s (%s, score %.4f, %s)%n", panel, o.result().getDecision(),
                        o.result().getScore(), pairs.get(i).genuine() ? "same person" : "different people");
            }
        }
        System.out.println("audit        ./xssab audit list   |   ./xssab audit show <request> --out DIR");
        System.out.println("stop         ./xssab down");
    }

    static double percentile(double[] sorted, double q) {
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

}
