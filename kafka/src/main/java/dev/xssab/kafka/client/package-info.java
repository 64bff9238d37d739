/** The client SDK: submit a verification request and wait for its result; publish a live threshold. */
package dev.xssab.kafka.client;
