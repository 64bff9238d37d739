/**
 * The gateway stage as a Kafka Streams application ({@code stream}): validates each request,
 * runs the {@code faces} pipeline on both images and publishes an aligned pair or a rejection.
 */
package dev.xssab.gateway;
