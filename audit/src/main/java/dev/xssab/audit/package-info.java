/**
 * The audit stage: a consumer that upserts every result and explanation by requestId into a
 * relational store (PostgreSQL in production, an embedded H2 file database by default), with
 * Flyway migrations. Reprocessing is idempotent, so at-least-once delivery stores exactly once.
 */
package dev.xssab.audit;
