package dev.xssab.cli;

import dev.xssab.audit.AuditKeyException;
import dev.xssab.cli.bench.BenchCommand;
import dev.xssab.cli.bench.BenchGatewayCommand;
import dev.xssab.cli.bench.BenchLatencyCommand;
import dev.xssab.cli.bench.PipelineBenchCommand;
import dev.xssab.cli.eval.CalibrateCommand;
import dev.xssab.cli.eval.DemoCommand;
import dev.xssab.cli.eval.EvaluateCommand;
import dev.xssab.cli.eval.PatchLfwCommand;
import dev.xssab.cli.eval.ReportCommand;
import dev.xssab.cli.ops.ChaosCommand;
import dev.xssab.cli.ops.ConfigCommand;
import dev.xssab.cli.ops.ExplainCommand;
import dev.xssab.cli.ops.ModelsCommand;
import dev.xssab.cli.ops.ProbeCommand;
import dev.xssab.cli.ops.SubmitCommand;
import dev.xssab.cli.ops.ThresholdCommand;
import dev.xssab.cli.ops.VerifyCommand;
import dev.xssab.cli.service.AggregatesCommand;
import dev.xssab.cli.service.AuditCommand;
import dev.xssab.cli.service.BrokerCommand;
import dev.xssab.cli.service.ExplainerCommand;
import dev.xssab.cli.service.GatewayCommand;
import dev.xssab.cli.service.RegistryCommand;
import dev.xssab.cli.service.StatusCommand;
import dev.xssab.cli.service.UiCommand;
import dev.xssab.cli.service.UpDownCommands;
import dev.xssab.faces.PreprocessingException;
import dev.xssab.models.ModelStoreException;
import dev.xssab.kafka.client.PipelineClientException;
import dev.xssab.schemas.serde.SchemaRegistryAccessDeniedException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code ./xssab}. */
@Command(name = "xssab", mixinStandardHelpOptions = true, version = "xssab 0.1.0", scope = CommandLine.ScopeType.INHERIT,
        description = "Face verification that explains every decision (xSSAB).",
        subcommands = {ModelsCommand.class, ExplainCommand.class, VerifyCommand.class, CalibrateCommand.class,
            BenchCommand.class, BrokerCommand.class, RegistryCommand.class, GatewayCommand.class, ExplainerCommand.class,
            AuditCommand.class, SubmitCommand.class, UpDownCommands.Up.class, UpDownCommands.Down.class, DemoCommand.class,
            PipelineBenchCommand.class, AggregatesCommand.class, EvaluateCommand.class, PatchLfwCommand.class,
            ReportCommand.class, ConfigCommand.class, ThresholdCommand.class, StatusCommand.class, ProbeCommand.class,
            BenchGatewayCommand.class, BenchLatencyCommand.class, UiCommand.class, ChaosCommand.class})
public final class XssabCli {
    /** Commands that run until stopped: their logs are their output, so they are never quieted. */
    private static final Set<String> LONG_RUNNING = Set.of("broker", "registry", "gateway", "explainer", "audit", "aggregates", "ui");

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Also log INFO lines, and DJL's and ONNX Runtime's warnings (engine banners, CUDA probes).")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command and returns its exit code: 0 ok, 2 user error, 1 bug. */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // User errors: one line, no stack trace. Anything else is a bug: show everything.
            if (e instanceof UserException || e instanceof PreprocessingException || e instanceof ModelStoreException
                    || e instanceof NoSuchFileException || e instanceof IllegalArgumentException || e instanceof ConfigException
                    || e instanceof PipelineClientException || e instanceof SchemaRegistryAccessDeniedException
                    || e instanceof AuditKeyException) {
                String what = e instanceof NoSuchFileException ? "no such file: " + e.getMessage()
                        : e instanceof PreprocessingException p ? p.reason() + ": " + p.getMessage() : e.getMessage();
                System.err.println("xssab " + cmd.getCommandName() + ": " + what);
                return 2;
            }
            if (e instanceof IOException) {
                System.err.println("xssab " + cmd.getCommandName() + ": " + e);
                return 2;
            }
            e.printStackTrace();
            return 1;
        });
        cli.setExecutionStrategy(parsed -> {
            CommandLine.ParseResult leaf = parsed;
            boolean verbose = parsed.hasMatchedOption("--verbose");
            while (leaf.hasSubcommand()) {
                leaf = leaf.subcommand();
                verbose |= leaf.hasMatchedOption("--verbose");
            }
            Logging.forCommand(LONG_RUNNING.contains(leaf.commandSpec().name()), verbose);
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli.execute(args);
    }

    /** Every command, with the flags of the settings each one uses. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new XssabCli());
        ServiceOptions.addFlags(cli);
        return cli;
    }
}
