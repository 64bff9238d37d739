/** The {@code ./xssab} command line: one picocli subcommand per class. */
package dev.xssab.cli;
