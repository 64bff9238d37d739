package dev.xssab.executor.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.xssab.executor.GraphExecutor;
import dev.xssab.executor.OpGraph;
import dev.xssab.executor.UnsupportedOpException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small hand-written TF.js graphs: the layout rules, quantised weights and load-time refusals. */
class TfjsGraphLoweringTest {
    @TempDir
    Path tmp;

    private static final String PADDING_VALID = "VkFMSUQ="; // base64 "VALID"
    private static final String NHWC = "TkhXQw==";

    /**
     * x [1,2,2,2] NHWC -> Pad 1 pixel right -> 1x1 conv (2->1, weights uint8-quantised) -> Maximum
     * with 0 -> Reshape [-1, 6], checked element by element against arithmetic done here.
     */
    @Test
    void convPadAndReshapeKeepTfsElementOrder() throws Exception {
        // Conv weights [1,1,2,1]: 0.5 and -1.0, quantised as uint8 with scale 0.5, min -1: q = 3, 0.
        ByteBuffer bin = ByteBuffer.allocate(2 + 8 * 4 + 2 * 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
        bin.put((byte) 3).put((byte) 0);
        for (int v : new int[] {0, 0, 0, 0, 0, 1, 0, 0}) {
            bin.putInt(v);
        }
        bin.putInt(-1).putInt(6);
        bin.putFloat(0f);
        Files.write(tmp.resolve("w.bin"), bin.array());
        Files.writeString(tmp.resolve("model.json"), """
                {"format": "graph-model", "modelTopology": {"node": [
                  {"name": "x", "op": "Placeholder", "attr": {"shape": {"shape": {"dim": [{"size": "-1"}, {"size": "2"}, {"size": "2"}, {"size": "2"}]}}}},
                  {"name": "w", "op": "Const"}, {"name": "p", "op": "Const"}, {"name": "s", "op": "Const"}, {"name": "zero", "op": "Const"},
                  {"name": "padded", "op": "Pad", "input": ["x", "p"]},
                  {"name": "conv", "op": "Conv2D", "input": ["padded", "w"], "attr": {"padding": {"s": "%s"}, "data_format": {"s": "%s"},
                    "strides": {"list": {"i": ["1", "1", "1", "1"]}}}},
                  {"name": "relu", "op": "Maximum", "input": ["zero", "conv"]},
                  {"name": "flat", "op": "Reshape", "input": ["relu", "s"]}
                ]}, "weightsManifest": [{"paths": ["w.bin"], "weights": [
                  {"name": "w", "shape": [1, 1, 2, 1], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}},
                  {"name": "p", "shape": [4, 2], "dtype": "int32"}, {"name": "s", "shape": [2], "dtype": "int32"},
                  {"name": "zero", "shape": [], "dtype": "float32"}]}]}
                """.formatted(PADDING_VALID, NHWC));
        OpGraph graph = TfjsGraphLowering.read(tmp.resolve("model.json"));
        // NHWC input values: pixel (y,x) has channels (a, b) = (1 + y*2 + x, 10).
        float[][][] nhwc = new float[2][2][2];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                nhwc[y][x] = new float[] {1 + y * 2 + x, 10 - (y * 2 + x) * 4};
            }
        }
        float[] nchw = new float[8];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 2; x++) {
                    nchw[c * 4 + y * 2 + x] = nhwc[y][x][c];
                }
            }
        }
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                GraphExecutor ex = GraphExecutor.load(graph, m, DataType.FLOAT32)) {
            NDArray out = ex.forward(m.create(nchw, new Shape(1, 2, 2, 2)));
            assertEquals(new Shape(1, 6), out.getShape());
            // TF order after padding one column on the right: rows y, columns x in 0..2, one channel.
            float[] expected = new float[6];
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) {
                    float v = x < 2 ? 0.5f * nhwc[y][x][0] - nhwc[y][x][1] : 0f;
                    expected[y * 3 + x] = Math.max(0, v);
                }
            }
            float[] got = out.toFloatArray();
            for (int i = 0; i < 6; i++) {
                assertEquals(expected[i], got[i], 1e-6, "element " + i);
            }
            assertTrue(got[3] > 0 || got[4] > 0, "some positive output, so the check is not all zeros");
        }
    }

    @Test
    void anUnsupportedOpFailsAtLoadNamingOpAndNode() throws Exception {
        Files.writeString(tmp.resolve("model.json"), """
                {"format": "graph-model", "modelTopology": {"node": [
                  {"name": "x", "op": "Placeholder", "attr": {"shape": {"shape": {"dim": [{"size": "-1"}, {"size": "4"}]}}}},
                  {"name": "probabilities", "op": "Softmax", "input": ["x"]}
                ]}, "weightsManifest": []}
                """);
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
                () -> TfjsGraphLowering.read(tmp.resolve("model.json")));
        assertTrue(e.getMessage().contains("'Softmax'") && e.getMessage().contains("'probabilities'"), e.getMessage());
    }

    @Test
    void aShardShorterThanItsManifestIsRefused() throws Exception {
        Files.write(tmp.resolve("w.bin"), new byte[3]);
        Files.writeString(tmp.resolve("model.json"), """
                {"format": "graph-model", "modelTopology": {"node": [{"name": "c", "op": "Const"}]},
                 "weightsManifest": [{"paths": ["w.bin"], "weights": [{"name": "c", "shape": [2], "dtype": "float32"}]}]}
                """);
        Exception e = assertThrows(Exception.class, () -> TfjsGraphLowering.read(tmp.resolve("model.json")));
        assertTrue(e.getMessage().contains("'c'"), e.getMessage());
    }
}
