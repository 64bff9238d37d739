/**
 * Configuration as data: every setting of every service declared once (name, type, default,
 * documentation, validation) on Kafka's {@code ConfigDef}; one reading order for all services (a
 * properties file, then the environment, then flags); and the one rule of which of the user's
 * Kafka client settings the code keeps ({@link dev.xssab.config.KeptClientSettings}). The client
 * factory itself is in the kafka module.
 */
package dev.xssab.config;
