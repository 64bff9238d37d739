package dev.xssab.executor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.xssab.executor.onnx.OnnxReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs an ONNX graph node by node on DJL NDArrays, so that autograd sees every operation.
 *
 * <p>ONNX is also the executor's intermediate form for the other front ends: a TF.js graph model
 * ({@code tfjs.TfjsGraphLowering}) and face-api's ResNet ({@code faceapi.FaceApiResnetGraph}) are
 * lowered to ONNX nodes over NCHW tensors and run by this same core.
 *
 * <p>Everything that can be decided once is decided at load time: unsupported operators fail
 * here (naming the op and the node), constants become NDArrays in this executor's own manager
 * ({@link GraphConstants}), BatchNormalization folds to a scale and shift, and each node becomes a
 * compiled {@link Op} ({@link OpCompiler}).
 * {@link #forward} then only runs steps. Intermediates are closed right after their last use;
 * the output and anything autograd needs stay alive through PyTorch's own references.
 *
 * <p>The batch dimension is generalised: an export traced at batch 1 runs at any batch size. A
 * Reshape whose constant target starts with the traced batch gets the actual batch instead.
 *
 * <p>Thread-safe for concurrent {@code forward} calls: steps and constants are read-only.
 */
public final class GraphExecutor implements AutoCloseable {
    private final GraphConstants constants;
    private final List<Step> steps = new ArrayList<>();
    private final String inputName;
    private final String outputName;
    private final DataType dataType;
    /** Values that may be closed after step i (not constants, input or output). */
    private final List<List<String>> releaseAfter = new ArrayList<>();

    private record Step(OpGraph.Node node, Op op) {}

    private GraphExecutor(OpGraph graph, NDManager parent, DataType dataType) {
        this.dataType = dataType;
        this.constants = new GraphConstants(parent, dataType);
        try {
            if (graph.inputs().size() != 1 || graph.outputs().isEmpty()) {
                throw new UnsupportedOpException("the graph must have exactly one input and at least one output; it has "
                        + graph.inputs().size() + " inputs and " + graph.outputs().size() + " outputs");
            }
            inputName = graph.inputs().get(0).name();
            outputName = graph.outputs().get(0).name();
            graph.initializers().values().forEach(constants::add);
            OpCompiler compiler = new OpCompiler(constants, graph.inputs().get(0).shape());
            for (OpGraph.Node node : graph.nodes()) {
                checkSupported(node);
                if ("Constant".equals(node.opType())) {
                    constants.add(constantValue(node));
                } else {
                    steps.add(new Step(node, compiler.compile(node)));
                }
            }
            planReleases();
        } catch (RuntimeException e) {
            constants.close();
            throw e;
        }
    }

    private static void checkSupported(OpGraph.Node node) {
        if (!node.domain().isEmpty() && !"ai.onnx".equals(node.domain())) {
            throw new UnsupportedOpException("unsupported ONNX op '" + node.opType() + "' of domain '"
                    + node.domain() + "' in " + node.describe());
        }
        if (!OpCompiler.SUPPORTED_OPS.contains(node.opType())) {
            throw new UnsupportedOpException("unsupported ONNX op '" + node.opType() + "' in "
                    + node.describe() + "; supported: " + String.join(", ", new TreeSet<>(OpCompiler.SUPPORTED_OPS)));
        }
    }

    private static OpGraph.Tensor constantValue(OpGraph.Node node) {
        OpGraph.Attribute value = node.attr("value");
        if (value == null || value.t() == null) {
            throw new UnsupportedOpException("only tensor-valued Constant is supported, in " + node.describe());
        }
        OpGraph.Tensor t = value.t();
        return new OpGraph.Tensor(node.outputs().get(0), t.dims(), t.dataType(), t.floats(), t.longs());
    }

    /**
     * Reads and compiles an ONNX file.
     *
     * @param parent the manager that owns the executor's constants (closed with {@link #close})
     * @param dataType FLOAT32 for serving, FLOAT64 for numerically exact gradient checks
     * @throws UnsupportedOpException naming the first unsupported op and its node
     */
    public static GraphExecutor load(Path onnxFile, NDManager parent, DataType dataType) throws IOException {
        return new GraphExecutor(OnnxReader.read(onnxFile), parent, dataType);
    }

    public static GraphExecutor load(OpGraph proto, NDManager parent, DataType dataType) {
        return new GraphExecutor(proto, parent, dataType);
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
        constants.close();
    }
}
