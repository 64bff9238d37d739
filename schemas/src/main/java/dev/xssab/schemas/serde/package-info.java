/**
 * Avro serialisation in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro
 * binary), configured as Confluent's serdes are ({@code schema.registry.url},
 * {@code auto.register.schemas}, {@code specific.avro.reader}), and a client for any
 * Confluent-compatible registry. Swap in Confluent's own serdes without changing a byte on the wire.
 */
package dev.xssab.schemas.serde;
