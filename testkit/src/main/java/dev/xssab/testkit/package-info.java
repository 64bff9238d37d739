/**
 * Test fixtures, used in test scope only: a real single-node KRaft broker started in the test JVM
 * on 127.0.0.1, and the lookup of the ../shared test data.
 */
package dev.xssab.testkit;
