package dev.xssab.explainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.xssab.executor.GraphExecutor;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** fr_feature through the node-by-node DJL executor against ONNX Runtime, on the 25 shared faces. */
class ExecutorParityTest {
    private static final RecognitionModelSpec SPEC = RecognitionModelSpec.frFeature();

    @Test
    void djlExecutorMatchesOnnxRuntimeAtBatchOneAndEight() throws Exception {
        ModelStore store = ModelStore.fromEnvironment();
        List<RgbImage> faces = new ArrayList<>(SharedAlignedFaces.all().values());
        assertEquals(25, faces.size());
        List<float[]> reference = new ArrayList<>();
        try (OrtScorer ort = new OrtScorer(SPEC, store, 0)) {
            for (RgbImage face : faces) {
                reference.add(ort.embed(face));
            }
        }
        double worst = 0;
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                GraphExecutor executor = GraphExecutor.load(SPEC.modelPath(store), manager, DataType.FLOAT32)) {
            for (int batch : new int[] {1, 8}) {
                for (int start = 0; start < faces.size(); start += batch) {
                    List<RgbImage> chunk = faces.subList(start, Math.min(faces.size(), start + batch));
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray x = scope.create(ModelInput.nchw(chunk, SPEC),
                                new Shape(chunk.size(), 3, SPEC.height(), SPEC.width()));
                        NDArray y = executor.forward(x);
                        assertEquals(new Shape(chunk.size(), SPEC.embeddingSize()), y.getShape());
                        float[] out = y.toFloatArray();
                        for (int i = 0; i < chunk.size(); i++) {
                            float[] ref = reference.get(start + i);
                            for (int j = 0; j < ref.length; j++) {
                                worst = Math.max(worst, Math.abs(ref[j] - out[i * ref.length + j]));
                            }
                        }
                    }
                }
            }
        }
        System.out.printf("executor vs ONNX Runtime: max abs difference %.3g%n", worst);
        assertTrue(worst <= 1e-4, "max abs difference " + worst);
    }
}
