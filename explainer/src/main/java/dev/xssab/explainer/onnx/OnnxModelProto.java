package dev.xssab.explainer.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX ModelProto that inference needs: nodes (in file order, which ONNX requires
 * to be topological), initializers, graph inputs and outputs, and the default-domain opset.
 */
public record OnnxModelProto(List<Node> nodes, Map<String, Tensor> initializers, List<ValueInfo> inputs,
        List<ValueInfo> outputs, long opset) {

    /** ONNX TensorProto.DataType codes used here. */
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

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
    public record Attribute(String name, float f, long i, String s, long[] ints, float[] floats, Tensor t) {}

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

    public static OnnxModelProto read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    public static OnnxModelProto parse(byte[] bytes) {
        ProtoReader model = new ProtoReader(bytes, 0, bytes.length);
        OnnxModelProto graph = null;
        long opset = -1;
        while (model.next()) {
            if (model.field() == 7 && model.wireType() == ProtoReader.LENGTH_DELIMITED) {
                graph = parseGraph(model.message(), 0);
            } else if (model.field() == 8 && model.wireType() == ProtoReader.LENGTH_DELIMITED) {
                ProtoReader op = model.message();
                String domain = "";
                long version = -1;
                while (op.next()) {
                    if (op.field() == 1) {
                        domain = op.string();
                    } else if (op.field() == 2) {
                        version = op.readVarint();
                    } else {
                        op.skip();
                    }
                }
                if (domain.isEmpty() || "ai.onnx".equals(domain)) {
                    opset = version;
                }
            } else {
                model.skip();
            }
        }
        if (graph == null) {
            throw new OnnxFormatException("no graph in the file: not an ONNX model");
        }
        return new OnnxModelProto(graph.nodes, graph.initializers, graph.inputs, graph.outputs, opset);
    }

    private static OnnxModelProto parseGraph(ProtoReader g, long opset) {
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> init = new LinkedHashMap<>();
        List<ValueInfo> inputs = new ArrayList<>();
        List<ValueInfo> outputs = new ArrayList<>();
        while (g.next()) {
            switch (g.field()) {
                case 1 -> nodes.add(parseNode(g.message()));
                case 5 -> {
                    Tensor t = parseTensor(g.message());
                    init.put(t.name(), t);
                }
                case 11 -> inputs.add(parseValueInfo(g.message()));
                case 12 -> outputs.add(parseValueInfo(g.message()));
                default -> g.skip();
            }
        }
        // Older exporters list initializers among the inputs too; they are not real inputs.
        inputs.removeIf(v -> init.containsKey(v.name()));
        return new OnnxModelProto(nodes, init, inputs, outputs, opset);
    }

    private static Node parseNode(ProtoReader n) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String name = "";
        String op = "";
        String domain = "";
        Map<String, Attribute> attrs = new HashMap<>();
        while (n.next()) {
            switch (n.field()) {
                case 1 -> in.add(n.string());
                case 2 -> out.add(n.string());
                case 3 -> name = n.string();
                case 4 -> op = n.string();
                case 5 -> {
                    Attribute a = parseAttribute(n.message());
                    attrs.put(a.name(), a);
                }
                case 7 -> domain = n.string();
                default -> n.skip();
            }
        }
        return new Node(name, op, domain, in, out, attrs);
    }

    private static Attribute parseAttribute(ProtoReader a) {
        String name = "";
        float f = 0;
        long i = 0;
        String s = null;
        List<Long> ints = new ArrayList<>();
        List<Float> floats = new ArrayList<>();
        Tensor t = null;
        while (a.next()) {
            switch (a.field()) {
                case 1 -> name = a.string();
                case 2 -> f = a.readFixed32Float();
                case 3 -> i = a.readVarint();
                case 4 -> s = a.string();
                case 5 -> t = parseTensor(a.message());
                case 7 -> readFloats(a, floats);
                case 8 -> readInts(a, ints);
                default -> a.skip();
            }
        }
        float[] fl = new float[floats.size()];
        for (int k = 0; k < fl.length; k++) {
            fl[k] = floats.get(k);
        }
        return new Attribute(name, f, i, s, ints.stream().mapToLong(Long::longValue).toArray(), fl, t);
    }

    static Tensor parseTensor(ProtoReader t) {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = "";
        byte[] raw = null;
        List<Float> floatData = new ArrayList<>();
        List<Long> intData = new ArrayList<>();
        List<Double> doubleData = new ArrayList<>();
        while (t.next()) {
            switch (t.field()) {
                case 1 -> readInts(t, dims);
                case 2 -> type = (int) t.readVarint();
                case 4 -> readFloats(t, floatData);
                case 5, 7 -> readInts(t, intData);
                case 8 -> name = t.string();
                case 9 -> raw = t.bytes();
                case 10 -> {
                    if (t.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        ProtoReader p = t.message();
                        while (p.hasMore()) {
                            doubleData.add(p.readFixed64Double());
                        }
                    } else {
                        doubleData.add(t.readFixed64Double());
                    }
                }
                case 14 -> {
                    if (t.readVarint() == 1) {
                        throw new UnsupportedOnnxOpException("tensor '" + name
                                + "' keeps its data in an external file; re-export with the weights inside the .onnx");
                    }
                }
                default -> t.skip();
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        switch (type) {
            case FLOAT -> {
                float[] data = new float[(int) n];
                if (raw != null) {
                    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
                } else {
                    for (int k = 0; k < data.length; k++) {
                        data[k] = floatData.get(k);
                    }
                }
                return new Tensor(name, shape, type, data, null);
            }
            case DOUBLE -> {
                float[] data = new float[(int) n];
                if (raw != null) {
                    var db = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
                    for (int k = 0; k < data.length; k++) {
                        data[k] = (float) db.get(k);
                    }
                } else {
                    for (int k = 0; k < data.length; k++) {
                        data[k] = doubleData.get(k).floatValue();
                    }
                }
                return new Tensor(name, shape, type, data, null);
            }
            case INT64, INT32 -> {
                long[] data = new long[(int) n];
                if (raw != null) {
                    ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                    for (int k = 0; k < data.length; k++) {
                        data[k] = type == INT64 ? bb.getLong() : bb.getInt();
                    }
                } else {
                    for (int k = 0; k < data.length; k++) {
                        data[k] = intData.get(k);
                    }
                }
                return new Tensor(name, shape, type, null, data);
            }
            default -> throw new UnsupportedOnnxOpException("tensor '" + name + "' has data type " + type
                    + "; only float, double, int32 and int64 constants are supported");
        }
    }

    /** A repeated float field, packed or not. */
    private static void readFloats(ProtoReader r, List<Float> into) {
        if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ProtoReader p = r.message();
            while (p.hasMore()) {
                into.add(p.readFixed32Float());
            }
        } else {
            into.add(r.readFixed32Float());
        }
    }

    /** A repeated varint field, packed or not. */
    private static void readInts(ProtoReader r, List<Long> into) {
        if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ProtoReader p = r.message();
            while (p.hasMore()) {
                into.add(p.readVarint());
            }
        } else {
            into.add(r.readVarint());
        }
    }

    private static ValueInfo parseValueInfo(ProtoReader v) {
        String name = "";
        List<Long> shape = new ArrayList<>();
        while (v.next()) {
            if (v.field() == 1) {
                name = v.string();
            } else if (v.field() == 2) {
                ProtoReader type = v.message();
                while (type.next()) {
                    if (type.field() == 1) { // tensor_type
                        ProtoReader tt = type.message();
                        while (tt.next()) {
                            if (tt.field() == 2) { // shape
                                ProtoReader sh = tt.message();
                                while (sh.next()) {
                                    if (sh.field() == 1) {
                                        ProtoReader dim = sh.message();
                                        long value = -1;
                                        while (dim.next()) {
                                            if (dim.field() == 1) {
                                                value = dim.readVarint();
                                            } else {
                                                dim.skip();
                                            }
                                        }
                                        shape.add(value);
                                    } else {
                                        sh.skip();
                                    }
                                }
                            } else {
                                tt.skip();
                            }
                        }
                    } else {
                        type.skip();
                    }
                }
            } else {
                v.skip();
            }
        }
        return new ValueInfo(name, shape.stream().mapToLong(Long::longValue).toArray());
    }
}
