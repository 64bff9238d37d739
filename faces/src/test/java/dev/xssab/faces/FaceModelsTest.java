package dev.xssab.faces;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import org.junit.jupiter.api.Test;

/** The gateway's "models" readiness: fine while the face models are loaded, a problem once they are closed. */
class FaceModelsTest {
    @Test
    void closedFaceModelsAreAProblem() {
        FaceModels models = FaceModels.load(ModelStore.fromEnvironment(), RecognitionModelSpec.frFeature(),
                DecodeLimits.DEFAULT, FacePreprocessor.StepTimer.NONE);
        try {
            assertNull(models.problem(), "loaded face models are ready");
        } finally {
            models.close();
        }
        assertNotNull(models.problem(), "closed face models are not");
    }
}
