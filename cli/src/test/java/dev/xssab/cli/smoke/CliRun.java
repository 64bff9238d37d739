package dev.xssab.cli.smoke;

import dev.xssab.cli.XssabCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** {@code ./xssab ARGS} in this JVM, as a user runs it: its exit code and what it printed on stdout and stderr. */
record CliRun(List<String> args, int code, String out, String err) {
    /** Runs the real entry point, {@link XssabCli#run}, with System.out and System.err captured. */
    static synchronized CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = XssabCli.run(args);
            return new CliRun(List.of(args), code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static CliRun of(List<String> args) {
        return of(args.toArray(String[]::new));
    }

    /** The words before, then the words after. */
    static List<String> join(List<String> first, String... then) {
        List<String> all = new ArrayList<>(first);
        all.addAll(Arrays.asList(then));
        return all;
    }

    /** What an assertion message shows: the command line, the code and both outputs (their ends, when long). */
    String describe() {
        return "./xssab " + String.join(" ", args) + " exited " + code + "\n--- stdout\n" + tail(out) + "\n--- stderr\n" + tail(err);
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : "(...)" + text.substring(text.length() - 4000);
    }

    /** The lines of stderr that xssab itself wrote about an error ("xssab CMD: ..."). */
    long errorLines() {
        return err.lines().filter(l -> l.startsWith("xssab ")).count();
    }

    /**
     * The CLI's own command tree, with every command's generated setting flags, as {@link XssabCli#run} builds it.
     * XssabCli.commandLine() is package-private, so it is reached by reflection: the tree must be the real one, not a copy.
     */
    static CommandLine commandTree() {
        try {
            Method tree = XssabCli.class.getDeclaredMethod("commandLine");
            tree.setAccessible(true);
            return (CommandLine) tree.invoke(null);
        } catch (java.lang.reflect.InvocationTargetException e) {
            // Building the tree failed (a colliding option, say): that failure is the message, not the reflection.
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("XssabCli.commandLine() is how the CLI builds its command tree; it moved?", e);
        }
    }
}
