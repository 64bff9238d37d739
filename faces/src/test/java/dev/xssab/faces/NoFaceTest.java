package dev.xssab.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.ReasonCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The real detector on images without a face, and on pre-aligned input of the wrong size. */
class NoFaceTest {
    @Test
    void aSceneWithoutAFaceIsRejectedWithNoFace() throws Exception {
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                img.setRGB(x, y, ((x * 255 / 400) << 16) | ((y * 255 / 300) << 8) | 90);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", jpeg);
        try (FacePreprocessor pre = FacePreprocessor.standalone(ModelStore.fromEnvironment(), RecognitionModelSpec.frFeature(),
                DecodeLimits.DEFAULT)) {
            PreprocessingException e = assertThrows(PreprocessingException.class, () -> pre.preprocess(jpeg.toByteArray()));
            assertEquals(ReasonCode.NO_FACE, e.reason());
            PreprocessingException wrongSize = assertThrows(PreprocessingException.class,
                    () -> pre.preprocessAligned(jpeg.toByteArray()));
            assertEquals(ReasonCode.ALIGNED_SIZE_MISMATCH, wrongSize.reason());
        }
    }
}
