/**
 * Face detection (fr_detect), 68 landmarks (fr_landmark), both on ONNX Runtime through DJL, and
 * 5-point similarity alignment onto a recognition model's template.
 */
package dev.xssab.gateway.face;
