/**
 * The gateway service: a Kafka Streams topology (exactly_once_v2) from verification requests to
 * aligned pairs, with a dead-letter rejection for every request it cannot serve. It sees faces
 * only through {@link dev.xssab.gateway.stream.PairAligner}; no model code is imported here.
 */
package dev.xssab.gateway.stream;
