package dev.xssab.explainer.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs an ONNX graph node by node on DJL NDArrays, so that autograd sees every operation.
 *
 * <p>ONNX is also the executor's intermediate form for the other front ends: a TF.js graph model
 * ({@code tfjs.TfjsGraphLowering}) and face-api's ResNet ({@code faceapi.FaceApiResnetGraph}) are
 * lowered to ONNX nodes over NCHW tensors and run by this same core.
 *
 * <p>Everything that can be decided once is decided at load time: unsupported operators fail
 * here (naming the op and the node), constants become NDArrays in this executor's own manager,
 * BatchNormalization folds to a scale and shift, and each node becomes a compiled {@link Step}.
 * {@link #forward} then only runs steps. Intermediates are closed right after their last use;
 * the output and anything autograd needs stay alive through PyTorch's own references.
 *
 * <p>The batch dimension is generalised: an export traced at batch 1 runs at any batch size. A
 * Reshape whose constant target starts with the traced batch gets the actual batch instead.
 *
 * <p>Thread-safe for concurrent {@code forward} calls: steps and constants are read-only.
 */
public final class DjlOnnxExecutor implements AutoCloseable {
    /** The operators implemented, each in {@link #compile}. */
    public static final Set<String> SUPPORTED_OPS = Set.of("Conv", "PRelu", "Relu", "LeakyRelu", "Sigmoid", "Add",
            "Mul", "Sub", "Div", "Max", "Min", "Pad", "Reshape", "Flatten", "Gemm", "MatMul", "BatchNormalization", "MaxPool",
            "AveragePool", "GlobalAveragePool", "Concat", "Transpose", "Identity", "Dropout", "Constant");

    private final NDManager constantsManager;
    private final Map<String, NDArray> constants = new HashMap<>();
    private final Map<String, long[]> integerConstants = new HashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final String inputName;
    private final String outputName;
    private final long[] inputShape;
    private final DataType dataType;
    /** Values that may be closed after step i (not constants, input or output). */
    private final List<List<String>> releaseAfter = new ArrayList<>();

    /** One compiled node: reads its inputs from the value map, writes its outputs. */
    @FunctionalInterface
    private interface Op {
        NDArray apply(NDArray[] in);

        /** The form to run when autograd records (its backward may be cheaper). Default: the same. */
        default NDArray applyDifferentiable(NDArray[] in) {
            return apply(in);
        }
    }

    private record Step(OnnxModelProto.Node node, Op op) {}

    private DjlOnnxExecutor(OnnxModelProto proto, NDManager parent, DataType dataType) {
        this.dataType = dataType;
        this.constantsManager = parent.newSubManager();
        try {
            if (proto.inputs().size() != 1 || proto.outputs().isEmpty()) {
                throw new UnsupportedOnnxOpException("the graph must have exactly one input and at least one output; it has "
                        + proto.inputs().size() + " inputs and " + proto.outputs().size() + " outputs");
            }
            inputName = proto.inputs().get(0).name();
            inputShape = proto.inputs().get(0).shape();
            outputName = proto.outputs().get(0).name();
            proto.initializers().values().forEach(this::addConstant);
            for (OnnxModelProto.Node node : proto.nodes()) {
                if (!node.domain().isEmpty() && !"ai.onnx".equals(node.domain())) {
                    throw new UnsupportedOnnxOpException("unsupported ONNX op '" + node.opType() + "' of domain '"
                            + node.domain() + "' in " + node.describe());
                }
                if (!SUPPORTED_OPS.contains(node.opType())) {
                    throw new UnsupportedOnnxOpException("unsupported ONNX op '" + node.opType() + "' in "
                            + node.describe() + "; supported: " + String.join(", ", new java.util.TreeSet<>(SUPPORTED_OPS)));
                }
                if ("Constant".equals(node.opType())) {
                    OnnxModelProto.Attribute value = node.attr("value");
                    if (value == null || value.t() == null) {
                        throw new UnsupportedOnnxOpException("only tensor-valued Constant is supported, in " + node.describe());
                    }
                    OnnxModelProto.Tensor t = value.t();
                    addConstant(new OnnxModelProto.Tensor(node.outputs().get(0), t.dims(), t.dataType(), t.floats(), t.longs()));
                    continue;
                }
                steps.add(new Step(node, compile(node)));
            }
            planReleases();
        } catch (RuntimeException e) {
            constantsManager.close();
            throw e;
        }
    }

    /**
     * Reads and compiles an ONNX file.
     *
     * @param parent the manager that owns the executor's constants (closed with {@link #close})
     * @param dataType FLOAT32 for serving, FLOAT64 for numerically exact gradient checks
     * @throws UnsupportedOnnxOpException naming the first unsupported op and its node
     */
    public static DjlOnnxExecutor load(Path onnxFile, NDManager parent, DataType dataType) throws IOException {
        return new DjlOnnxExecutor(OnnxModelProto.read(onnxFile), parent, dataType);
    }

    public static DjlOnnxExecutor load(OnnxModelProto proto, NDManager parent, DataType dataType) {
        return new DjlOnnxExecutor(proto, parent, dataType);
    }

    /**
     * Runs the graph. The result, and every intermediate that survives, is attached to the
     * input's manager, so closing that manager frees everything this call allocated.
     */
    public NDArray forward(NDArray input) {
        NDManager scope = input.getManager();
        boolean differentiable = input.hasGradient();
        Map<String, NDArray> values = new HashMap<>();
        values.put(inputName, input.getDataType() == dataType ? input : input.toType(dataType, false));
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            List<String> names = step.node().inputs();
            NDArray[] args = new NDArray[names.size()];
            for (int k = 0; k < args.length; k++) {
                String name = names.get(k);
                if (name.isEmpty()) {
                    continue; // omitted optional input
                }
                NDArray v = values.get(name);
                args[k] = v != null ? v : constants.get(name);
            }
            NDArray out;
            try {
                out = differentiable ? step.op().applyDifferentiable(args) : step.op().apply(args);
            } catch (RuntimeException e) {
                throw new IllegalStateException("ONNX " + step.node().describe() + " failed: " + e.getMessage(), e);
            }
            if (out.getManager() != scope) {
                out.attach(scope);
            }
            values.put(step.node().outputs().get(0), out);
            for (String dead : releaseAfter.get(i)) {
                NDArray v = values.remove(dead);
                if (v != null && v != input) {
                    v.close();
                }
            }
        }
        NDArray result = values.get(outputName);
        if (result == null) {
            result = constants.get(outputName);
        }
        return result;
    }

    private void addConstant(OnnxModelProto.Tensor t) {
        Shape shape = new Shape(t.dims());
        if (t.isInteger()) {
            integerConstants.put(t.name(), t.longs());
            constants.put(t.name(), constantsManager.create(t.longs(), shape));
        } else {
            NDArray a = constantsManager.create(t.floats(), shape);
            if (dataType != DataType.FLOAT32) {
                NDArray converted = a.toType(dataType, false);
                a.close();
                a = converted;
            }
            constants.put(t.name(), a);
        }
    }

    private NDArray constant(OnnxModelProto.Node node, int index) {
        NDArray c = constants.get(node.inputs().get(index));
        if (c == null) {
            throw new UnsupportedOnnxOpException("input " + index + " of " + node.describe()
                    + " must be a constant (initializer) for this executor");
        }
        return c;
    }

    private long[] integerConstant(OnnxModelProto.Node node, int index) {
        long[] c = integerConstants.get(node.inputs().get(index));
        if (c == null) {
            throw new UnsupportedOnnxOpException("input " + index + " of " + node.describe()
                    + " must be an integer constant; shapes computed at run time are not supported");
        }
        return c;
    }

    private Op compile(OnnxModelProto.Node node) {
        switch (node.opType()) {
            case "Conv":
                return compileConv(node);
            case "PRelu":
                return new PRelu();
            case "Relu":
                return in -> in[0].maximum(0);
            case "LeakyRelu": {
                float alpha = node.floatAttr("alpha", 0.01f);
                return in -> in[0].maximum(0).add(in[0].minimum(0).mul(alpha));
            }
            case "Sigmoid":
                return in -> in[0].neg().exp().add(1).pow(-1);
            // An op's result belongs to its first operand's manager. With a constant first, the
            // result would land in the constants' manager and outlive the call, so every
            // expression below keeps a per-call array in front.
            case "Add":
                return in -> isConstant(in[0]) ? in[1].add(in[0]) : in[0].add(in[1]);
            case "Mul":
                return in -> isConstant(in[0]) ? in[1].mul(in[0]) : in[0].mul(in[1]);
            case "Sub":
                return in -> isConstant(in[0]) ? in[1].neg().add(in[0]) : in[0].sub(in[1]);
            case "Div":
                return in -> isConstant(in[0]) ? in[1].pow(-1).mul(in[0]) : in[0].div(in[1]);
            case "Max":
                return in -> isConstant(in[0]) ? in[1].maximum(in[0]) : in[0].maximum(in[1]);
            case "Min":
                return in -> isConstant(in[0]) ? in[1].minimum(in[0]) : in[0].minimum(in[1]);
            case "Pad":
                return compilePad(node);
            case "Identity":
            case "Dropout":
                return in -> in[0].duplicate();
            case "Reshape":
                return compileReshape(node);
            case "Flatten": {
                int axis = (int) node.intAttr("axis", 1);
                return in -> {
                    Shape s = in[0].getShape();
                    int a = axis < 0 ? axis + s.dimension() : axis;
                    long outer = 1;
                    for (int d = 0; d < a; d++) {
                        outer *= s.get(d);
                    }
                    return in[0].reshape(outer, -1);
                };
            }
            case "Gemm":
                return compileGemm(node);
            case "MatMul":
                return in -> {
                    if (isConstant(in[0])) {
                        // (C x)^T = x^T C^T keeps the per-call array first.
                        int r = in[1].getShape().dimension();
                        return in[1].swapAxes(r - 1, r - 2).matMul(in[0].swapAxes(-1, -2)).swapAxes(r - 1, r - 2);
                    }
                    return in[0].matMul(in[1]);
                };
            case "BatchNormalization":
                return compileBatchNorm(node);
            case "MaxPool":
            case "AveragePool":
                return compilePool(node);
            case "GlobalAveragePool":
                // DJL's PyTorch mean over two axes fails; flatten H*W and take one mean.
                return in -> {
                    Shape s = in[0].getShape();
                    return in[0].reshape(s.get(0), s.get(1), -1).mean(new int[] {2}, true).reshape(s.get(0), s.get(1), 1, 1);
                };
            case "Concat": {
                int axis = (int) node.intAttr("axis", 0);
                return in -> NDArrays.concat(new NDList(in), axis);
            }
            case "Transpose": {
                long[] perm = node.intsAttr("perm", null);
                return in -> {
                    int[] p;
                    if (perm == null) {
                        p = new int[in[0].getShape().dimension()];
                        for (int d = 0; d < p.length; d++) {
                            p[d] = p.length - 1 - d;
                        }
                    } else {
                        p = Arrays.stream(perm).mapToInt(x -> (int) x).toArray();
                    }
                    return in[0].transpose(p);
                };
            }
            default:
                throw new UnsupportedOnnxOpException("unsupported ONNX op '" + node.opType() + "' in " + node.describe());
        }
    }

    /**
     * DJL's PyTorch engine has no prelu, so it is composed of elementwise ops, in two forms
     * measured on fr_feature (2 cores): without gradients max(x,0) + slope*min(x,0) is the
     * fastest; with gradients x * where(x > 0, 1, slope) is, because the factor is a constant to
     * autograd and the backward is a single multiplication (explanations about 1.5x faster).
     */
    private static final class PRelu implements Op {
        @Override
        public NDArray apply(NDArray[] in) {
            return in[0].maximum(0).add(in[0].minimum(0).mul(in[1]));
        }

        @Override
        public NDArray applyDifferentiable(NDArray[] in) {
            try (NDArray positive = in[0].gt(0); NDArray ones = in[0].onesLike()) {
                return in[0].mul(NDArrays.where(positive, ones, in[1]));
            }
        }
    }

    private Op compileConv(OnnxModelProto.Node node) {
        long[] strides = node.intsAttr("strides", new long[] {1, 1});
        long[] dilations = node.intsAttr("dilations", new long[] {1, 1});
        long[] pads = node.intsAttr("pads", new long[] {0, 0, 0, 0});
        long[] kernel = node.intsAttr("kernel_shape", null);
        int group = (int) node.intAttr("group", 1);
        String autoPad = node.stringAttr("auto_pad", "NOTSET");
        NDArray weight = constant(node, 1);
        if (weight.getShape().dimension() != 4) {
            throw new UnsupportedOnnxOpException("only 2-D convolutions are supported, in " + node.describe());
        }
        long[] k = kernel != null ? kernel : new long[] {weight.getShape().get(2), weight.getShape().get(3)};
        NDArray bias = node.inputs().size() > 2 && !node.inputs().get(2).isEmpty() ? constant(node, 2) : null;
        Shape stride = new Shape(strides);
        Shape dilation = new Shape(dilations);
        return in -> {
            long[] p = resolvePads(autoPad, pads, in[0].getShape(), k, strides, dilations);
            NDArray x = in[0];
            Shape padding;
            if (p[0] == p[2] && p[1] == p[3]) {
                padding = new Shape(p[0], p[1]);
            } else {
                // Asymmetric padding (e.g. TF-style exports): pad explicitly, then convolve unpadded.
                x = x.pad(new Shape(p[1], p[3], p[0], p[2]), 0);
                padding = new Shape(0, 0);
            }
            NDArray out = Conv2d.conv2d(x, weight, bias, stride, padding, dilation, group).singletonOrThrow();
            if (x != in[0]) {
                x.close();
            }
            return out;
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
                throw new UnsupportedOnnxOpException("unsupported auto_pad " + autoPad);
        }
    }

    /** Constant-mode Pad with constant pads (ONNX order: all begins, then all ends). */
    private Op compilePad(OnnxModelProto.Node node) {
        String mode = node.stringAttr("mode", "constant");
        if (!"constant".equals(mode)) {
            throw new UnsupportedOnnxOpException("only constant Pad is supported, not '" + mode + "', in " + node.describe());
        }
        long[] pads = integerConstant(node, 1);
        float value = 0;
        if (node.inputs().size() > 2 && !node.inputs().get(2).isEmpty()) {
            NDArray v = constant(node, 2);
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

    private Op compileReshape(OnnxModelProto.Node node) {
        long[] target = integerConstant(node, 1);
        boolean allowZero = node.intAttr("allowzero", 0) != 0;
        long tracedBatch = inputShape.length > 0 ? inputShape[0] : -1;
        return in -> {
            Shape s = in[0].getShape();
            long[] shape = target.clone();
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] == 0 && !allowZero) {
                    shape[d] = s.get(d);
                }
            }
            // Generalise the batch: a traced "1" (or the traced batch) in front becomes the actual batch.
            if (shape.length > 0 && tracedBatch > 0 && shape[0] == tracedBatch && s.get(0) != tracedBatch) {
                shape[0] = s.get(0);
            }
            return in[0].reshape(shape);
        };
    }

    private Op compileGemm(OnnxModelProto.Node node) {
        float alpha = node.floatAttr("alpha", 1f);
        float beta = node.floatAttr("beta", 1f);
        boolean transA = node.intAttr("transA", 0) != 0;
        boolean transB = node.intAttr("transB", 0) != 0;
        boolean hasC = node.inputs().size() > 2 && !node.inputs().get(2).isEmpty();
        if (isConstant(constants.get(node.inputs().get(0)))) {
            throw new UnsupportedOnnxOpException("Gemm with a constant first operand is not supported, in " + node.describe());
        }
        // Constant B and C are prepared once: transposed and scaled into the constants' manager.
        NDArray constB = constants.get(node.inputs().get(1));
        NDArray preparedB = constB == null ? null : keep(transB ? constB.transpose() : constB);
        NDArray constC = hasC ? constants.get(node.inputs().get(2)) : null;
        NDArray preparedC = constC == null ? null : keep(beta == 1f ? constC : constC.mul(beta));
        return in -> {
            NDArray a = transA ? in[0].transpose() : in[0];
            NDArray b = preparedB != null ? preparedB : transB ? in[1].transpose() : in[1];
            NDArray y = a.matMul(b);
            if (alpha != 1f) {
                y = y.mul(alpha);
            }
            if (hasC) {
                y = y.add(preparedC != null ? preparedC : in[2].mul(beta));
            }
            return y;
        };
    }

    private Op compileBatchNorm(OnnxModelProto.Node node) {
        float eps = node.floatAttr("epsilon", 1e-5f);
        NDArray scale = constant(node, 1);
        NDArray bias = constant(node, 2);
        NDArray mean = constant(node, 3);
        NDArray var = constant(node, 4);
        // Inference-mode BN is a per-channel affine map: fold it once.
        NDArray mul = scale.div(var.add(eps).sqrt());
        NDArray add = bias.sub(mean.mul(mul));
        long c = mul.getShape().get(0);
        NDArray mul4 = mul.reshape(c, 1, 1);
        NDArray add4 = add.reshape(c, 1, 1);
        keep(mul4);
        keep(add4);
        NDArray mul2 = keep(mul.reshape(c));
        NDArray add2 = keep(add.reshape(c));
        return in -> {
            int extra = in[0].getShape().dimension() - 2;
            if (extra == 2) {
                return in[0].mul(mul4).add(add4);
            }
            if (extra == 0) {
                return in[0].mul(mul2).add(add2);
            }
            throw new UnsupportedOnnxOpException("BatchNormalization on " + (extra + 2) + "-D input is not supported");
        };
    }

    private boolean isConstant(NDArray a) {
        return a != null && a.getManager() == constantsManager;
    }

    /** Keeps a load-time derived array with the constants. */
    private NDArray keep(NDArray a) {
        a.attach(constantsManager);
        return a;
    }

    private Op compilePool(OnnxModelProto.Node node) {
        boolean max = "MaxPool".equals(node.opType());
        long[] kernel = node.intsAttr("kernel_shape", null);
        if (kernel == null || kernel.length != 2) {
            throw new UnsupportedOnnxOpException("only 2-D pooling with kernel_shape is supported, in " + node.describe());
        }
        long[] strides = node.intsAttr("strides", new long[] {1, 1});
        long[] pads = node.intsAttr("pads", new long[] {0, 0, 0, 0});
        long[] dilations = node.intsAttr("dilations", new long[] {1, 1});
        if (dilations[0] != 1 || dilations[1] != 1) {
            throw new UnsupportedOnnxOpException("dilated pooling is not supported, in " + node.describe());
        }
        boolean ceil = node.intAttr("ceil_mode", 0) != 0;
        boolean countIncludePad = node.intAttr("count_include_pad", 0) != 0;
        String autoPad = node.stringAttr("auto_pad", "NOTSET");
        Shape k = new Shape(kernel);
        Shape stride = new Shape(strides);
        if (!max && !countIncludePad && (pads[0] != pads[2] || pads[1] != pads[3])) {
            throw new UnsupportedOnnxOpException("asymmetric AveragePool padding without count_include_pad is not supported, in "
                    + node.describe());
        }
        return in -> {
            long[] p = resolvePads(autoPad, pads, in[0].getShape(), kernel, strides, dilations);
            NDArray x = in[0];
            Shape padding;
            if (p[0] == p[2] && p[1] == p[3]) {
                padding = new Shape(p[0], p[1]);
            } else {
                x = x.pad(new Shape(p[1], p[3], p[0], p[2]), max ? Double.NEGATIVE_INFINITY : 0);
                padding = new Shape(0, 0);
            }
            NDArray out = max ? Pool.maxPool2d(x, k, stride, padding, ceil)
                    : Pool.avgPool2d(x, k, stride, padding, ceil, countIncludePad);
            if (x != in[0]) {
                x.close();
            }
            return out;
        };
    }

    /** Computes, per step, which values are read for the last time there. */
    private void planReleases() {
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            for (String name : steps.get(i).node().inputs()) {
                lastUse.put(name, i);
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            releaseAfter.add(new ArrayList<>());
        }
        for (int i = 0; i < steps.size(); i++) {
            for (String out : steps.get(i).node().outputs()) {
                Integer last = lastUse.get(out);
                if (!out.equals(outputName) && last != null) {
                    releaseAfter.get(last).add(out);
                }
            }
        }
    }

    @Override
    public void close() {
        constantsManager.close();
    }

    /** Operator types used by a model file, for diagnostics. */
    public static Set<String> opsOf(OnnxModelProto proto) {
        Set<String> ops = new java.util.TreeSet<>();
        proto.nodes().forEach(n -> ops.add(n.opType()));
        return ops;
    }
}
