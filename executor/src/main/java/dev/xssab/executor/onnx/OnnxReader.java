package dev.xssab.executor.onnx;

import dev.xssab.executor.ModelFormatException;

import dev.xssab.executor.UnsupportedOpException;

import dev.xssab.executor.OpGraph;
import dev.xssab.executor.OpGraph.Attribute;
import dev.xssab.executor.OpGraph.Node;
import dev.xssab.executor.OpGraph.Tensor;
import dev.xssab.executor.OpGraph.ValueInfo;

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

/** Reads an ONNX ModelProto file into an {@link OpGraph}: only the parts inference needs. */
public final class OnnxReader {
    private OnnxReader() {}

    public static OpGraph read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    public static OpGraph parse(byte[] bytes) {
        ProtoReader model = new ProtoReader(bytes, 0, bytes.length);
        OpGraph graph = null;
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
            throw new ModelFormatException("no graph in the file: not an ONNX model");
        }
        return new OpGraph(graph.nodes(), graph.initializers(), graph.inputs(), graph.outputs(), opset);
    }

    private static OpGraph parseGraph(ProtoReader g, long opset) {
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
        return new OpGraph(nodes, init, inputs, outputs, opset);
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
                        throw new UnsupportedOpException("tensor '" + name
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
            case OpGraph.FLOAT -> {
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
            case OpGraph.DOUBLE -> {
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
            case OpGraph.INT64, OpGraph.INT32 -> {
                long[] data = new long[(int) n];
                if (raw != null) {
                    ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                    for (int k = 0; k < data.length; k++) {
                        data[k] = type == OpGraph.INT64 ? bb.getLong() : bb.getInt();
                    }
                } else {
                    for (int k = 0; k < data.length; k++) {
                        data[k] = intData.get(k);
                    }
                }
                return new Tensor(name, shape, type, null, data);
            }
            default -> throw new UnsupportedOpException("tensor '" + name + "' has data type " + type
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
