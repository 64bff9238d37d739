package dev.xssab.executor;

import ai.djl.ndarray.NDArray;

/** One compiled node: reads its inputs (in node order, null for an omitted optional one), returns its output. */
@FunctionalInterface
interface Op {
    NDArray apply(NDArray[] in);

    /** The form to run when autograd records (its backward may be cheaper). Default: the same. */
    default NDArray applyDifferentiable(NDArray[] in) {
        return apply(in);
    }
}
