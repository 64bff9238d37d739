package dev.xssab.evaluator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.evaluator.LabelledScores;
import dev.xssab.evaluator.report.EvaluationReport.Cells;
import dev.xssab.schemas.avro.ErrorRates;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The report's rate plots, drawn once and written as PNG and SVG. Both strategies of a model get
 * the same rates here, as when neither changes the FMR: one colour per model then drew two
 * identical, overlapping curves and two identical legend entries.
 */
class RatePlotTest {
    @TempDir
    Path tmp;

    private static ErrorRates cell(String model, String variant, String strategy, int pct, double rate) {
        return ErrorRates.newBuilder().setRun("r").setModel(model).setDataset("csv").setVariant(variant).setStrategy(strategy)
                .setPercentage(pct).setThreshold(0.4).setGenuine(38).setFalseNonMatches(0).setImpostor(262).setFalseMatches(0)
                .setFmr(rate).setFnmr(rate).setUpdatedAtMs(Instant.EPOCH).build();
    }

    /** Two models, each with best_worst and random at the same rates. */
    private static Map<String, Cells> twoModels() {
        Map<String, Cells> byModel = new TreeMap<>();
        for (String m : List.of("fr_feature", "mobileface")) {
            Map<String, TreeMap<Integer, ErrorRates>> replaced = new TreeMap<>();
            for (String s : List.of("best_worst", "random")) {
                TreeMap<Integer, ErrorRates> curve = new TreeMap<>();
                for (int pct : new int[] {10, 50, 90}) {
                    curve.put(pct, cell(m, "replaced", s, pct, 0.3 - pct / 400.0));
                }
                replaced.put(s, curve);
            }
            byModel.put(m, new Cells(cell(m, "original", "none", 0, 0), cell(m, "patched", "none", 0, 0.3), replaced));
        }
        return byModel;
    }

    @Test
    void everyCurveHasItsOwnColourAndTheLegendShowsIt() {
        RatePlot plot = RatePlot.of("r", "FMR", twoModels(), ErrorRates::getFmr);
        List<RatePlot.Curve> curves = plot.curves();
        assertEquals(4, curves.size(), "a curve per model and strategy");
        assertEquals(4, curves.stream().map(RatePlot.Curve::colour).distinct().count(), "a colour per curve: " + curves);
        BufferedImage png = PlotFiles.png(plot);
        for (int i = 0; i < curves.size(); i++) {
            int swatch = png.getRGB(RatePlot.LEGEND_X + 3, RatePlot.LEGEND_Y + 18 * i) & 0xffffff;
            assertEquals(curves.get(i).colour().getRGB() & 0xffffff, swatch, "the legend shows the colour of " + curves.get(i).label());
        }
    }

    @Test
    void theSvgIsTheSameDrawingWithAColouredGroupPerCurve() throws Exception {
        EvaluationReport report = new EvaluationReport("r", twoModels());
        LabelledScores scores = new LabelledScores(new double[] {0.9, 0.7, 0.6, 0.2}, new boolean[] {true, false, true, false});
        report.write(tmp, Map.of("fr_feature", scores, "mobileface", scores));
        Set<String> written = new TreeSet<>();
        try (Stream<Path> files = Files.list(tmp)) {
            files.forEach(f -> written.add(f.getFileName().toString()));
        }
        Set<String> expected = new TreeSet<>(EvaluationReport.FILES);
        expected.addAll(EvaluationReport.DET_FILES);
        expected.add("table.txt");
        assertEquals(expected, written);
        RatePlot plot = RatePlot.of("r", "FNMR", twoModels(), ErrorRates::getFnmr);
        List<String> strokes = new ArrayList<>();
        NodeList groups = svg(tmp.resolve("fnmr.svg")).getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if ("curve".equals(g.getAttribute("class"))) {
                RatePlot.Curve c = plot.curves().get(strokes.size());
                assertEquals(c.model(), g.getAttribute("data-model"));
                assertEquals(c.strategy(), g.getAttribute("data-strategy"));
                strokes.add(((Element) g.getElementsByTagName("g").item(0)).getAttribute("stroke"));
                assertEquals(rgb(c.colour()), strokes.get(strokes.size() - 1), c.label());
                assertTrue(g.getTextContent().contains(c.label()), "its legend entry is in its group: " + c.label());
            }
        }
        assertEquals(4, strokes.stream().distinct().count(), "a stroke colour per curve: " + strokes);
        assertEquals(ImageIO.read(tmp.resolve("fnmr.png").toFile()).getWidth(), Integer.parseInt(
                svg(tmp.resolve("fnmr.svg")).getDocumentElement().getAttribute("width")), "one size for both files");
    }

    static Document svg(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // The SVG names the W3C's DTD; reading it would go to the network.
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    static String rgb(Color c) {
        return "rgb(" + c.getRed() + "," + c.getGreen() + "," + c.getBlue() + ")";
    }
}
