package dev.xssab.explainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.faces.AlignedFace;
import dev.xssab.faces.Detection;
import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.faces.image.ImageDecoder;
import dev.xssab.faces.image.ImageOps;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import dev.xssab.testkit.SharedData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Small grey enrolment crops, as access systems store them: each shared photo cropped to its
 * detected face box, resized to 150x150 and made grey. Each must still be found and aligned, and
 * stay the same person as the full photo.
 */
class TightCropTest {
    private static final RecognitionModelSpec SPEC = RecognitionModelSpec.frFeature();

    @Test
    void greyFaceCropsAreFoundAlignedAndStillTheSamePerson() throws Exception {
        Path dir = SharedData.deepface();
        ModelStore store = ModelStore.fromEnvironment();
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        double threshold = SPEC.defaultThreshold();
        double worst = 1;
        try (FacePreprocessor pre = FacePreprocessor.standalone(store, SPEC, DecodeLimits.DEFAULT);
                OrtScorer scorer = new OrtScorer(SPEC, store, 0)) {
            for (int i = 1; i <= 25; i++) {
                byte[] bytes = Files.readAllBytes(dir.resolve("img" + i + ".jpg"));
                AlignedFace full = pre.preprocess(bytes);
                Detection box = full.box();
                RgbImage photo = decoder.decode(bytes);
                RgbImage crop = ImageOps.cropPadded(photo, Math.round(box.x1()), Math.round(box.y1()),
                        Math.round(box.width()), Math.round(box.height()));
                byte[] enrolment = greyPng(ImageOps.resize(crop, 150, 150));

                AlignedFace fromCrop = pre.preprocess(enrolment);
                double cos = scorer.score(List.of(new FacePair(full.image(), fromCrop.image())))[0];
                worst = Math.min(worst, cos);
                System.out.printf("img%d: crop aligned with fit %.2f px, cosine to full photo %.3f%n", i,
                        fromCrop.fitErrorPx(), cos);
                assertTrue(cos >= threshold, "img" + i + ": grey crop scores " + cos + " against its own photo");
            }
        }
        System.out.printf("lowest crop-to-photo cosine %.3f (threshold %.3f)%n", worst, threshold);
    }

    private static byte[] greyPng(RgbImage img) throws Exception {
        BufferedImage grey = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_BYTE_GRAY);
        float[] luma = img.toGrey();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                grey.getRaster().setSample(x, y, 0, Math.round(luma[y * img.width() + x]));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", out);
        return out.toByteArray();
    }
}
