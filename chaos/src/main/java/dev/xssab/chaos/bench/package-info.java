/**
 * The measurements behind {@code xssab bench}, {@code bench-gateway}, {@code bench-pipeline} and
 * {@code bench-latency}: the engines, the gateway's preprocessing, the pipeline against the engine
 * in process, and the latency of an open-loop load. Every number that matters is a ratio of two
 * timings taken in the same run, so that a noisy machine shifts both sides alike. The CLI parses
 * the options, calls these and prints what they return.
 */
package dev.xssab.chaos.bench;
