package dev.xssab.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Drops traffic to and from chosen TCP ports on 127.0.0.1, and nothing else, with one nftables
 * table of its own ({@value #TABLE}): a network partition of one broker on one machine. The rule
 * matches only packets whose destination is 127.0.0.1, so no other address is ever touched. The
 * table is removed on {@link #heal()} and on {@link #close()}, whatever happened in between.
 */
public final class LoopbackFirewall implements AutoCloseable {
    static final String TABLE = "xssab_chaos";

    private LoopbackFirewall() {}

    /**
     * A firewall if this machine can have one: nft is installed and we may add a table (root).
     *
     * @return empty, with the reason in {@code why}, when it cannot
     */
    public static Optional<LoopbackFirewall> probe(StringBuilder why) {
        try {
            nft("add", "table", "inet", TABLE);
            nft("delete", "table", "inet", TABLE);
            return Optional.of(new LoopbackFirewall());
        } catch (IllegalStateException e) {
            why.append(e.getMessage());
            return Optional.empty();
        }
    }

    /** Drops every packet on 127.0.0.1 to or from these ports until {@link #heal()}. */
    public void drop(List<Integer> ports) {
        String set = ports.stream().map(String::valueOf).collect(Collectors.joining(", ", "{ ", " }"));
        heal();
        nft("add", "table", "inet", TABLE);
        nft("add", "chain", "inet", TABLE, "output", "{ type filter hook output priority 0 ; policy accept ; }");
        nft("add", "rule", "inet", TABLE, "output", "ip", "daddr", "127.0.0.1", "tcp", "dport", set, "drop");
        nft("add", "rule", "inet", TABLE, "output", "ip", "daddr", "127.0.0.1", "tcp", "sport", set, "drop");
    }

    /** Removes the table (and so every rule of ours); a no-op when there is none. */
    public void heal() {
        try {
            nft("delete", "table", "inet", TABLE);
        } catch (IllegalStateException e) {
            // no table: nothing was dropped
        }
    }

    @Override
    public void close() {
        heal();
    }

    private static void nft(String... args) {
        List<String> command = new ArrayList<>();
        command.add("nft");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("nft " + String.join(" ", args) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("nft is not installed (Debian's package nftables): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running nft", e);
        }
    }
}
