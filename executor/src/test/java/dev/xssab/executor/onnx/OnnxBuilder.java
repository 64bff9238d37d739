package dev.xssab.executor.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes small ONNX models (protobuf wire format) for executor tests. */
public final class OnnxBuilder {
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();

    /** Protobuf message under construction. */
    public static final class Msg {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Msg varint(int field, long v) {
            tag(field, 0);
            raw(v);
            return this;
        }

        Msg fixed32(int field, float f) {
            tag(field, 5);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(f).array());
            return this;
        }

        Msg bytes(int field, byte[] b) {
            tag(field, 2);
            raw(b.length);
            out.writeBytes(b);
            return this;
        }

        Msg string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Msg message(int field, Msg m) {
            return bytes(field, m.toBytes());
        }

        private void tag(int field, int wire) {
            raw(((long) field << 3) | wire);
        }

        private void raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    public static Msg intAttr(String name, long v) {
        return new Msg().string(1, name).varint(3, v).varint(20, 2);
    }

    public static Msg floatAttr(String name, float v) {
        return new Msg().string(1, name).fixed32(2, v).varint(20, 1);
    }

    public static Msg intsAttr(String name, long... v) {
        Msg m = new Msg().string(1, name);
        for (long x : v) {
            m.varint(8, x);
        }
        return m.varint(20, 7);
    }

    public OnnxBuilder node(String name, String op, List<String> in, List<String> out, Msg... attrs) {
        Msg n = new Msg();
        in.forEach(i -> n.string(1, i));
        out.forEach(o -> n.string(2, o));
        n.string(3, name).string(4, op);
        for (Msg a : attrs) {
            n.message(5, a);
        }
        nodes.add(n.toBytes());
        return this;
    }

    public OnnxBuilder floats(String name, long[] dims, float... data) {
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            b.putFloat(f);
        }
        Msg t = new Msg();
        for (long d : dims) {
            t.varint(1, d);
        }
        initializers.add(t.varint(2, 1).string(8, name).bytes(9, b.array()).toBytes());
        return this;
    }

    public OnnxBuilder longs(String name, long... data) {
        ByteBuffer b = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : data) {
            b.putLong(v);
        }
        initializers.add(new Msg().varint(1, data.length).varint(2, 7).string(8, name).bytes(9, b.array()).toBytes());
        return this;
    }

    /** A float tensor value; a dim of -1 is written as the symbolic "N". */
    private static byte[] valueInfo(String name, long... dims) {
        Msg shape = new Msg();
        for (long d : dims) {
            shape.message(1, d < 0 ? new Msg().string(2, "N") : new Msg().varint(1, d));
        }
        Msg tensor = new Msg().varint(1, 1).message(2, shape);
        return new Msg().string(1, name).message(2, new Msg().message(1, tensor)).toBytes();
    }

    public OnnxBuilder input(String name, long... dims) {
        inputs.add(valueInfo(name, dims));
        return this;
    }

    public OnnxBuilder output(String name, long... dims) {
        outputs.add(valueInfo(name, dims));
        return this;
    }

    public byte[] build() {
        Msg graph = new Msg();
        nodes.forEach(n -> graph.bytes(1, n));
        graph.string(2, "test");
        initializers.forEach(t -> graph.bytes(5, t));
        inputs.forEach(i -> graph.bytes(11, i));
        outputs.forEach(o -> graph.bytes(12, o));
        return new Msg().varint(1, 7).string(2, "xssab-test").message(7, graph)
                .message(8, new Msg().string(1, "").varint(2, 13)).toBytes();
    }
}
