package dev.xssab.cli;

import dev.xssab.explainer.OrtScorer;
import dev.xssab.explainer.XssabEngine;
import dev.xssab.explainer.stream.ExplainerLoop;
import dev.xssab.explainer.stream.ExplainerSettings;
import dev.xssab.explainer.stream.ThresholdTable;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.ThresholdStore;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xssab explainer}: the batched, transactional explainer loop, until SIGTERM. */
@Command(name = "explainer", description = "Run an explainer instance: aligned pairs -> results, explanations (exactly once).")
final class ExplainerCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Option(names = "--instance", description = "Instance number, unique among running explainers (default: ${DEFAULT-VALUE}).")
    int instance = 0;

    @Option(names = "--batch", description = "Largest batch per model call (default: ${DEFAULT-VALUE}).")
    int batch = 8;

    @Option(names = "--max-wait-ms", description = "Longest wait to fill a batch (default: ${DEFAULT-VALUE}).")
    long maxWaitMs = 20;

    @Override
    public Integer call() throws Exception {
        Topics topics = service.topics();
        RecognitionModelSpec spec = RecognitionModelSpec.frFeature();
        ModelStore store = ModelStore.fromEnvironment();
        ThresholdStore local = ThresholdStore.fromEnvironment();
        ExplainerSettings settings = new ExplainerSettings(service.bootstrap, "xssab-explainer",
                "xssab-explainer-" + instance, batch, Duration.ofMillis(maxWaitMs));
        CountDownLatch done = new CountDownLatch(1);
        try (XssabEngine engine = XssabEngine.load(spec, store);
                OrtScorer fast = new OrtScorer(spec, store, 0);
                ThresholdTable thresholds = new ThresholdTable(service.bootstrap, topics,
                        model -> model.equals(spec.id()) ? local.thresholdFor(spec) : spec.defaultThreshold());
                ExplainerLoop loop = new ExplainerLoop(settings, topics, engine, fast::score, thresholds)) {
            System.err.println("explainer " + instance + " on " + engine.device() + ", model " + spec.id());
            thresholds.awaitCaughtUp(Duration.ofSeconds(30));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                loop.stop();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            try {
                loop.run();
            } finally {
                done.countDown();
            }
        }
        return 0;
    }
}
