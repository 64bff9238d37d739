package dev.xssab.explainer;

import dev.xssab.executor.onnx.OnnxReader;

import dev.xssab.executor.faceapi.FaceApiResnetGraph;
import dev.xssab.executor.OpGraph;
import dev.xssab.executor.tfjs.TfjsGraphLowering;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import java.io.IOException;
import java.nio.file.Path;

/** A recognition model's file, in any supported format, as the graph the executor runs. */
public final class RecognitionGraphs {
    private RecognitionGraphs() {}

    /** Reads the model's verified file(s) and lowers them to the executor's form. */
    public static OpGraph load(RecognitionModelSpec spec, ModelStore store) throws IOException {
        Path file = spec.modelPath(store);
        return switch (spec.format()) {
            case "onnx" -> OnnxReader.read(file);
            case "tfjs-graph" -> TfjsGraphLowering.read(file);
            case "faceapi-resnet" -> {
                if (spec.width() != FaceApiResnetGraph.INPUT_SIZE || spec.height() != FaceApiResnetGraph.INPUT_SIZE) {
                    throw new IllegalArgumentException("model " + spec.id() + ": the face-api ResNet takes 150x150 inputs");
                }
                yield FaceApiResnetGraph.read(file);
            }
            default -> throw new IllegalArgumentException("model " + spec.id() + ": unknown format " + spec.format());
        };
    }
}
