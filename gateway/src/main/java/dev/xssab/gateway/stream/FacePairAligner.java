package dev.xssab.gateway.stream;

import dev.xssab.gateway.PreprocessingException;
import dev.xssab.gateway.face.AlignedFace;
import dev.xssab.gateway.face.FacePreprocessor;
import dev.xssab.schemas.avro.AlignedFaceImage;
import java.nio.ByteBuffer;

/** The real aligner: the gateway's face preprocessing (fr_detect, fr_landmark, alignment). */
public final class FacePairAligner implements PairAligner {
    private final FacePreprocessor preprocessor;

    public FacePairAligner(FacePreprocessor preprocessor) {
        this.preprocessor = preprocessor;
    }

    @Override
    public AlignedFaceImage align(byte[] image, boolean alreadyAligned) throws PreprocessingException {
        AlignedFace face = alreadyAligned ? preprocessor.preprocessAligned(image) : preprocessor.preprocess(image);
        return AlignedFaceImage.newBuilder()
                .setWidth(face.image().width())
                .setHeight(face.image().height())
                .setRgb(ByteBuffer.wrap(face.image().rgb()))
                .setDetectionScore(face.box() == null ? 1f : face.box().score())
                .setFitErrorPx((float) face.fitErrorPx())
                .build();
    }

    @Override
    public void close() {
        preprocessor.close();
    }
}
