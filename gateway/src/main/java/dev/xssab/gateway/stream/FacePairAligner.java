package dev.xssab.gateway.stream;

import dev.xssab.faces.PreprocessingException;
import dev.xssab.faces.AlignedFace;
import dev.xssab.faces.FaceModels;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.avro.AlignedFaceImage;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/**
 * The real aligner: the gateway's face preprocessing (fr_detect, fr_landmark, alignment) over the
 * process's one copy of the models. Kafka Streams makes one per task; each call uses the calling
 * stream thread's own predictors.
 */
public final class FacePairAligner implements PairAligner {
    private final FaceModels models;

    public FacePairAligner(FaceModels models) {
        this.models = models;
    }

    @Override
    public AlignedFaceImage align(byte[] image, boolean alreadyAligned, String modelId) throws PreprocessingException {
        RecognitionModelSpec model = models.spec(modelId).orElseThrow(() -> new PreprocessingException(ReasonCode.UNKNOWN_MODEL,
                "model " + modelId + " is not known to this gateway; known: " + models.modelIds()));
        var preprocessor = models.forCurrentThread();
        AlignedFace face = alreadyAligned ? preprocessor.preprocessAligned(image, model) : preprocessor.preprocess(image, model);
        return AlignedFaceImage.newBuilder()
                .setWidth(face.image().width())
                .setHeight(face.image().height())
                .setRgb(ByteBuffer.wrap(face.image().rgb()))
                .setDetectionScore(face.box() == null ? 1f : face.box().score())
                .setFitErrorPx((float) face.fitErrorPx())
                .build();
    }

    /** The models' workers, one preprocessor each: the two images of a pair are prepared at once. */
    @Override
    public Executor executor() {
        return models.executor();
    }

    /** Nothing of its own to close: the models belong to the process ({@link FaceModels#close()}). */
    @Override
    public void close() {}
}
