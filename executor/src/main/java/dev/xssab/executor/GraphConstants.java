package dev.xssab.executor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * A graph's constants (initializers, Constant nodes and what load time derives from them), all in
 * one manager of their own. That manager is also how an op tells a constant from a per-call value.
 */
final class GraphConstants implements AutoCloseable {
    private final NDManager manager;
    private final DataType dataType;
    private final Map<String, NDArray> arrays = new HashMap<>();
    /** Integer tensors also as plain values: shapes and pads are read at load time. */
    private final Map<String, long[]> integers = new HashMap<>();

    GraphConstants(NDManager parent, DataType dataType) {
        this.manager = parent.newSubManager();
        this.dataType = dataType;
    }

    void add(OpGraph.Tensor t) {
        Shape shape = new Shape(t.dims());
        if (t.isInteger()) {
            integers.put(t.name(), t.longs());
            arrays.put(t.name(), manager.create(t.longs(), shape));
        } else {
            NDArray a = manager.create(t.floats(), shape);
            if (dataType != DataType.FLOAT32) {
                NDArray converted = a.toType(dataType, false);
                a.close();
                a = converted;
            }
            arrays.put(t.name(), a);
        }
    }

    /** The constant of that name, or null when it is a per-call value. */
    NDArray get(String name) {
        return arrays.get(name);
    }

    NDArray constant(OpGraph.Node node, int index) {
        NDArray c = arrays.get(node.inputs().get(index));
        if (c == null) {
            throw new UnsupportedOpException("input " + index + " of " + node.describe()
                    + " must be a constant (initializer) for this executor");
        }
        return c;
    }

    long[] integerConstant(OpGraph.Node node, int index) {
        long[] c = integers.get(node.inputs().get(index));
        if (c == null) {
            throw new UnsupportedOpException("input " + index + " of " + node.describe()
                    + " must be an integer constant; shapes computed at run time are not supported");
        }
        return c;
    }

    boolean isConstant(NDArray a) {
        return a != null && a.getManager() == manager;
    }

    /** Keeps a load-time derived array with the constants. */
    NDArray keep(NDArray a) {
        a.attach(manager);
        return a;
    }

    @Override
    public void close() {
        manager.close();
    }
}
