/**
 * The explainer service: a transactional consume-transform-produce loop from aligned pairs to
 * results and explanations, one batched model call per poll. It sees models only through
 * {@link dev.xssab.explainer.PairExplainer} and {@link dev.xssab.explainer.PairScorer}.
 */
package dev.xssab.explainer.stream;
