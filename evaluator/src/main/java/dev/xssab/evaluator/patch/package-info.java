/**
 * The xSSAB paper's perturbations: Patch-LFW (27 patches of 16x16 pasted into image 1) and
 * pixel replacement (putting original pixels back, chosen by the combined map or at random).
 */
package dev.xssab.evaluator.patch;
