/**
 * Configuration as data: every setting of every service declared once (name, type, default,
 * documentation, validation) on Kafka's {@code ConfigDef}; one reading order for all services (a
 * properties file, then the environment, then flags); and the one factory that builds every
 * Kafka producer, consumer, admin and Streams client from it, so that {@code security.protocol},
 * {@code sasl.*} and {@code ssl.*} reach all of them unchanged.
 */
package dev.xssab.config;
