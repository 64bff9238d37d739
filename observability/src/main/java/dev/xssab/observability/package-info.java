/**
 * Observability as part of every service: the metrics the services decide by
 * ({@link XssabMetrics}: the names are an interface, kept stable), Kafka's own client and Streams
 * metrics through Micrometer's binders, and one small HTTP endpoint per service
 * ({@link ServiceEndpoint}) with {@code /metrics} (Prometheus), {@code /health/live} and
 * {@code /health/ready}.
 */
package dev.xssab.observability;
