/** The TF.js front end: a graph model (model.json and its weight shards) lowered to an {@link dev.xssab.executor.OpGraph}. */
package dev.xssab.executor.tfjs;
