/**
 * The browser view of the system ({@code xssab ui}): live decisions from the results topic, a
 * request's faces and xSSAB maps from the audit store, the dead-letter topic with replay,
 * evaluation curves from the aggregates service, models with their live thresholds, and health.
 * Everything that shows a face or a map requires authentication.
 */
package dev.xssab.ui;
