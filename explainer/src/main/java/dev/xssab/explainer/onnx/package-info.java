/**
 * Differentiable ONNX: a minimal reader of the ONNX protobuf and an executor that runs the graph
 * node by node on DJL NDArrays (PyTorch engine), so that gradients flow back to the input image.
 * ONNX Runtime cannot give input gradients; this is what lets any ArcFace-style export be
 * explained.
 */
package dev.xssab.explainer.onnx;
