package dev.xssab.executor.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xssab.executor.ModelFormatException;
import dev.xssab.executor.OpGraph;
import dev.xssab.executor.OpGraph.Attribute;
import dev.xssab.executor.OpGraph.Node;
import dev.xssab.executor.OpGraph.Tensor;
import dev.xssab.executor.UnsupportedOpException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lowers a TF.js graph model (model.json + .bin shards) to the ONNX form the executor runs.
 *
 * <p><b>Layout.</b> TF.js graphs are NHWC; PyTorch's convolutions are NCHW. Rather than
 * transposing around every convolution, the whole graph runs in NCHW: the input arrives as NCHW
 * (the layout {@code ModelInput} produces for every model), filters are rearranged once at load
 * (HWIO to OIHW; depthwise HWCM to (C*M)1HW with group C), per-channel constants become
 * {@code [C,1,1]}, Pad's paddings are permuted, and a 4-D value is transposed back to NHWC only
 * where its memory order matters: before a Reshape, so flattening keeps TF's element order.
 *
 * <p>Operators outside {@link #SUPPORTED_OPS} fail at load, naming the op and the node.
 */
public final class TfjsGraphLowering {
    /** The TF ops this front end lowers. */
    public static final Set<String> SUPPORTED_OPS = Set.of("Const", "Placeholder", "Identity", "Add", "AddV2", "Sub", "Mul",
            "RealDiv", "Maximum", "Minimum", "Relu", "Pad", "Conv2D", "DepthwiseConv2dNative", "_FusedConv2D",
            "FusedDepthwiseConv2dNative", "BiasAdd", "Reshape", "MatMul", "_FusedMatMul");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Tensor> weights;
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    /** Values (by ONNX name) that are 4-D activations held as NCHW while TF sees NHWC. */
    private final Set<String> nchw = new HashSet<>();
    /** TF output name to the ONNX value holding it. */
    private final Map<String, String> valueOf = new HashMap<>();
    private int serial;

    private TfjsGraphLowering(Map<String, Tensor> weights) {
        this.weights = weights;
    }

    /** Reads model.json and its shards (relative to its folder) and lowers the graph. */
    public static OpGraph read(Path modelJson) throws IOException {
        JsonNode model = JSON.readTree(modelJson.toFile());
        JsonNode topology = model.path("modelTopology");
        if (!"graph-model".equals(model.path("format").asText("graph-model")) || !topology.has("node")) {
            throw new ModelFormatException(modelJson + " is not a TF.js graph model (no modelTopology.node)");
        }
        Map<String, Tensor> weights = TfjsWeights.read(model.get("weightsManifest"), modelJson.toAbsolutePath().getParent());
        return new TfjsGraphLowering(weights).lower(topology.get("node"), model.path("signature"));
    }

    private OpGraph lower(JsonNode tfNodes, JsonNode signature) {
        List<JsonNode> list = new ArrayList<>();
        tfNodes.forEach(list::add);
        TfjsNodes.requireSupported(list, SUPPORTED_OPS);
        List<OpGraph.ValueInfo> inputs = new ArrayList<>();
        String lastOutput = null;
        // TF.js lists nodes in no guaranteed order: visit in dependency order.
        for (JsonNode n : TfjsNodes.topologicalOrder(list)) {
            String name = n.path("name").asText();
            String op = n.path("op").asText();
            if ("Placeholder".equals(op)) {
                long[] shape = TfjsNodes.shapeAttr(n);
                long[] nchwShape = shape.length == 4 ? new long[] {shape[0], shape[3], shape[1], shape[2]} : shape;
                inputs.add(new OpGraph.ValueInfo(name, nchwShape));
                valueOf.put(name, name);
                if (shape.length == 4) {
                    nchw.add(name);
                }
                continue;
            }
            if ("Const".equals(op)) {
                Tensor t = weights.get(name);
                if (t == null) {
                    throw new ModelFormatException("TF.js Const node '" + name + "' has no entry in the weights manifest");
                }
                initializers.put(name, t);
                valueOf.put(name, name);
                continue;
            }
            lowerNode(n, name, op);
            lastOutput = valueOf.get(name);
        }
        if (inputs.size() != 1) {
            throw new UnsupportedOpException("a TF.js recognition model needs exactly one Placeholder; this one has " + inputs.size());
        }
        String output = lastOutput;
        JsonNode outs = signature.path("outputs");
        if (outs.isObject() && outs.size() == 1) {
            String declared = outs.fieldNames().next().replaceAll(":\\d+$", "");
            output = valueOf.getOrDefault(declared, output);
        }
        return new OpGraph(nodes, initializers, inputs, List.of(new OpGraph.ValueInfo(output, new long[0])), 13);
    }

    private void lowerNode(JsonNode n, String name, String op) {
        List<String> in = inputsOf(n, name);
        switch (op) {
            case "Identity" -> valueOf.put(name, in.get(0));
            case "Add", "AddV2", "BiasAdd" -> binary(name, "Add", in.get(0), in.get(1));
            case "Sub" -> binary(name, "Sub", in.get(0), in.get(1));
            case "Mul" -> binary(name, "Mul", in.get(0), in.get(1));
            case "RealDiv" -> binary(name, "Div", in.get(0), in.get(1));
            case "Maximum" -> binary(name, "Max", in.get(0), in.get(1));
            case "Minimum" -> binary(name, "Min", in.get(0), in.get(1));
            case "Relu" -> emit(name, "Relu", List.of(in.get(0)), Map.of(), nchw.contains(in.get(0)));
            case "Pad" -> pad(n, name, in);
            case "Conv2D", "DepthwiseConv2dNative", "_FusedConv2D", "FusedDepthwiseConv2dNative" -> conv(n, name, op, in);
            case "Reshape" -> reshape(name, in);
            case "MatMul", "_FusedMatMul" -> matMul(n, name, op, in);
            default -> throw new UnsupportedOpException("unsupported TF.js op '" + op + "' in node '" + name + "'");
        }
    }

    /** The ONNX values a node reads, control dependencies left out. */
    private List<String> inputsOf(JsonNode n, String name) {
        List<String> in = new ArrayList<>();
        for (JsonNode i : n.path("input")) {
            String ref = i.asText();
            if (ref.startsWith("^")) {
                continue;
            }
            String v = valueOf.get(ref.replaceAll(":0$", ""));
            if (v == null) {
                throw new ModelFormatException("node '" + name + "' reads '" + ref + "', which no node produces");
            }
            in.add(v);
        }
        return in;
    }

    /** Elementwise op; a per-channel constant beside an NCHW activation becomes [C,1,1]. */
    private void binary(String name, String onnxOp, String a, String b) {
        boolean layout = nchw.contains(a) || nchw.contains(b);
        if (layout) {
            a = channelConstant(a);
            b = channelConstant(b);
        }
        emit(name, onnxOp, List.of(a, b), Map.of(), layout);
    }

    private String channelConstant(String value) {
        Tensor t = initializers.get(value);
        if (t == null || t.size() <= 1) {
            return value;
        }
        long[] d = t.dims();
        boolean perChannel = d.length == 1 || (d.length == 4 && d[0] == 1 && d[1] == 1 && d[2] == 1);
        if (!perChannel) {
            throw new UnsupportedOpException("constant '" + value + "' of shape " + java.util.Arrays.toString(d)
                    + " next to an image-shaped value: only scalars and per-channel constants are supported");
        }
        String name = value + "/nchw";
        if (!initializers.containsKey(name)) {
            initializers.put(name, new Tensor(name, new long[] {t.size(), 1, 1}, t.dataType(), t.floats(), t.longs()));
        }
        return name;
    }

    private void pad(JsonNode n, String name, List<String> in) {
        Tensor paddings = constantInput(n, in, 1);
        long[] p = paddings.longs();
        if (p == null || p.length != 8) {
            throw new UnsupportedOpException("Pad node '" + name + "' needs constant 4x2 paddings");
        }
        // TF [[n0,n1],[h0,h1],[w0,w1],[c0,c1]] (NHWC) to ONNX begins then ends, in NCHW.
        long[] pads = {p[0], p[6], p[2], p[4], p[1], p[7], p[3], p[5]};
        String padsName = name + "/pads";
        initializers.put(padsName, new Tensor(padsName, new long[] {8}, 7, null, pads));
        emit(name, "Pad", List.of(in.get(0), padsName), Map.of(), nchw.contains(in.get(0)));
    }

    private void conv(JsonNode n, String name, String op, List<String> in) {
        if (!"NHWC".equals(TfjsNodes.stringAttr(n, "data_format", "NHWC"))) {
            throw new UnsupportedOpException(op + " node '" + name + "' uses data_format " + TfjsNodes.stringAttr(n, "data_format", "")
                    + "; only NHWC is supported");
        }
        boolean depthwise = op.contains("Depthwise");
        Tensor filter = constantInput(n, in, 1);
        long[] f = filter.dims(); // HWIO, or HWCM for depthwise
        String weightName = name + "/oihw";
        initializers.put(weightName, TfjsWeights.toOihw(filter, depthwise, weightName));
        long[] strides = TfjsNodes.listInts(n, "strides", new long[] {1, 1, 1, 1});
        long[] dilations = TfjsNodes.listInts(n, "dilations", new long[] {1, 1, 1, 1});
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        attrs.put("strides", Attribute.ints("strides", strides[1], strides[2]));
        attrs.put("dilations", Attribute.ints("dilations", dilations[1], dilations[2]));
        attrs.put("group", new Attribute("group", 0, depthwise ? f[2] : 1, null, null, null, null));
        String padding = TfjsNodes.stringAttr(n, "padding", "VALID");
        switch (padding) {
            case "VALID":
                attrs.put("pads", Attribute.ints("pads", 0, 0, 0, 0));
                break;
            case "SAME":
                attrs.put("auto_pad", new Attribute("auto_pad", 0, 0, "SAME_UPPER", null, null, null));
                break;
            case "EXPLICIT": {
                long[] e = TfjsNodes.listInts(n, "explicit_paddings", null);
                attrs.put("pads", Attribute.ints("pads", e[2], e[4], e[3], e[5]));
                break;
            }
            default:
                throw new UnsupportedOpException(op + " node '" + name + "' has padding " + padding);
        }
        List<String> convIn = new ArrayList<>(List.of(in.get(0), weightName));
        List<String> fused = TfjsNodes.fusedOps(n);
        int extra = 2;
        if (!fused.isEmpty()) {
            if (!"BiasAdd".equals(fused.get(0))) {
                throw new UnsupportedOpException(op + " node '" + name + "' fuses " + fused + "; only BiasAdd first is supported");
            }
            convIn.add(in.get(extra++));
        }
        String convOut = fused.size() > 1 ? name + "/conv" : name;
        emit(convOut, "Conv", convIn, attrs, true);
        if (fused.size() > 1) {
            activation(n, name, fused.get(1), convOut, in, extra);
        }
    }

    private void activation(JsonNode n, String name, String kind, String x, List<String> in, int argIndex) {
        switch (kind) {
            case "Relu":
                emit(name, "Relu", List.of(x), Map.of(), nchw.contains(x));
                break;
            case "Prelu":
                emit(name, "PRelu", List.of(x, channelConstant(in.get(argIndex))), Map.of(), nchw.contains(x));
                break;
            default:
                throw new UnsupportedOpException("node '" + name + "' fuses activation " + kind + ", which is not supported");
        }
    }

    private void reshape(String name, List<String> in) {
        String x = in.get(0);
        if (nchw.contains(x)) {
            // Back to TF's memory order, so the flattening matches the TF.js model's weights.
            String nhwc = name + "/nhwc";
            emit(nhwc, "Transpose", List.of(x), Map.of("perm", Attribute.ints("perm", 0, 2, 3, 1)), false);
            x = valueOf.get(nhwc);
        }
        Tensor shape = initializers.get(in.get(1));
        if (shape == null || shape.longs() == null) {
            throw new UnsupportedOpException("Reshape node '" + name + "' needs a constant integer shape");
        }
        emit(name, "Reshape", List.of(x, in.get(1)), Map.of(), false);
    }

    private void matMul(JsonNode n, String name, String op, List<String> in) {
        if (TfjsNodes.boolAttr(n, "transpose_a") || TfjsNodes.boolAttr(n, "transpose_b")) {
            throw new UnsupportedOpException("MatMul node '" + name + "' transposes an operand, which is not supported");
        }
        List<String> fused = TfjsNodes.fusedOps(n);
        String out = fused.isEmpty() ? name : name + "/matmul";
        emit(out, "MatMul", List.of(in.get(0), in.get(1)), Map.of(), false);
        if (!fused.isEmpty()) {
            if (!"BiasAdd".equals(fused.get(0))) {
                throw new UnsupportedOpException(op + " node '" + name + "' fuses " + fused + "; only BiasAdd first is supported");
            }
            String biased = fused.size() > 1 ? name + "/bias" : name;
            emit(biased, "Add", List.of(out, in.get(2)), Map.of(), false);
            if (fused.size() > 1) {
                activation(n, name, fused.get(1), biased, in, 3);
            }
        }
    }

    private void emit(String name, String onnxOp, List<String> inputs, Map<String, Attribute> attrs, boolean nchwOutput) {
        String out = name + "#" + serial++;
        nodes.add(new Node(name, onnxOp, "", List.copyOf(inputs), List.of(out), attrs));
        if (nchwOutput) {
            nchw.add(out);
        }
        valueOf.put(name, out);
    }

    private Tensor constantInput(JsonNode n, List<String> in, int index) {
        Tensor t = in.size() > index ? initializers.get(in.get(index)) : null;
        if (t == null) {
            throw new UnsupportedOpException("input " + index + " of " + n.path("op").asText() + " node '"
                    + n.path("name").asText() + "' must be a constant");
        }
        return t;
    }

}
