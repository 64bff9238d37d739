/**
 * Differentiable graph execution: an {@link dev.xssab.executor.OpGraph} (ONNX's operator set over
 * NCHW tensors) run node by node on DJL NDArrays on the PyTorch engine, so that gradients flow back
 * to the input image. ONNX Runtime cannot give input gradients; this is what lets any ArcFace-style
 * export be explained. The front ends in {@code onnx}, {@code tfjs} and {@code faceapi} read their
 * formats into that one graph form. Nothing here knows of Kafka, faces or the rest of the project.
 */
package dev.xssab.executor;
