package dev.xssab.gateway.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.gateway.PreprocessingException;
import dev.xssab.gateway.image.DecodeLimits;
import dev.xssab.gateway.stream.FacePairAligner;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real detector and landmark models on the 25 shared deepface photos, for each model's template. */
class AlignmentTest {
    private static FacePreprocessor preprocessor;
    private static final RecognitionModelSpec SPEC = RecognitionModelSpec.frFeature();

    @BeforeAll
    static void load() {
        preprocessor = FacePreprocessor.standalone(ModelStore.fromEnvironment(), SPEC, DecodeLimits.DEFAULT);
    }

    @AfterAll
    static void close() {
        preprocessor.close();
    }

    @Test
    void everySharedPhotoHasOneFaceWhoseEyesLandOnTheTemplate() throws Exception {
        Path dir = SharedData.deepface();
        double worstEye = 0;
        for (int i = 1; i <= 25; i++) {
            byte[] bytes = Files.readAllBytes(dir.resolve("img" + i + ".jpg"));
            AlignedFace face = preprocessor.preprocess(bytes);
            assertEquals(SPEC.width(), face.image().width());
            assertEquals(SPEC.height(), face.image().height());
            assertTrue(face.box().score() > 0.9, "img" + i + " detection score " + face.box().score());
            for (int eye = 0; eye < 2; eye++) {
                double dx = face.alignedPoints()[eye][0] - SPEC.template()[eye][0];
                double dy = face.alignedPoints()[eye][1] - SPEC.template()[eye][1];
                double dist = Math.hypot(dx, dy);
                worstEye = Math.max(worstEye, dist);
                assertTrue(dist <= 3.0, "img" + i + " eye " + eye + " lands " + dist + " px from the template");
            }
            System.out.printf("img%d box=%.0fx%.0f score=%.3f fit=%.2f px%n", i, face.box().width(),
                    face.box().height(), face.box().score(), face.fitErrorPx());
        }
        System.out.printf("worst eye distance %.2f px%n", worstEye);
    }

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
