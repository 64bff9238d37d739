package dev.xssab.evaluator;

/** Two image references and whether they show the same person. */
public record LabelledPair(String first, String second, boolean genuine) {}
