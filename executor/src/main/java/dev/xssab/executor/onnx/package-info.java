/** The ONNX front end: a minimal reader of the ONNX protobuf into an {@link dev.xssab.executor.OpGraph}. */
package dev.xssab.executor.onnx;
