package dev.xssab.executor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/** The sliding-window operators (Conv, MaxPool, AveragePool) and Pad, with ONNX's padding rules. */
final class WindowOps {
    private WindowOps() {}

    /**
     * A window op's input with ONNX pads [top, left, bottom, right] applied. Symmetric pads go to
     * the op itself; asymmetric ones (e.g. TF-style exports) are padded explicitly with {@code fill},
     * and the op then runs unpadded on that copy, closed once the op has run.
     */
    private record Padded(NDArray original, NDArray input, Shape padding) {
        static Padded of(NDArray x, long[] p, double fill) {
            if (p[0] == p[2] && p[1] == p[3]) {
                return new Padded(x, x, new Shape(p[0], p[1]));
            }
            return new Padded(x, x.pad(new Shape(p[1], p[3], p[0], p[2]), fill), new Shape(0, 0));
        }

        NDArray release(NDArray out) {
            if (input != original) {
                input.close();
            }
            return out;
        }
    }

    static Op conv(OpGraph.Node node, GraphConstants constants) {
        long[] strides = node.intsAttr("strides", new long[] {1, 1});
        long[] dilations = node.intsAttr("dilations", new long[] {1, 1});
        long[] pads = node.intsAttr("pads", new long[] {0, 0, 0, 0});
        long[] kernel = node.intsAttr("kernel_shape", null);
        int group = (int) node.intAttr("group", 1);
        String autoPad = node.stringAttr("auto_pad", "NOTSET");
        NDArray weight = constants.constant(node, 1);
        if (weight.getShape().dimension() != 4) {
            throw new UnsupportedOpException("only 2-D convolutions are supported, in " + node.describe());
        }
        long[] k = kernel != null ? kernel : new long[] {weight.getShape().get(2), weight.getShape().get(3)};
        NDArray bias = node.inputs().size() > 2 && !node.inputs().get(2).isEmpty() ? constants.constant(node, 2) : null;
        Shape stride = new Shape(strides);
        Shape dilation = new Shape(dilations);
        return in -> {
            Padded x = Padded.of(in[0], resolvePads(autoPad, pads, in[0].getShape(), k, strides, dilations), 0);
            return x.release(Conv2d.conv2d(x.input(), weight, bias, stride, x.padding(), dilation, group).singletonOrThrow());
        };
    }

    /** ONNX pads [top, left, bottom, right], resolving auto_pad against the actual input. */
    private static long[] resolvePads(String autoPad, long[] pads, Shape input, long[] kernel, long[] strides,
            long[] dilations) {
        switch (autoPad) {
            case "NOTSET":
                return pads;
            case "VALID":
                return new long[] {0, 0, 0, 0};
            case "SAME_UPPER":
            case "SAME_LOWER": {
                long[] out = new long[4];
                for (int d = 0; d < 2; d++) {
                    long size = input.get(2 + d);
                    long outSize = (size + strides[d] - 1) / strides[d];
                    long effK = (kernel[d] - 1) * dilations[d] + 1;
                    long total = Math.max(0, (outSize - 1) * strides[d] + effK - size);
                    long small = total / 2;
                    long big = total - small;
                    out[d] = "SAME_UPPER".equals(autoPad) ? small : big;
                    out[d + 2] = "SAME_UPPER".equals(autoPad) ? big : small;
                }
                return out;
            }
            default:
                throw new UnsupportedOpException("unsupported auto_pad " + autoPad);
        }
    }

    static Op pool(OpGraph.Node node) {
        boolean max = "MaxPool".equals(node.opType());
        long[] kernel = node.intsAttr("kernel_shape", null);
        if (kernel == null || kernel.length != 2) {
            throw new UnsupportedOpException("only 2-D pooling with kernel_shape is supported, in " + node.describe());
        }
        long[] strides = node.intsAttr("strides", new long[] {1, 1});
        long[] pads = node.intsAttr("pads", new long[] {0, 0, 0, 0});
        long[] dilations = node.intsAttr("dilations", new long[] {1, 1});
        if (dilations[0] != 1 || dilations[1] != 1) {
            throw new UnsupportedOpException("dilated pooling is not supported, in " + node.describe());
        }
        boolean ceil = node.intAttr("ceil_mode", 0) != 0;
        boolean countIncludePad = node.intAttr("count_include_pad", 0) != 0;
        String autoPad = node.stringAttr("auto_pad", "NOTSET");
        Shape k = new Shape(kernel);
        Shape stride = new Shape(strides);
        if (!max && !countIncludePad && (pads[0] != pads[2] || pads[1] != pads[3])) {
            throw new UnsupportedOpException("asymmetric AveragePool padding without count_include_pad is not supported, in "
                    + node.describe());
        }
        return in -> {
            Padded x = Padded.of(in[0], resolvePads(autoPad, pads, in[0].getShape(), kernel, strides, dilations),
                    max ? Double.NEGATIVE_INFINITY : 0);
            return x.release(max ? Pool.maxPool2d(x.input(), k, stride, x.padding(), ceil)
                    : Pool.avgPool2d(x.input(), k, stride, x.padding(), ceil, countIncludePad));
        };
    }

    /** Constant-mode Pad with constant pads (ONNX order: all begins, then all ends). */
    static Op pad(OpGraph.Node node, GraphConstants constants) {
        String mode = node.stringAttr("mode", "constant");
        if (!"constant".equals(mode)) {
            throw new UnsupportedOpException("only constant Pad is supported, not '" + mode + "', in " + node.describe());
        }
        long[] pads = constants.integerConstant(node, 1);
        float value = 0;
        if (node.inputs().size() > 2 && !node.inputs().get(2).isEmpty()) {
            NDArray v = constants.constant(node, 2);
            value = v.toType(DataType.FLOAT32, false).toFloatArray()[0];
        }
        int rank = pads.length / 2;
        // PyTorch's pad lists (begin, end) from the last axis backwards.
        long[] torchOrder = new long[pads.length];
        for (int d = 0; d < rank; d++) {
            int axis = rank - 1 - d;
            torchOrder[2 * d] = pads[axis];
            torchOrder[2 * d + 1] = pads[axis + rank];
        }
        Shape padding = new Shape(torchOrder);
        float fill = value;
        return in -> in[0].pad(padding, fill);
    }
}
