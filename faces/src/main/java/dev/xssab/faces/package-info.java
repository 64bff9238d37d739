/**
 * Face preprocessing, from untrusted bytes to an aligned crop: face detection (fr_detect) and 68
 * landmarks (fr_landmark), both on ONNX Runtime through DJL, then 5-point similarity alignment onto
 * a recognition model's template. Decoding and resizing are in {@code image}. Nothing here knows
 * of Kafka: the gateway's topology calls this pipeline.
 */
package dev.xssab.faces;
