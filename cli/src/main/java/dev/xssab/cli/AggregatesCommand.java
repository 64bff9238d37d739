package dev.xssab.cli;

import dev.xssab.evaluator.aggregate.AggregatesService;
import dev.xssab.evaluator.aggregate.AggregatesTopology;
import dev.xssab.models.XssabHome;
import dev.xssab.schemas.Topics;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xssab aggregates}: live FMR/FNMR per evaluation cell, with HTTP at /aggregates. */
@Command(name = "aggregates", description = "Run the aggregates topology and its HTTP endpoint (/aggregates, /aggregates/{run}).")
final class AggregatesCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Option(names = "--http-port", description = "Port of the HTTP endpoint on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int httpPort = 8082;

    @Override
    public Integer call() throws Exception {
        Topics topics = service.topics();
        var config = AggregatesTopology.streamsConfig(service.bootstrap, "xssab-aggregates",
                XssabHome.dir().resolve("state").resolve("aggregates").toString());
        CountDownLatch stopped = new CountDownLatch(1);
        try (AggregatesService aggregates = new AggregatesService(topics, config, "127.0.0.1", httpPort)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            aggregates.start();
            System.err.println("aggregates: " + Topics.RESULTS + " -> " + Topics.AGGREGATES + ", http://127.0.0.1:"
                    + aggregates.port() + "/aggregates");
            stopped.await();
        }
        return 0;
    }
}
