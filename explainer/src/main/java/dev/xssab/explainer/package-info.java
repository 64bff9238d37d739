/**
 * The explainer stage: cosine similarity of aligned faces, the decision at a threshold, and xSSAB
 * maps (which pixels argue for "same person" and which against, in both images). Two engines
 * behind one interface: {@link dev.xssab.explainer.XssabEngine} (PyTorch through DJL, with
 * gradients) and {@link dev.xssab.explainer.OrtScorer} (ONNX Runtime, score only, the fast path).
 */
package dev.xssab.explainer;
