package dev.xssab.evaluator.report;

/** The report's HTML page: the two plots, the DET curves if drawn, and the table. */
final class ReportPage {
    private ReportPage() {}

    static String html(String run, String table, boolean det) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>xSSAB evaluation "
                + run + "</title><style>body{font-family:sans-serif;margin:2em}img{max-width:48%}pre{background:#f6f6f6;padding:1em}</style>"
                + "</head><body><h1>xSSAB evaluation " + run + "</h1><p>FMR and FNMR at the run's threshold against the share of "
                + "original pixels put back into the patched image 1. Solid: best_worst (by the combined xSSAB map); dashed: random. "
                + "Dotted: originals and Patch-LFW.</p><img src=\"fmr.svg\" alt=\"FMR\"><img src=\"fnmr.svg\" alt=\"FNMR\">"
                + (det ? "<h2>DET on the original pairs</h2><img src=\"det.svg\" alt=\"DET\">" : "")
                + "<pre>" + table.replace("<", "&lt;") + "</pre></body></html>\n";
    }
}
