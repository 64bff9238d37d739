/**
 * Kafka support shared by every service: the one client factory ({@link dev.xssab.kafka.KafkaClients}),
 * topic provisioning and the broker-count check ({@link dev.xssab.kafka.TopicAdmin}), the ACL matrix,
 * a producer that surfaces every send failure, the transactional batch loop that the explainer runs,
 * and the reader of a topic to its end ({@link dev.xssab.kafka.TopicReader}).
 */
package dev.xssab.kafka;
