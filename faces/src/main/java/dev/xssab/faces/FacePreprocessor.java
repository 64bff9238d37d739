package dev.xssab.faces;

import ai.djl.translate.TranslateException;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.faces.image.ImageDecoder;
import dev.xssab.faces.image.ImageOps;
import dev.xssab.schemas.RgbImage;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.ReasonCode;
import java.util.Comparator;
import java.util.List;

/**
 * Untrusted bytes to an aligned face: decode, detect, take the largest face, 68 landmarks, 5-point
 * similarity alignment onto the recognition model's template. Not thread-safe: one per thread,
 * over models loaded once ({@link FaceModels}).
 */
public final class FacePreprocessor implements AutoCloseable {
    /**
     * Names this preprocessing (decoder, detector passes, landmarks, warp). Change it with any
     * change that moves aligned pixels: caches of aligned crops are keyed by it.
     */
    public static final String ALIGNMENT_VERSION = "opencv-4.9.0-v1";

    private final ImageDecoder decoder;
    private final FaceDetector detector;
    private final LandmarkDetector landmarks;
    /** One aligner per model this preprocessor has aligned for (cheap: a size and a template). */
    private final java.util.Map<String, FaceAligner> aligners = new java.util.HashMap<>();
    private final RecognitionModelSpec spec;
    /** Set when this preprocessor loaded the models itself (one-off use) and so closes them. */
    private final FaceModels owned;
    private final StepTimer timer;

    /** Receives the time of each step of one image: decode, detect, landmarks, align. */
    @FunctionalInterface
    public interface StepTimer {
        StepTimer NONE = (step, nanos) -> { };

        void record(String step, long nanos);
    }

    FacePreprocessor(FaceDetector detector, LandmarkDetector landmarks, RecognitionModelSpec spec, DecodeLimits limits,
            StepTimer timer) {
        this(detector, landmarks, spec, limits, null, timer);
    }

    private FacePreprocessor(FaceDetector detector, LandmarkDetector landmarks, RecognitionModelSpec spec,
            DecodeLimits limits, FaceModels owned, StepTimer timer) {
        this.decoder = new ImageDecoder(limits);
        this.spec = spec;
        this.detector = detector;
        this.landmarks = landmarks;
        this.owned = owned;
        this.timer = timer;
    }

    /**
     * A preprocessor that loads the models for itself, for one-off use in one thread (a command,
     * a test); closing it closes the models. Long-running services share {@link FaceModels}.
     */
    public static FacePreprocessor standalone(ModelStore store, RecognitionModelSpec spec, DecodeLimits limits) {
        FaceModels models = FaceModels.load(store, spec, limits, StepTimer.NONE);
        FacePreprocessor shared = models.newPreprocessor();
        return new FacePreprocessor(shared.detector, shared.landmarks, spec, limits, models, StepTimer.NONE);
    }

    /** Decodes and aligns the largest face in the image for this preprocessor's model. */
    public AlignedFace preprocess(byte[] bytes) throws PreprocessingException {
        return preprocess(bytes, spec);
    }

    /** Decodes and aligns the largest face in the image onto the given model's template. */
    public AlignedFace preprocess(byte[] bytes, RecognitionModelSpec model) throws PreprocessingException {
        long t0 = System.nanoTime();
        // JPEGs are decoded already reduced (1/2, 1/4, 1/8) as far as face work allows.
        ImageDecoder.Decoded decoded = decoder.decodeAtLeast(bytes, WORKING_MAX_SIDE);
        timer.record("decode", System.nanoTime() - t0);
        return align(decoded.image(), decoded.reduction(), model);
    }

    /**
     * Photos are reduced by an integer factor (block averaging) until their longer side is at
     * most this many pixels before any face work: a face that fills such an image is still far
     * larger than the 112 px template, and every later step then touches a fraction of the pixels.
     */
    static final int WORKING_MAX_SIDE = 1024;

    /** Aligns the largest face of an already decoded image. */
    public AlignedFace align(RgbImage original) throws PreprocessingException {
        return align(original, 1, spec);
    }


    /**
     * @param decodedReduction how much {@code original} was already reduced while decoding, so that
     *     the box and landmarks are reported in the stored image's pixels
     */
    private AlignedFace align(RgbImage original, int decodedReduction, RecognitionModelSpec model) throws PreprocessingException {
        int longer = Math.max(original.width(), original.height());
        int factor = (longer + WORKING_MAX_SIDE - 1) / WORKING_MAX_SIDE;
        RgbImage image = ImageOps.reduce(original, factor);
        try {
            long t0 = System.nanoTime();
            List<Detection> faces = detector.detect(image);
            long t1 = System.nanoTime();
            timer.record("detect", t1 - t0);
            // Policy for several faces: the largest one is the subject (the one at the camera).
            Detection face = faces.stream().max(Comparator.comparingDouble(Detection::area))
                    .orElseThrow(() -> new PreprocessingException(ReasonCode.NO_FACE, "no face was found in the image"));
            double[][] five = LandmarkDetector.fivePoints(landmarks.landmarks68(image, face), model.landmarks());
            long t2 = System.nanoTime();
            timer.record("landmarks", t2 - t1);
            AlignedFace aligned = aligners.computeIfAbsent(model.id(), k -> new FaceAligner(model.width(), model.height(),
                    model.template())).align(image, face, five);
            timer.record("align", System.nanoTime() - t2);
            int scale = factor * decodedReduction;
            return scale == 1 ? aligned : aligned.inSourceScale(scale);
        } catch (TranslateException e) {
            throw new PreprocessingException(ReasonCode.INFERENCE_FAILED, "face detection failed: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts an image that is already an aligned crop of the model's input size, skipping
     * detection; anything else is refused rather than silently resized.
     */
    public AlignedFace preprocessAligned(byte[] bytes) throws PreprocessingException {
        return preprocessAligned(bytes, spec);
    }

    /** As {@link #preprocessAligned(byte[])}, for the given model's input size. */
    public AlignedFace preprocessAligned(byte[] bytes, RecognitionModelSpec model) throws PreprocessingException {
        RgbImage image = decoder.decode(bytes);
        if (image.width() != model.width() || image.height() != model.height()) {
            throw new PreprocessingException(ReasonCode.ALIGNED_SIZE_MISMATCH, "an aligned input for model " + model.id()
                    + " must be " + model.width() + "x" + model.height() + " but this image is " + image.width() + "x"
                    + image.height());
        }
        return new AlignedFace(image, null, null, model.template(), 0);
    }

    /** How many images needed the detector's second, bordered search, of all searched: "N of M". */
    public String bordered() {
        return detector.searchCounts();
    }

    /** Closes the predictors (and the models, for a standalone one). */
    @Override
    public void close() {
        detector.close();
        landmarks.close();
        if (owned != null) {
            owned.close();
        }
    }
}
