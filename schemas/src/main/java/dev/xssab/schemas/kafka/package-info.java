/**
 * Kafka plumbing shared by the services that consume, transform and produce exactly once: a
 * transactional batch loop that knows nothing of what its records mean.
 */
package dev.xssab.schemas.kafka;
