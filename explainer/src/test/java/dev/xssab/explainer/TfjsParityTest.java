package dev.xssab.explainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.xssab.executor.GraphExecutor;
import dev.xssab.models.ModelCatalog;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import dev.xssab.testkit.NodeReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TF.js front ends against TF.js itself: mobileface (graph model) through
 * {@code tf.loadGraphModel}, and faceapi_resnet through face-api's own faceRecognitionNet, both on
 * TF.js's CPU backend in node, on the 25 shared faces aligned for each model by the gateway's
 * preprocessing. The executor runs at batch 1 and 8 (its batch is generalised).
 */
class TfjsParityTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({"mobileface, graph", "faceapi_resnet, faceapi"})
    void executorMatchesTfjsOnTheSharedFaces(String modelId, String mode) throws Exception {
        RecognitionModelSpec spec = ModelCatalog.byId(modelId);
        ModelStore store = ModelStore.fromEnvironment();
        List<RgbImage> faces = new ArrayList<>(SharedAlignedFaces.all(spec).values());
        assertEquals(25, faces.size());
        int h = spec.height();
        int w = spec.width();

        // The reference: raw RGB 0..255, NHWC, exactly as the TF.js models take it.
        ByteBuffer in = ByteBuffer.allocate(faces.size() * h * w * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (RgbImage face : faces) {
            for (byte b : face.rgb()) {
                in.putFloat(b & 0xff);
            }
        }
        Path input = Files.write(tmp.resolve("input.f32"), in.array());
        Path output = tmp.resolve("output.f32");
        String log = NodeReference.installed().runScript(TfjsParityTest.class, "/node-reference/embed.cjs", List.of(mode,
                spec.modelPath(store).toString(), input.toString(), String.valueOf(faces.size()), String.valueOf(h),
                String.valueOf(w), output.toString()));
        System.out.print("node reference: " + log);
        ByteBuffer refBytes = ByteBuffer.wrap(Files.readAllBytes(output)).order(ByteOrder.LITTLE_ENDIAN);
        int d = spec.embeddingSize();
        assertEquals(faces.size() * d * 4, refBytes.remaining(), "reference embedding size");
        float[] reference = new float[faces.size() * d];
        refBytes.asFloatBuffer().get(reference);

        double worst = 0;
        double largest = 0;
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                GraphExecutor executor = GraphExecutor.load(RecognitionGraphs.load(spec, store), manager, DataType.FLOAT32)) {
            for (int batch : new int[] {1, 8}) {
                for (int start = 0; start < faces.size(); start += batch) {
                    List<RgbImage> chunk = faces.subList(start, Math.min(faces.size(), start + batch));
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray x = scope.create(ModelInput.nchw(chunk, spec), new Shape(chunk.size(), 3, h, w));
                        NDArray y = executor.forward(x);
                        assertEquals(new Shape(chunk.size(), d), y.getShape());
                        float[] out = y.toFloatArray();
                        for (int k = 0; k < out.length; k++) {
                            float ref = reference[start * d + k];
                            worst = Math.max(worst, Math.abs(ref - out[k]));
                            largest = Math.max(largest, Math.abs(ref));
                        }
                    }
                }
            }
        }
        System.out.printf("%s: executor vs TF.js in node, max abs difference %.3g per component (largest component %.3g)%n",
                modelId, worst, largest);
        assertTrue(largest > 1e-3, "the reference embeddings are not all zero");
        assertTrue(worst <= 1e-4, modelId + ": max abs difference " + worst);
    }
}
