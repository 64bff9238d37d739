package dev.xssab.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What the pipeline must know about a face-recognition ONNX model to feed it and read it.
 *
 * <p>This is the contract for bringing your own ArcFace / ElasticFace / CurricularFace export: an
 * ONNX file with one input {@code [N,3,H,W]} and one output {@code [N,embeddingSize]}, plus this
 * JSON. Pixels are fed as {@code (value - mean[c]) / std[c]} in the given channel order, after the
 * face was aligned by a similarity transform of its 5 landmarks (left eye, right eye, nose tip,
 * left and right mouth corners) onto {@code template}, given in pixels of the {@code width x
 * height} input.
 *
 * @param id short stable identifier, used as the key of calibrated thresholds
 * @param onnxFile path of the .onnx file; relative paths resolve against the spec file's folder;
 *     null for a built-in model resolved through the {@link ModelStore}
 * @param builtin the pinned {@link ModelFile} of a built-in model, or null
 * @param width input width in pixels
 * @param height input height in pixels
 * @param channelOrder "RGB" or "BGR"
 * @param mean per-channel mean subtracted from the 0..255 value
 * @param std per-channel divisor applied after the mean
 * @param template 5 (x,y) landmark targets in input pixels
 * @param embeddingSize length of the output vector
 * @param defaultThreshold cosine threshold used when none was calibrated on this machine
 * @param thresholdSource how {@code defaultThreshold} was obtained
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecognitionModelSpec(
        String id,
        String onnxFile,
        ModelFile builtin,
        int width,
        int height,
        String channelOrder,
        float[] mean,
        float[] std,
        double[][] template,
        int embeddingSize,
        double defaultThreshold,
        String thresholdSource) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The ArcFace 112x112 five-point template (insightface). */
    public static final double[][] ARCFACE_TEMPLATE = {
        {38.2946, 51.6963}, {73.5318, 51.5014}, {56.0252, 71.7366}, {41.5493, 92.3655}, {70.7299, 92.2041}
    };

    public RecognitionModelSpec {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("model spec: 'id' is required");
        }
        if ((onnxFile == null) == (builtin == null)) {
            throw new IllegalArgumentException("model spec " + id + ": give exactly one of 'onnxFile' or 'builtin'");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("model spec " + id + ": 'width' and 'height' must be positive");
        }
        if (!"RGB".equals(channelOrder) && !"BGR".equals(channelOrder)) {
            throw new IllegalArgumentException("model spec " + id + ": 'channelOrder' must be RGB or BGR");
        }
        if (mean == null || mean.length != 3 || std == null || std.length != 3) {
            throw new IllegalArgumentException("model spec " + id + ": 'mean' and 'std' need 3 values each");
        }
        for (float s : std) {
            if (s == 0) {
                throw new IllegalArgumentException("model spec " + id + ": 'std' must not contain 0");
            }
        }
        if (template == null || template.length != 5 || Arrays.stream(template).anyMatch(p -> p.length != 2)) {
            throw new IllegalArgumentException("model spec " + id + ": 'template' needs 5 (x,y) points");
        }
        if (embeddingSize <= 0) {
            throw new IllegalArgumentException("model spec " + id + ": 'embeddingSize' must be positive");
        }
        if (!(defaultThreshold > -1 && defaultThreshold < 1)) {
            throw new IllegalArgumentException("model spec " + id + ": 'defaultThreshold' must be in (-1,1)");
        }
    }

    /** The project's default model: faceplugin's fr_feature.onnx. */
    public static RecognitionModelSpec frFeature() {
        return builtin("fr_feature.json");
    }

    private static RecognitionModelSpec builtin(String resource) {
        try (InputStream in = RecognitionModelSpec.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing built-in model spec " + resource);
            }
            return JSON.readValue(in, RecognitionModelSpec.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable built-in model spec " + resource, e);
        }
    }

    /** Reads a user's model spec JSON; a relative onnxFile resolves against the spec's folder. */
    public static RecognitionModelSpec read(Path specFile) throws IOException {
        RecognitionModelSpec spec = JSON.readValue(specFile.toFile(), RecognitionModelSpec.class);
        if (spec.onnxFile() != null && !Path.of(spec.onnxFile()).isAbsolute()) {
            Path parent = specFile.toAbsolutePath().getParent();
            return spec.withOnnxFile(parent.resolve(spec.onnxFile()).toString());
        }
        return spec;
    }

    private RecognitionModelSpec withOnnxFile(String path) {
        return new RecognitionModelSpec(id, path, builtin, width, height, channelOrder, mean, std, template,
                embeddingSize, defaultThreshold, thresholdSource);
    }

    /** The ONNX file to load: the store's verified copy for built-ins, the given path otherwise. */
    public Path onnxPath(ModelStore store) {
        return builtin != null ? store.resolve(builtin) : Path.of(onnxFile);
    }

    public boolean bgr() {
        return "BGR".equals(channelOrder);
    }
}
