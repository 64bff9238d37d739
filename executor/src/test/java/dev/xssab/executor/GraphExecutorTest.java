package dev.xssab.executor;

import dev.xssab.executor.onnx.OnnxReader;
import dev.xssab.executor.onnx.OnnxBuilder;

import static dev.xssab.executor.onnx.OnnxBuilder.floatAttr;
import static dev.xssab.executor.onnx.OnnxBuilder.intAttr;
import static dev.xssab.executor.onnx.OnnxBuilder.intsAttr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import dev.xssab.models.OrtModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every supported operator, in small generated graphs, against ONNX Runtime on the same bytes;
 * plus the load-time refusal of an unsupported op and the batch generalisation.
 */
class GraphExecutorTest {
    @TempDir
    Path tmp;

    private static float[] random(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    /** Conv (padded), BatchNormalization, PRelu, Relu, MaxPool, AveragePool, Concat, Transpose, Identity, Dropout, GlobalAveragePool, Flatten, Gemm. */
    private static byte[] imageGraph() {
        Random r = new Random(7);
        return new OnnxBuilder()
                .floats("W", new long[] {4, 3, 3, 3}, random(r, 108, 0.3f))
                .floats("B", new long[] {4}, random(r, 4, 0.1f))
                .floats("bn_s", new long[] {4}, 1.1f, 0.9f, 1.3f, 0.7f)
                .floats("bn_b", new long[] {4}, 0.1f, -0.2f, 0.05f, 0f)
                .floats("bn_m", new long[] {4}, 0.01f, -0.03f, 0.2f, 0.1f)
                .floats("bn_v", new long[] {4}, 0.5f, 1.5f, 0.8f, 1.1f)
                .floats("slope", new long[] {4, 1, 1}, 0.25f, 0.1f, -0.05f, 0.5f)
                .floats("Wg", new long[] {5, 8}, random(r, 40, 0.5f))
                .floats("Cg", new long[] {5}, random(r, 5, 0.1f))
                .node("conv", "Conv", List.of("X", "W", "B"), List.of("c"), intsAttr("pads", 1, 1, 1, 1),
                        intsAttr("kernel_shape", 3, 3))
                .node("bn", "BatchNormalization", List.of("c", "bn_s", "bn_b", "bn_m", "bn_v"), List.of("bn"),
                        floatAttr("epsilon", 1e-5f))
                .node("prelu", "PRelu", List.of("bn", "slope"), List.of("p"))
                .node("relu", "Relu", List.of("p"), List.of("r"))
                .node("maxpool", "MaxPool", List.of("r"), List.of("mp"), intsAttr("kernel_shape", 2, 2),
                        intsAttr("strides", 2, 2))
                .node("avgpool", "AveragePool", List.of("mp"), List.of("ap"), intsAttr("kernel_shape", 3, 3),
                        intsAttr("pads", 1, 1, 1, 1), intAttr("count_include_pad", 1))
                .node("concat", "Concat", List.of("mp", "ap"), List.of("cat"), intAttr("axis", 1))
                .node("transpose", "Transpose", List.of("cat"), List.of("t"), intsAttr("perm", 0, 1, 3, 2))
                .node("identity", "Identity", List.of("t"), List.of("id"))
                .node("dropout", "Dropout", List.of("id"), List.of("dr"))
                .node("gap", "GlobalAveragePool", List.of("dr"), List.of("gap"))
                .node("flatten", "Flatten", List.of("gap"), List.of("f"))
                .node("gemm", "Gemm", List.of("f", "Wg", "Cg"), List.of("Y"), intAttr("transB", 1),
                        floatAttr("alpha", 0.8f), floatAttr("beta", 1.2f))
                .input("X", -1, 3, 8, 8)
                .output("Y", -1, 5)
                .build();
    }

    /** MatMul, Sub and Div with a constant first, Mul, Add, LeakyRelu, Sigmoid, and a batch-1 Reshape. */
    private static byte[] vectorGraph() {
        Random r = new Random(11);
        return new OnnxBuilder()
                .floats("M", new long[] {6, 6}, random(r, 36, 0.4f))
                .floats("K", new long[] {6}, random(r, 6, 1f))
                .floats("one", new long[] {1}, 1f)
                .longs("shape", 1, -1)
                .node("matmul", "MatMul", List.of("X", "M"), List.of("m"))
                .node("sub", "Sub", List.of("K", "m"), List.of("s"))
                .node("sq", "Mul", List.of("m", "m"), List.of("m2"))
                .node("den", "Add", List.of("one", "m2"), List.of("den"))
                .node("div", "Div", List.of("K", "den"), List.of("d"))
                .node("mul", "Mul", List.of("X", "d"), List.of("xd"))
                .node("add", "Add", List.of("xd", "s"), List.of("a"))
                .node("leaky", "LeakyRelu", List.of("a"), List.of("lr"), floatAttr("alpha", 0.2f))
                .node("sigmoid", "Sigmoid", List.of("lr"), List.of("sg"))
                .node("reshape", "Reshape", List.of("sg", "shape"), List.of("Y"))
                .input("X", 1, 6)
                .output("Y", 1, 6)
                .build();
    }

    private float[] onnxRuntime(byte[] model, float[] x, Shape shape) throws Exception {
        Path file = tmp.resolve("m" + System.nanoTime() + ".onnx");
        Files.write(file, model);
        try (Model m = OrtModels.load(file, "test", 1);
                Predictor<NDList, NDList> p = m.newPredictor(new NoopTranslator());
                NDManager mgr = NDManager.newBaseManager("OnnxRuntime")) {
            return p.predict(new NDList(mgr.create(x, shape))).singletonOrThrow().toFloatArray();
        }
    }

    private static float[] djl(byte[] model, float[] x, Shape shape, DataType type) {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                GraphExecutor executor = GraphExecutor.load(OnnxReader.parse(model), manager, type)) {
            NDArray out = executor.forward(manager.create(x, shape));
            return out.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= tol, "max abs difference " + worst);
    }

    @Test
    void imageOperatorsMatchOnnxRuntime() throws Exception {
        byte[] model = imageGraph();
        float[] x = random(new Random(3), 2 * 3 * 8 * 8, 1f);
        Shape shape = new Shape(2, 3, 8, 8);
        float[] expected = onnxRuntime(model, x, shape);
        assertClose(expected, djl(model, x, shape, DataType.FLOAT32), 1e-5);
        assertClose(expected, djl(model, x, shape, DataType.FLOAT64), 1e-5);
    }

    @Test
    void vectorOperatorsMatchOnnxRuntimeAndTheBatchIsGeneralised() throws Exception {
        byte[] model = vectorGraph();
        Random r = new Random(5);
        float[] rows = random(r, 3 * 6, 1f);
        float[] batched = djl(model, rows, new Shape(3, 6), DataType.FLOAT32);
        assertEquals(18, batched.length, "a Reshape traced as [1,-1] keeps the batch of 3");
        for (int i = 0; i < 3; i++) {
            float[] row = java.util.Arrays.copyOfRange(rows, 6 * i, 6 * i + 6);
            float[] expected = onnxRuntime(model, row, new Shape(1, 6));
            assertClose(expected, java.util.Arrays.copyOfRange(batched, 6 * i, 6 * i + 6), 1e-5);
        }
    }

    @Test
    void unsupportedOperatorFailsAtLoadNamingOpAndNode() {
        byte[] model = new OnnxBuilder()
                .node("my_fancy_node", "GridSample", List.of("X"), List.of("Y"))
                .input("X", 1, 3, 4, 4)
                .output("Y", 1, 3, 4, 4)
                .build();
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
                    () -> GraphExecutor.load(OnnxReader.parse(model), manager, DataType.FLOAT32));
            assertTrue(e.getMessage().contains("GridSample") && e.getMessage().contains("my_fancy_node"), e.getMessage());
        }
    }

    @Test
    void readsTheGraphStructure() {
        OpGraph proto = OnnxReader.parse(imageGraph());
        assertEquals(13, proto.opset());
        assertEquals(1, proto.inputs().size());
        assertArrayEquals(new long[] {-1, 3, 8, 8}, proto.inputs().get(0).shape());
        assertEquals(Set.of("Conv", "BatchNormalization", "PRelu", "Relu", "MaxPool", "AveragePool", "Concat",
                "Transpose", "Identity", "Dropout", "GlobalAveragePool", "Flatten", "Gemm"),
                proto.nodes().stream().map(OpGraph.Node::opType).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        assertThrows(ModelFormatException.class, () -> OnnxReader.parse(new byte[] {0x0a, 0x7f, 0x01}));
    }
}
