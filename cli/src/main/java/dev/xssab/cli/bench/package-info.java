/** Benchmarks that print ratios measured in one run. */
package dev.xssab.cli.bench;
