package dev.xssab.cli.ops;

import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.SettingGroup;
import dev.xssab.kafka.client.ClientSettings;
import dev.xssab.kafka.client.ThresholdPublisher;
import dev.xssab.schemas.avro.ModelThreshold;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xssab threshold set MODEL T}: the operator's explicit change of a model's live threshold. */
@Command(name = "threshold", description = "Change a model's live decision threshold (an operator action).",
        subcommands = {ThresholdCommand.Set.class})
public final class ThresholdCommand {
    /** Who is acting: the operating system user, and the principal on a secured cluster. */
    public static String operator(ServiceOptions service) {
        return System.getProperty("user.name") + new ClientSettings(service.config()).principal().map(p -> " as " + p).orElse("");
    }

    @Command(name = "set", description = "Publish T as MODEL's live threshold; every explainer uses it from its next batch.")
    static final class Set implements Callable<Integer>, ServiceOptions.UsesSettings {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Parameters(index = "1", paramLabel = "T")
        double threshold;

        @Option(names = "--reason", required = true, description = "Why, and from what data (kept with the threshold).")
        String reason;

        @Mixin
        ServiceOptions service;

        @Override
        public java.util.List<SettingGroup> settingGroups() {
            return List.of(CommonSettings.KAFKA, CommonSettings.SCHEMA_REGISTRY_CLIENT, ClientSettings.GROUP);
        }

        @Override
        public Integer call() {
            if (!(threshold >= -1 && threshold <= 1)) {
                throw new UserException("T must be a cosine in [-1, 1], not " + threshold);
            }
            ModelThreshold t = ModelThreshold.newBuilder().setModelId(model).setThreshold(threshold).setSource(reason)
                    .setUpdatedAtMs(Instant.now()).setSetBy(operator(service)).setMode("manual").setDataset(null).build();
            ThresholdPublisher.publish(service.clients(), service.topics(), t);
            System.out.printf(Locale.ROOT, "threshold of %s is now %.6f (set by %s: %s)%n", model, threshold, t.getSetBy(),
                    reason);
            return 0;
        }
    }

    private ThresholdCommand() {}
}
