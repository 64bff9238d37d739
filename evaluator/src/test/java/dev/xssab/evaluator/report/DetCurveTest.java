package dev.xssab.evaluator.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.evaluator.LabelledScores;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** DET points worked out by hand, and the files drawn from them. */
class DetCurveTest {
    @TempDir
    Path tmp;

    /**
     * Genuine 0.9, 0.6; impostor 0.7, 0.2. Accepting score >= t:
     * t=0.2: FMR 2/2, FNMR 0; t=0.6: FMR 1/2, FNMR 0; t=0.7: FMR 1/2, FNMR 1/2;
     * t=0.9: FMR 0, FNMR 1/2; and accepting nothing: FMR 0, FNMR 1.
     */
    @Test
    void pointsPerThresholdAsWorkedOutByHand() throws Exception {
        LabelledScores data = new LabelledScores(new double[] {0.9, 0.7, 0.6, 0.2}, new boolean[] {true, false, true, false});
        DetCurve.Series c = DetCurve.of("m", data);
        assertArrayEquals(new double[] {1, 0.5, 0.5, 0, 0}, c.fmr(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1}, c.fnmr(), 1e-12);
        assertEquals(0.1, DetCurve.floor(List.of(c)), 1e-12, "half of 1/2 rounded down to a decade");
        List<Path> files = DetCurve.write(tmp, "det", "DET", List.of(c, DetCurve.of("n", data)));
        assertEquals(List.of(tmp.resolve("det.png"), tmp.resolve("det.svg")), files);
        String svg = Files.readString(files.get(1));
        assertTrue(svg.contains("data-model=\"m\"") && svg.contains("data-model=\"n\""), "one curve per model");
        assertTrue(svg.contains("a rate of 0 is drawn at 1e-1"), "the caption says where zeros go");
    }

    /** Two models with the very same scores: their curves coincide, their colours must not, in the PNG's legend and the SVG. */
    @Test
    void coincidingCurvesKeepTheirOwnColours() throws Exception {
        LabelledScores data = new LabelledScores(new double[] {0.9, 0.7, 0.6, 0.2}, new boolean[] {true, false, true, false});
        List<Path> files = DetCurve.write(tmp, "det", "DET", List.of(DetCurve.of("m", data), DetCurve.of("n", data)));
        BufferedImage png = ImageIO.read(files.get(0).toFile());
        assertEquals(640, png.getWidth());
        int first = png.getRGB(DetPlot.LEGEND_X + 3, DetPlot.LEGEND_Y) & 0xffffff;
        int second = png.getRGB(DetPlot.LEGEND_X + 3, DetPlot.LEGEND_Y + 18) & 0xffffff;
        assertEquals(PlotFiles.colour(0).getRGB() & 0xffffff, first, "the legend shows the first curve's colour");
        assertEquals(PlotFiles.colour(1).getRGB() & 0xffffff, second, "the legend shows the second curve's colour");
        assertNotEquals(first, second);
        NodeList groups = RatePlotTest.svg(files.get(1)).getElementsByTagName("g");
        int tagged = 0;
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if ("det".equals(g.getAttribute("class"))) {
                String stroke = ((Element) g.getElementsByTagName("g").item(0)).getAttribute("stroke");
                assertEquals(RatePlotTest.rgb(PlotFiles.colour(tagged++)), stroke, g.getAttribute("data-model"));
            }
        }
        assertEquals(2, tagged);
    }
}
