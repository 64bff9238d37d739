package dev.xssab.cli.ops;

import dev.xssab.cli.XssabSettings;
import dev.xssab.config.ConfigDoc;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xssab config --doc}: every declared setting, as the table docs/operations.md carries. */
@Command(name = "config", description = "Print the table of every setting (key, flag, environment variable, type, default).")
public final class ConfigCommand implements Callable<Integer> {
    @Option(names = "--doc", required = true, description = "Print the settings as a Markdown table.")
    boolean doc;

    @Override
    public Integer call() {
        System.out.print(ConfigDoc.markdown(XssabSettings.CATALOG));
        return 0;
    }
}
