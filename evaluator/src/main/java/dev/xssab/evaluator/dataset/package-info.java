/**
 * Evaluation datasets in three layouts (LFW with pairs.txt, the xSSAB reference layout, a
 * deepface-style pairs.csv), each giving images, identities and labelled pairs.
 */
package dev.xssab.evaluator.dataset;
