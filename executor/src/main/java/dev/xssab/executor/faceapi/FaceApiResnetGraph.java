package dev.xssab.executor.faceapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xssab.executor.ModelFormatException;
import dev.xssab.executor.OpGraph;
import dev.xssab.executor.OpGraph.Attribute;
import dev.xssab.executor.OpGraph.Node;
import dev.xssab.executor.OpGraph.Tensor;
import dev.xssab.executor.tfjs.TfjsWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * face-api's face recognition network (a dlib-style ResNet-34 variant, 150x150 RGB to 128-d),
 * built as ONNX nodes from its TF.js weights manifest, so that the executor runs it like any
 * other model. face-api ships weights only; the architecture is its {@code faceRecognitionNet}:
 *
 * <pre>
 *   conv 7x7/2 valid + scale + relu, maxpool 3x3/2 valid                    (32 ch)
 *   residual x3 | down + residual x3 | down + residual x2 | down + residual x2 | down   (32, 64, 128, 256, 256)
 *   mean over H and W, then fc 256x128 without bias
 * </pre>
 *
 * A residual block is conv3x3 same + scale + relu, conv3x3 same + scale, add the input, relu. A
 * down block's first conv is 3x3/2 valid; its shortcut is avgpool 2x2/2 valid with zero channels
 * appended when the width doubles; where the conv branch comes out one row and column smaller
 * than the shortcut (the last two down blocks at 150 px), face-api appends a zero row at the
 * bottom and a zero column at the right. Every "conv + bias, then scale * x + shift" is folded
 * into one convolution here. The input normalisation ((x - mean RGB) / 255) is the spec's.
 */
public final class FaceApiResnetGraph {
    /** face-api's fixed input side. */
    public static final int INPUT_SIZE = 150;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT = "input";

    private final Map<String, Tensor> weights;
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private int serial;

    private FaceApiResnetGraph(Map<String, Tensor> weights) {
        this.weights = weights;
    }

    /** Reads the weights manifest (its .bin beside it) and builds the graph. */
    public static OpGraph read(Path manifest) throws IOException {
        Map<String, Tensor> weights = TfjsWeights.read(JSON.readTree(manifest.toFile()), manifest.toAbsolutePath().getParent());
        return new FaceApiResnetGraph(weights).build();
    }

    private OpGraph build() {
        int size = INPUT_SIZE;
        String x = conv(INPUT, "conv32_down", 2, false, true);
        size = (size - 7) / 2 + 1;
        x = emit("MaxPool", List.of(x), Map.of("kernel_shape", Attribute.ints("kernel_shape", 3, 3), "strides", Attribute.ints("strides", 2, 2)));
        size = (size - 3) / 2 + 1;
        int channels = 32;
        for (String block : List.of("conv32_1", "conv32_2", "conv32_3")) {
            x = residual(x, block);
        }
        int[] widths = {64, 128, 256, 256};
        String[][] blocks = {{"conv64_1", "conv64_2", "conv64_3"}, {"conv128_1", "conv128_2"}, {"conv256_1", "conv256_2"}, {}};
        String[] downs = {"conv64_down", "conv128_down", "conv256_down", "conv256_down_out"};
        for (int stage = 0; stage < downs.length; stage++) {
            int convSize = (size - 3) / 2 + 1;
            int poolSize = (size - 2) / 2 + 1;
            x = residualDown(x, downs[stage], channels, widths[stage], convSize, poolSize);
            size = poolSize;
            channels = widths[stage];
            for (String block : blocks[stage]) {
                x = residual(x, block);
            }
        }
        x = emit("GlobalAveragePool", List.of(x), Map.of());
        x = emit("Flatten", List.of(x), Map.of("axis", new Attribute("axis", 0, 1, null, null, null, null)));
        x = emit("MatMul", List.of(x, keep("fc", weight("fc"))), Map.of());
        return new OpGraph(nodes, initializers, List.of(new OpGraph.ValueInfo(INPUT, new long[] {-1, 3, INPUT_SIZE,
            INPUT_SIZE})), List.of(new OpGraph.ValueInfo(x, new long[] {-1, 128})), 13);
    }

    private String residual(String x, String block) {
        String out = conv(x, block + "/conv1", 1, true, true);
        out = conv(out, block + "/conv2", 1, true, false);
        out = emit("Add", List.of(out, x), Map.of());
        return emit("Relu", List.of(out), Map.of());
    }

    private String residualDown(String x, String block, int inChannels, int outChannels, int convSize, int poolSize) {
        String out = conv(x, block + "/conv1", 2, false, true);
        out = conv(out, block + "/conv2", 1, true, false);
        if (convSize != poolSize) {
            if (poolSize - convSize != 1) {
                throw new ModelFormatException("face-api ResNet: unexpected sizes " + convSize + " and " + poolSize + " in " + block);
            }
            out = emit("Pad", List.of(out, pads(block + "/pad_hw", 0, 0, 0, 0, 0, 0, 1, 1)), Map.of());
        }
        String pooled = emit("AveragePool", List.of(x), Map.of("kernel_shape", Attribute.ints("kernel_shape", 2, 2), "strides",
                Attribute.ints("strides", 2, 2)));
        if (inChannels != outChannels) {
            pooled = emit("Pad", List.of(pooled, pads(block + "/pad_c", 0, 0, 0, 0, 0, outChannels - inChannels, 0, 0)), Map.of());
        }
        out = emit("Add", List.of(pooled, out), Map.of());
        return emit("Relu", List.of(out), Map.of());
    }

    /**
     * Conv (face-api "same" or "valid"), bias and the per-channel scale folded together:
     * (conv(x, W) + b) * s + t = conv(x, W * s) + (b * s + t).
     */
    private String conv(String x, String prefix, int stride, boolean same, boolean relu) {
        Tensor filters = weight(prefix + "/conv/filters");
        float[] bias = weight(prefix + "/conv/bias").floats();
        float[] scale = weight(prefix + "/scale/weights").floats();
        float[] shift = weight(prefix + "/scale/biases").floats();
        Tensor folded = TfjsWeights.toOihw(filters, false, prefix + "/folded_w");
        int out = (int) folded.dims()[0];
        float[] oihw = folded.floats();
        int perOutput = oihw.length / out;
        for (int k = 0; k < oihw.length; k++) {
            oihw[k] *= scale[k / perOutput];
        }
        float[] b = new float[out];
        for (int o = 0; o < out; o++) {
            b[o] = bias[o] * scale[o] + shift[o];
        }
        String wName = keep(prefix + "/folded_w", folded);
        String bName = keep(prefix + "/folded_b", new Tensor(prefix + "/folded_b", new long[] {out}, 1, b, null));
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        attrs.put("strides", Attribute.ints("strides", stride, stride));
        if (same) {
            attrs.put("auto_pad", new Attribute("auto_pad", 0, 0, "SAME_UPPER", null, null, null));
        } else {
            attrs.put("pads", Attribute.ints("pads", 0, 0, 0, 0));
        }
        String y = emit("Conv", List.of(x, wName, bName), attrs);
        return relu ? emit("Relu", List.of(y), Map.of()) : y;
    }

    private Tensor weight(String name) {
        Tensor t = weights.get(name);
        if (t == null || t.floats() == null) {
            throw new ModelFormatException("face-api weights manifest has no float weight '" + name + "': not face-api's"
                    + " face_recognition_model?");
        }
        return t;
    }

    private String keep(String name, Tensor t) {
        initializers.put(name, new Tensor(name, t.dims(), t.dataType(), t.floats(), t.longs()));
        return name;
    }

    private String pads(String name, long... values) {
        initializers.put(name, new Tensor(name, new long[] {values.length}, 7, null, values));
        return name;
    }

    private String emit(String op, List<String> inputs, Map<String, Attribute> attrs) {
        String out = op.toLowerCase(java.util.Locale.ROOT) + "_" + serial++;
        nodes.add(new Node(out, op, "", inputs, List.of(out), attrs));
        return out;
    }

}
