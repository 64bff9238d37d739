/**
 * The whole pipeline in one JVM for integration tests: the in-JVM broker, plain or secured, the
 * real schema registry, and the gateway, explainer, audit, aggregates and UI services built from
 * the same classes the CLI runs ({@link dev.xssab.testkit.pipeline.Pipeline}). Test scope only.
 */
package dev.xssab.testkit.pipeline;
