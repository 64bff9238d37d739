/**
 * Live FMR/FNMR: a Kafka Streams topology (exactly_once_v2) from verification results to error
 * counts per evaluation cell, published to a compacted topic and readable over HTTP.
 */
package dev.xssab.evaluator.aggregate;
