package dev.xssab.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationTest {
    @Test
    void separableScoresGiveZeroErrorAtTheLowestGenuineScore() {
        double[] scores = {0.9, 0.7, 0.5, 0.3, 0.2, 0.1};
        boolean[] genuine = {true, true, true, false, false, false};
        Calibration c = Calibration.fromScores(scores, genuine);
        // sklearn's roc_curve reaches TPR=1, FPR=0 first at the lowest genuine score.
        assertEquals(0.5, c.threshold(), 0);
        assertEquals(0, c.fmr(), 0);
        assertEquals(0, c.fnmr(), 0);
        assertEquals(1, c.accuracy(), 0);
    }

    @Test
    void overlappingScoresBalanceTheTwoErrors() {
        // Genuine 0.8 0.6 0.4 0.35; impostor 0.5 0.3 0.2 0.1. Hand-computed: at t=0.4, TAR 3/4, FAR 1/4,
        // |1-TAR-FAR| = 0, the first (highest) such threshold.
        double[] scores = {0.8, 0.6, 0.4, 0.35, 0.5, 0.3, 0.2, 0.1};
        boolean[] genuine = {true, true, true, true, false, false, false, false};
        Calibration c = Calibration.fromScores(scores, genuine);
        assertEquals(0.4, c.threshold(), 0);
        assertEquals(0.25, c.fmr(), 1e-12);
        assertEquals(0.25, c.fnmr(), 1e-12);
        assertEquals(0.25, c.eer(), 1e-12);
        assertEquals(0.75, c.accuracy(), 1e-12);
        assertEquals(0.4, Calibration.fromScores(new double[] {0.4000004, 0.1}, new boolean[] {true, false})
                .decisionThreshold(), 0, "rounded down to 1e-6");
    }

    @Test
    void oneClassOnlyIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Calibration.fromScores(new double[] {0.1, 0.2}, new boolean[] {true, true}));
    }

    @Test
    void readsTheDeepfaceCsvFormat(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("pairs.csv");
        Files.writeString(csv, "file_x,file_y,Decision\nimg1.jpg,img2.jpg,Yes\nimg1.jpg,img3.jpg,No\n\n");
        List<LabelledPair> pairs = PairsCsv.read(csv);
        assertEquals(List.of(new LabelledPair("img1.jpg", "img2.jpg", true), new LabelledPair("img1.jpg", "img3.jpg", false)),
                pairs);
        Files.writeString(csv, "a,b\nx,y\n");
        assertThrows(IllegalArgumentException.class, () -> PairsCsv.read(csv));
    }
}
