package dev.xssab.executor;

import java.util.List;
import java.util.Map;

/**
 * The one graph form the executor runs: ONNX's operator vocabulary and attribute conventions, with
 * nodes in topological order, constant initializers, graph inputs and outputs, and the
 * default-domain opset. The ONNX reader produces it from a file; the TF.js and face-api front
 * ends lower their own formats into it.
 */
public record OpGraph(List<Node> nodes, Map<String, Tensor> initializers, List<ValueInfo> inputs,
        List<ValueInfo> outputs, long opset) {

    /** ONNX TensorProto.DataType codes used here. */
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int DOUBLE = 11;

    /** A graph node. */
    public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
            Map<String, Attribute> attributes) {
        public Attribute attr(String key) {
            return attributes.get(key);
        }

        public long intAttr(String key, long dflt) {
            Attribute a = attributes.get(key);
            return a == null ? dflt : a.i();
        }

        public float floatAttr(String key, float dflt) {
            Attribute a = attributes.get(key);
            return a == null ? dflt : a.f();
        }

        public long[] intsAttr(String key, long[] dflt) {
            Attribute a = attributes.get(key);
            return a == null ? dflt : a.ints();
        }

        public String stringAttr(String key, String dflt) {
            Attribute a = attributes.get(key);
            return a == null || a.s() == null ? dflt : a.s();
        }

        /** "Op 'name'", for error messages. */
        public String describe() {
            return opType + " node '" + (name.isEmpty() ? String.join(",", outputs) : name) + "'";
        }
    }

    /** A node attribute; only the field matching its type is set. */
    public record Attribute(String name, float f, long i, String s, long[] ints, float[] floats, Tensor t) {
        /** An integer-list attribute, as the front ends build them. */
        public static Attribute ints(String name, long... values) {
            return new Attribute(name, 0, 0, null, values, null, null);
        }
    }

    /** A constant tensor, kept as float or long data. */
    public record Tensor(String name, long[] dims, int dataType, float[] floats, long[] longs) {
        public boolean isInteger() {
            return longs != null;
        }

        public long size() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }
    }

    /** A graph input or output with its declared shape (-1 for symbolic or unknown dims). */
    public record ValueInfo(String name, long[] shape) {}
}
