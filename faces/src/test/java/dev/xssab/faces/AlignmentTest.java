package dev.xssab.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.testkit.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
