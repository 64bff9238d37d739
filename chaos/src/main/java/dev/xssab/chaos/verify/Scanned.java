package dev.xssab.chaos.verify;

import org.apache.kafka.common.TopicPartition;

/**
 * One record read back from an outcome topic: where it sits, when it was written, and a compact
 * copy of its value (image bytes are dropped while scanning, so a long run fits in memory).
 *
 * @param requestId the value's requestId (null when a rejection could not even name one)
 * @param timestampMs the record's timestamp
 * @param value the value, or a summary of it
 */
public record Scanned<T>(String requestId, TopicPartition partition, long offset, long timestampMs, T value) {}
