package dev.xssab.models;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What the pipeline must know about a face-recognition model to feed it and read it.
 *
 * <p>This is the contract for bringing your own ArcFace / ElasticFace / CurricularFace export: an
 * ONNX file with one input {@code [N,3,H,W]} and one output {@code [N,embeddingSize]} (or a TF.js
 * graph model with one NHWC input), plus this JSON. Pixels are fed as {@code (value - mean[c]) /
 * std[c]} in the given channel order, after the face was aligned by a similarity transform of 5
 * landmarks onto {@code template}, given in pixels of the {@code width x height} input. Which 5
 * points: {@code landmarks} "arcface5" (eye centres, nose tip, mouth corners; insightface) or
 * "dlib5" (outer and inner corner of the image-right eye, then of the image-left eye, nose base;
 * dlib's 5-point chips).
 *
 * @param id short stable identifier, used as the key of calibrated thresholds
 * @param format how the file is read: "onnx" (default), "tfjs-graph" (model.json with its .bin
 *     shards) or "faceapi-resnet" (face-api's weights manifest, architecture built in)
 * @param onnxFile path of the model file (.onnx, model.json or weights manifest); relative paths
 *     resolve against the spec file's folder; null for a built-in model resolved through the
 *     {@link ModelStore}. The name is historical: it holds any format's file, and a spec may say
 *     {@code modelFile} instead.
 * @param builtin the pinned {@link ModelFile} of a built-in model, or null
 * @param builtinWeights the pinned weights file a built-in model's {@code builtin} names, or null
 * @param width input width in pixels
 * @param height input height in pixels
 * @param channelOrder "RGB" or "BGR"
 * @param mean per-channel mean subtracted from the 0..255 value
 * @param std per-channel divisor applied after the mean
 * @param template 5 (x,y) landmark targets in input pixels
 * @param embeddingSize length of the output vector
 * @param defaultThreshold cosine threshold used when none was calibrated on this machine
 * @param thresholdSource how {@code defaultThreshold} was obtained
 * @param landmarks "arcface5" (default) or "dlib5"
 * @param source where the model comes from (for a built-in: its npm package), for listings
 * @param licence the model's licence, for listings
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecognitionModelSpec(
        String id,
        String format,
        @JsonAlias("modelFile") String onnxFile,
        ModelFile builtin,
        ModelFile builtinWeights,
        int width,
        int height,
        String channelOrder,
        float[] mean,
        float[] std,
        double[][] template,
        int embeddingSize,
        double defaultThreshold,
        String thresholdSource,
        String landmarks,
        String source,
        String licence) {

    /** Formats the executor reads. */
    public static final java.util.Set<String> FORMATS = java.util.Set.of("onnx", "tfjs-graph", "faceapi-resnet");
    /** Landmark schemes the gateway aligns with. */
    public static final java.util.Set<String> LANDMARK_SCHEMES = java.util.Set.of("arcface5", "dlib5");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The ArcFace 112x112 five-point template (insightface). */
    public static final double[][] ARCFACE_TEMPLATE = {
        {38.2946, 51.6963}, {73.5318, 51.5014}, {56.0252, 71.7366}, {41.5493, 92.3655}, {70.7299, 92.2041}
    };

    public RecognitionModelSpec {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("model spec: 'id' is required");
        }
        format = format == null ? "onnx" : format;
        landmarks = landmarks == null ? "arcface5" : landmarks;
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("model spec " + id + ": 'format' must be one of " + new java.util.TreeSet<>(FORMATS)
                    + ", got " + format);
        }
        if (!LANDMARK_SCHEMES.contains(landmarks)) {
            throw new IllegalArgumentException("model spec " + id + ": 'landmarks' must be one of "
                    + new java.util.TreeSet<>(LANDMARK_SCHEMES) + ", got " + landmarks);
        }
        if (builtin != null) {
            source = source != null ? source : builtin.npmPackage().spec();
            licence = licence != null ? licence : builtin.npmPackage().licence();
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

    /** The project's default model: faceplugin's fr_feature.onnx (the catalog's, read once). */
    public static RecognitionModelSpec frFeature() {
        return ModelCatalog.byId(ModelCatalog.DEFAULT_MODEL);
    }

    static RecognitionModelSpec builtin(String resource) {
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
        return new RecognitionModelSpec(id, format, path, builtin, builtinWeights, width, height, channelOrder, mean, std,
                template, embeddingSize, defaultThreshold, thresholdSource, landmarks, source, licence);
    }

    /**
     * The model file to load: the store's verified copy for built-ins (its weights verified too,
     * beside it), the given path otherwise.
     */
    public Path modelPath(ModelStore store) {
        if (builtin == null) {
            return Path.of(onnxFile);
        }
        if (builtinWeights != null) {
            store.resolve(builtinWeights);
        }
        return store.resolve(builtin);
    }

    public boolean isOnnx() {
        return "onnx".equals(format);
    }

    public boolean bgr() {
        return "BGR".equals(channelOrder);
    }
}
