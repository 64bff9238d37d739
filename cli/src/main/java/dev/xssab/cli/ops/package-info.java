/** Operator commands: submit, thresholds, configuration, models, probes, chaos, explain and verify. */
package dev.xssab.cli.ops;
