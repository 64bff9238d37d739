package dev.xssab.cli;

import dev.xssab.gateway.image.DecodeLimits;
import dev.xssab.gateway.stream.GatewayStreams;
import dev.xssab.gateway.stream.GatewayTopology;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.XssabHome;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xssab gateway}: the Kafka Streams gateway, in the foreground until SIGTERM. */
@Command(name = "gateway", description = "Run the gateway: requests -> aligned pairs | rejections (exactly once).")
final class GatewayCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Option(names = "--threads", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads = 2;

    @Option(names = "--dedup-window", description = "Window for duplicate requestIds, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration dedupWindow = Duration.ofMinutes(10);

    @Option(names = "--max-image-bytes", description = "Largest accepted encoded image (default: ${DEFAULT-VALUE}).")
    long maxImageBytes = DecodeLimits.DEFAULT.maxBytes();

    @Option(names = "--max-pixels", description = "Decoded-pixel cap per image (default: ${DEFAULT-VALUE}).")
    long maxPixels = DecodeLimits.DEFAULT.maxPixels();

    @Override
    public Integer call() throws Exception {
        Topics topics = service.topics();
        ModelStore store = ModelStore.fromEnvironment();
        RecognitionModelSpec spec = RecognitionModelSpec.frFeature();
        DecodeLimits limits = new DecodeLimits(maxImageBytes, maxPixels, DecodeLimits.DEFAULT.minSide());
        var config = GatewayTopology.streamsConfig(service.bootstrap, "xssab-gateway",
                XssabHome.dir().resolve("state").resolve("gateway").toString(), threads);
        CountDownLatch stopped = new CountDownLatch(1);
        try (KafkaStreams streams = GatewayStreams.create(topics, store, spec, limits, dedupWindow, config)) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                    stopped.countDown();
                }
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                streams.close(Duration.ofSeconds(30));
                stopped.countDown();
            }));
            streams.start();
            System.err.println("gateway running: " + Topics.REQUESTS + " -> " + Topics.ALIGNED_PAIRS + " | " + Topics.REJECTIONS);
            stopped.await();
            return streams.state() == KafkaStreams.State.ERROR ? 1 : 0;
        }
    }
}
