package dev.xssab.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.faces.AlignedFace;
import dev.xssab.faces.FaceModels;
import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.PreprocessingException;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.ModelCatalog;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.RgbImage;
import dev.xssab.testkit.SharedData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The gateway's aligner on a real shared photo, for the model a request names. */
class FacePairAlignerTest {
    private static final RecognitionModelSpec SPEC = RecognitionModelSpec.frFeature();

    /**
     * One gateway, the face-api model's own chip: 150x150 from the dlib points (eye corners and
     * nose base), which land on dlib's template; an aligned crop is checked against the named
     * model's size; an unknown model is refused by name.
     */
    @Test
    void theGatewayAlignsForTheModelARequestNames() throws Exception {
        Path dir = SharedData.deepface();
        byte[] photo = Files.readAllBytes(dir.resolve("img1.jpg"));
        RecognitionModelSpec resnet = ModelCatalog.byId("faceapi_resnet");
        try (FaceModels models = FaceModels.load(ModelStore.fromEnvironment(), SPEC, DecodeLimits.DEFAULT,
                FacePreprocessor.StepTimer.NONE); var aligner = new FacePairAligner(models)) {
            var chip = aligner.align(photo, false, "faceapi_resnet");
            assertEquals(150, chip.getWidth());
            assertEquals(150, chip.getHeight());
            AlignedFace face = models.forCurrentThread().preprocess(photo, resnet);
            for (int p = 0; p < 5; p++) {
                double dist = Math.hypot(face.alignedPoints()[p][0] - resnet.template()[p][0],
                        face.alignedPoints()[p][1] - resnet.template()[p][1]);
                assertTrue(dist <= 4.0, "dlib point " + p + " lands " + dist + " px from dlib's template");
            }
            assertEquals(112, aligner.align(photo, false, null).getWidth(), "no model named: the default's 112 crop");
            byte[] crop112 = javaPng(models.forCurrentThread().preprocess(photo).image());
            var mismatch = assertThrows(PreprocessingException.class,
                    () -> aligner.align(crop112, true, "faceapi_resnet"));
            assertEquals(ReasonCode.ALIGNED_SIZE_MISMATCH, mismatch.reason());
            assertTrue(mismatch.getMessage().contains("150x150") && mismatch.getMessage().contains("112x112"), mismatch.getMessage());
            var unknown = assertThrows(PreprocessingException.class,
                    () -> aligner.align(photo, false, "nope"));
            assertEquals(ReasonCode.UNKNOWN_MODEL, unknown.reason());
            assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());
        }
    }

    private static byte[] javaPng(RgbImage image) throws IOException {
        BufferedImage b = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                b.setRGB(x, y, image.get(x, y, 0) << 16 | image.get(x, y, 1) << 8 | image.get(x, y, 2));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(b, "png", out);
        return out.toByteArray();
    }
}
