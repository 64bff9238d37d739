package dev.xssab.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        Calibration c = Calibration.fromScores(scores, genuine, Calibration.EerMode.ALL_SCORES);
        assertEquals(0.4, c.threshold(), 0);
        assertEquals(0.25, c.fmr(), 1e-12);
        assertEquals(0.25, c.fnmr(), 1e-12);
        assertEquals(0.25, c.eer(), 1e-12);
        assertEquals(0.75, c.accuracy(), 1e-12);
        assertEquals(0.4, Calibration.fromScores(new double[] {0.4000004, 0.1}, new boolean[] {true, false})
                .decisionThreshold(), 0, "rounded down to 1e-6");
    }

    /**
     * The same scores under the reference's rule, worked out by hand. Highest first, the distinct
     * scores 0.8 .6 .5 .4 .35 .3 .2 .1 have (tp, fp) (1,0) (2,0) (2,1) (3,1) (4,1) (4,2) (4,3) (4,4);
     * second differences keep the corners 0.8, 0.6, 0.5, 0.35, 0.1 (0.4, 0.3 and 0.2 lie on straight
     * runs). |FNR - FPR| there: .75, .5, .25, .25, 1. The first minimum is 0.5, not 0.4.
     */
    @Test
    void theReferenceRuleTakesOnlyTheRocCorners() {
        double[] scores = {0.8, 0.6, 0.4, 0.35, 0.5, 0.3, 0.2, 0.1};
        boolean[] genuine = {true, true, true, true, false, false, false, false};
        assertArrayEquals(new double[] {0.1, 0.35, 0.5, 0.6, 0.8}, Calibration.cornerPoints(scores, genuine), 0);
        Calibration c = Calibration.fromScores(scores, genuine);
        assertEquals(0.5, c.threshold(), 0, "the reference's EER threshold");
        assertEquals(0.25, c.fmr(), 1e-12);
        assertEquals(0.5, c.fnmr(), 1e-12);
        // Ties in scores: a genuine and an impostor at 0.6 form one point; the corners still bound it.
        double[] tied = {0.9, 0.6, 0.6, 0.2};
        boolean[] labels = {true, true, false, false};
        assertArrayEquals(new double[] {0.2, 0.6, 0.9}, Calibration.cornerPoints(tied, labels), 0);
        assertEquals(0.9, Calibration.fromScores(tied, labels).threshold(), 0, "|.5-0| = .5 first, at 0.9; 0.6 gives |0-.5|");
    }

    /** 250 impostors: FMR 0.01 allows 2 false matches, so t lies just above the third-highest impostor score. */
    @Test
    void aTargetFmrPicksTheLowestThresholdThatMeetsIt() {
        int n = 250;
        double[] scores = new double[n + 100];
        boolean[] genuine = new boolean[n + 100];
        for (int i = 0; i < n; i++) {
            scores[i] = i / 1000.0; // impostors 0.000 .. 0.249
        }
        for (int i = 0; i < 100; i++) {
            scores[n + i] = 0.15 + i / 200.0; // genuine 0.150 .. 0.645
            genuine[n + i] = true;
        }
        OperatingPoint p = OperatingPoint.atTargetFmr(scores, genuine, 0.01, 1000, 7);
        assertEquals(0.247001, p.threshold(), 1e-12, "just above 0.247, the third-highest impostor, rounded up to 1e-6");
        assertEquals(2.0 / 250, p.fmr(), 1e-12);
        assertEquals(20.0 / 100, p.fnmr(), 1e-12, "genuine 0.150 .. 0.245 fall below");
        assertTrue(p.fmrCi()[0] <= p.fmr() && p.fmr() <= p.fmrCi()[1]);
        assertTrue(p.fnmrCi()[0] <= p.fnmr() && p.fnmr() <= p.fnmrCi()[1]);
        assertEquals(p.fmrCi()[1], OperatingPoint.atTargetFmr(scores, genuine, 0.01, 1000, 7).fmrCi()[1], 0, "seeded");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> OperatingPoint.atTargetFmr(scores, genuine, 1e-6, 1000, 7));
        assertTrue(refused.getMessage().contains("2302586 impostor pairs") && refused.getMessage().contains("have 250"),
                refused.getMessage());
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
