/** The paper's protocol: evaluate, calibrate, report, Patch-LFW and the demo. */
package dev.xssab.cli.eval;
