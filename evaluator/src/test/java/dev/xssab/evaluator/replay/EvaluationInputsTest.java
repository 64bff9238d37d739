package dev.xssab.evaluator.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.evaluator.dataset.Dataset;
import dev.xssab.evaluator.dataset.DatasetLoader;
import dev.xssab.models.ModelCatalog;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pre-aligned datasets skip detection and keep their pixels; a wrong size is an error, not a
 * resize; a Patch-LFW on disk is replayed as it is. The crops are noise on purpose: with
 * detection skipped no face is needed, and a detector would find none in them.
 */
class EvaluationInputsTest {
    @TempDir
    Path tmp;

    private static final RecognitionModelSpec FR = ModelCatalog.byId("fr_feature");

    private static RgbImage noise(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }

    private void write(Path file, RgbImage image) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, EvaluationInputs.png(image));
    }

    @Test
    void alignedCropsAreTakenAsTheyAreWithoutDetection() throws Exception {
        Path dir = tmp.resolve("aligned");
        RgbImage a = noise(112, 112, 1);
        RgbImage b = noise(112, 112, 2);
        RgbImage c = noise(112, 112, 3);
        write(dir.resolve("a.png"), a);
        write(dir.resolve("b.png"), b);
        write(dir.resolve("c.png"), c);
        Files.writeString(dir.resolve("pairs.txt"), "a.png b.png 1\na.png c.png -1\n");
        Dataset data = DatasetLoader.load("aligned:" + dir);
        assertTrue(data.aligned());
        EvaluationInputs in = EvaluationInputs.prepare(data, FR, ModelStore.fromEnvironment(), 1, () -> { });
        assertEquals(2, in.pairs().size(), "noise has no face: had detection run, every image would be excluded");
        assertTrue(in.excluded().isEmpty());
        assertArrayEquals(a.rgb(), in.pairs().get(0).first().rgb(), "the crop's pixels, untouched");
        assertArrayEquals(c.rgb(), in.pairs().get(1).second().rgb());
    }

    @Test
    void anAlignedCropOfAnotherSizeIsAnErrorNamingFileAndSizes() throws Exception {
        Path dir = tmp.resolve("ref");
        write(dir.resolve("a.png"), noise(112, 112, 1));
        write(dir.resolve("b.png"), noise(150, 150, 2));
        Files.writeString(dir.resolve("pairs.txt"), "a.png b.png 1\n");
        Dataset data = DatasetLoader.load("ref:" + dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationInputs.prepare(data, FR, ModelStore.fromEnvironment(), 1, () -> { }));
        assertTrue(e.getMessage().contains("b.png") && e.getMessage().contains("150x150") && e.getMessage().contains("112x112"),
                e.getMessage());
    }

    @Test
    void aPatchLfwOnDiskIsReplayedAsItIs() throws Exception {
        Path dir = tmp.resolve("plfw");
        RgbImage a = noise(112, 112, 1);
        RgbImage b = noise(112, 112, 2);
        RgbImage patched = noise(112, 112, 9);
        write(dir.resolve("original/0.png"), a);
        write(dir.resolve("original/1.png"), b);
        write(dir.resolve("patched/0.png"), patched);
        Files.writeString(dir.resolve("pairs.txt"), "0.png 1.png -1\n");
        EvaluationInputs in = EvaluationInputs.prepare(DatasetLoader.load("patchlfw:" + dir), FR, ModelStore.fromEnvironment(), 1,
                () -> { });
        EvaluationInputs.PreparedPair p = in.pairs().get(0);
        assertArrayEquals(a.rgb(), p.first().rgb(), "image 1's original");
        assertArrayEquals(patched.rgb(), p.patched().image().rgb(), "the patched image 1 from disk, not patched again");
        assertTrue(p.patched().patches().isEmpty());
        // The same in LFW's own form, as the reference's script reads it: trees of Name/Name_NNNN, its pairs.txt.
        Path lfw = tmp.resolve("plfw-lfw");
        write(lfw.resolve("L/Ann_Bee/Ann_Bee_0001.png"), a);
        write(lfw.resolve("L/Ann_Bee/Ann_Bee_0002.png"), b);
        write(lfw.resolve("L/Cy_Dee/Cy_Dee_0001.png"), b);
        write(lfw.resolve("R/Ann_Bee/Ann_Bee_0001.png"), patched);
        Files.writeString(lfw.resolve("pairs.txt"), "1 1\nAnn_Bee 1 2\nAnn_Bee 1 Cy_Dee 1\n");
        EvaluationInputs fromLfw = EvaluationInputs.prepare(DatasetLoader.load("patchlfw:" + lfw), FR, ModelStore.fromEnvironment(), 1,
                () -> { });
        assertEquals(2, fromLfw.pairs().size());
        assertTrue(fromLfw.pairs().get(0).pair().genuine() && !fromLfw.pairs().get(1).pair().genuine());
        assertArrayEquals(patched.rgb(), fromLfw.pairs().get(1).patched().image().rgb());
        Files.delete(dir.resolve("patched/0.png"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DatasetLoader.load("patchlfw:" + dir));
        assertTrue(missing.getMessage().contains("no patched image"), missing.getMessage());
    }
}
