package dev.xssab.executor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Set;

/** Compiles one ONNX node into an {@link Op} over DJL NDArrays, deciding at load time all that can be. */
final class OpCompiler {
    /** The operators implemented, each in {@link #compile}. */
    static final Set<String> SUPPORTED_OPS = Set.of("Conv", "PRelu", "Relu", "LeakyRelu", "Sigmoid", "Add",
            "Mul", "Sub", "Div", "Max", "Min", "Pad", "Reshape", "Flatten", "Gemm", "MatMul", "BatchNormalization", "MaxPool",
            "AveragePool", "GlobalAveragePool", "Concat", "Transpose", "Identity", "Dropout", "Constant");

    private final GraphConstants constants;
    /** The graph input's declared shape: its first dimension is the batch the export was traced at. */
    private final long[] inputShape;

    OpCompiler(GraphConstants constants, long[] inputShape) {
        this.constants = constants;
        this.inputShape = inputShape;
    }

    Op compile(OpGraph.Node node) {
        return switch (node.opType()) {
            case "Conv" -> WindowOps.conv(node, constants);
            case "MaxPool", "AveragePool" -> WindowOps.pool(node);
            case "Pad" -> WindowOps.pad(node, constants);
            case "PRelu" -> new PRelu();
            case "Relu" -> in -> in[0].maximum(0);
            case "LeakyRelu" -> leakyRelu(node.floatAttr("alpha", 0.01f));
            case "Sigmoid" -> in -> in[0].neg().exp().add(1).pow(-1);
            case "Add", "Mul", "Sub", "Div", "Max", "Min" -> binary(node.opType());
            case "Identity", "Dropout" -> in -> in[0].duplicate();
            case "Reshape" -> reshape(node);
            case "Flatten" -> flatten((int) node.intAttr("axis", 1));
            case "Gemm" -> gemm(node);
            case "MatMul" -> this::matMul;
            case "BatchNormalization" -> batchNorm(node);
            case "GlobalAveragePool" -> OpCompiler::globalAveragePool;
            case "Concat" -> concat((int) node.intAttr("axis", 0));
            case "Transpose" -> transpose(node.intsAttr("perm", null));
            default -> throw new UnsupportedOpException("unsupported ONNX op '" + node.opType() + "' in " + node.describe());
        };
    }

    private static Op leakyRelu(float alpha) {
        return in -> in[0].maximum(0).add(in[0].minimum(0).mul(alpha));
    }

    /**
     * An op's result belongs to its first operand's manager. With a constant first, the result
     * would land in the constants' manager and outlive the call, so every expression keeps a
     * per-call array in front.
     */
    private Op binary(String opType) {
        return switch (opType) {
            case "Add" -> in -> constants.isConstant(in[0]) ? in[1].add(in[0]) : in[0].add(in[1]);
            case "Mul" -> in -> constants.isConstant(in[0]) ? in[1].mul(in[0]) : in[0].mul(in[1]);
            case "Sub" -> in -> constants.isConstant(in[0]) ? in[1].neg().add(in[0]) : in[0].sub(in[1]);
            case "Div" -> in -> constants.isConstant(in[0]) ? in[1].pow(-1).mul(in[0]) : in[0].div(in[1]);
            case "Max" -> in -> constants.isConstant(in[0]) ? in[1].maximum(in[0]) : in[0].maximum(in[1]);
            case "Min" -> in -> constants.isConstant(in[0]) ? in[1].minimum(in[0]) : in[0].minimum(in[1]);
            default -> throw new IllegalArgumentException(opType);
        };
    }

    private static Op flatten(int axis) {
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

    private NDArray matMul(NDArray[] in) {
        if (constants.isConstant(in[0])) {
            // (C x)^T = x^T C^T keeps the per-call array first.
            int r = in[1].getShape().dimension();
            return in[1].swapAxes(r - 1, r - 2).matMul(in[0].swapAxes(-1, -2)).swapAxes(r - 1, r - 2);
        }
        return in[0].matMul(in[1]);
    }

    /** DJL's PyTorch mean over two axes fails; flatten H*W and take one mean. */
    private static NDArray globalAveragePool(NDArray[] in) {
        Shape s = in[0].getShape();
        return in[0].reshape(s.get(0), s.get(1), -1).mean(new int[] {2}, true).reshape(s.get(0), s.get(1), 1, 1);
    }

    private static Op concat(int axis) {
        return in -> NDArrays.concat(new NDList(in), axis);
    }

    private static Op transpose(long[] perm) {
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

    private Op reshape(OpGraph.Node node) {
        long[] target = constants.integerConstant(node, 1);
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

    private Op gemm(OpGraph.Node node) {
        float alpha = node.floatAttr("alpha", 1f);
        float beta = node.floatAttr("beta", 1f);
        boolean transA = node.intAttr("transA", 0) != 0;
        boolean transB = node.intAttr("transB", 0) != 0;
        boolean hasC = node.inputs().size() > 2 && !node.inputs().get(2).isEmpty();
        if (constants.isConstant(constants.get(node.inputs().get(0)))) {
            throw new UnsupportedOpException("Gemm with a constant first operand is not supported, in " + node.describe());
        }
        // Constant B and C are prepared once: transposed and scaled into the constants' manager.
        NDArray constB = constants.get(node.inputs().get(1));
        NDArray preparedB = constB == null ? null : constants.keep(transB ? constB.transpose() : constB);
        NDArray constC = hasC ? constants.get(node.inputs().get(2)) : null;
        NDArray preparedC = constC == null ? null : constants.keep(beta == 1f ? constC : constC.mul(beta));
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

    private Op batchNorm(OpGraph.Node node) {
        float eps = node.floatAttr("epsilon", 1e-5f);
        NDArray scale = constants.constant(node, 1);
        NDArray bias = constants.constant(node, 2);
        NDArray mean = constants.constant(node, 3);
        NDArray var = constants.constant(node, 4);
        // Inference-mode BN is a per-channel affine map: fold it once.
        NDArray mul = scale.div(var.add(eps).sqrt());
        NDArray add = bias.sub(mean.mul(mul));
        long c = mul.getShape().get(0);
        NDArray mul4 = mul.reshape(c, 1, 1);
        NDArray add4 = add.reshape(c, 1, 1);
        constants.keep(mul4);
        constants.keep(add4);
        NDArray mul2 = constants.keep(mul.reshape(c));
        NDArray add2 = constants.keep(add.reshape(c));
        return in -> {
            int extra = in[0].getShape().dimension() - 2;
            if (extra == 2) {
                return in[0].mul(mul4).add(add4);
            }
            if (extra == 0) {
                return in[0].mul(mul2).add(add2);
            }
            throw new UnsupportedOpException("BatchNormalization on " + (extra + 2) + "-D input is not supported");
        };
    }
}
