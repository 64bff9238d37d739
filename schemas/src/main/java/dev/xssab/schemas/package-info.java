/**
 * Data contracts shared by every stage of the flow (gateway, explainer, audit, evaluator): reason
 * codes, decisions and, with the streaming pipeline, topic names and Avro records. Anything that
 * crosses a stage boundary is defined here once.
 */
package dev.xssab.schemas;
