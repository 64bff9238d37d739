package dev.xssab.cli;

import java.io.PrintStream;

/** A one-line progress bar on stderr (stdout stays clean for JSON and tables). */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final String label;
    private final long total;
    private final PrintStream out = System.err;
    private final long start = System.nanoTime();
    private long done;
    private long lastDraw;
    /** Without a terminal (CI logs, pipes) carriage returns make a mess: print a line per 10%. */
    private final boolean interactive = System.console() != null;
    private long lastDecile = -1;

    public ProgressBar(String label, long total) {
        this.label = label;
        this.total = Math.max(1, total);
    }

    public void step() {
        done++;
        if (!interactive) {
            long decile = 10 * done / total;
            if (decile != lastDecile) {
                lastDecile = decile;
                out.printf("%s: %d/%d (%.0fs)%n", label, done, total, (System.nanoTime() - start) / 1e9);
            }
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw > 200_000_000L || done == total) {
            lastDraw = now;
            draw(now);
        }
    }

    private void draw(long now) {
        int filled = (int) (WIDTH * done / total);
        double elapsed = (now - start) / 1e9;
        double eta = done == 0 ? 0 : elapsed * (total - done) / done;
        out.printf("\r%s [%s%s] %d/%d %.0fs elapsed, %.0fs left ", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                done, total, elapsed, eta);
        out.flush();
    }

    public void done() {
        if (!interactive) {
            return;
        }
        draw(System.nanoTime());
        out.println();
    }
}
