/**
 * A Confluent-compatible schema registry: Confluent's REST paths, JSON shapes and error codes,
 * its state kept in a compacted {@code _schemas} topic in Confluent's own record format and
 * rebuilt on start. It exists because Confluent's artifacts cannot be fetched here; a real
 * Confluent Schema Registry can replace it without any client change. Single writer: run one.
 */
package dev.xssab.registry;
