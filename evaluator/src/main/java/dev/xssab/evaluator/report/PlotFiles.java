package dev.xssab.evaluator.report;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.batik.dom.GenericDOMImplementation;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.apache.batik.util.SVGConstants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A report's plot is drawn once, on a Graphics2D, and written twice from that one drawing: as PNG
 * (Java2D on an image) and as SVG (Batik's SVG Graphics2D), so the two files cannot disagree.
 */
final class PlotFiles {
    /** A plot: its size and its one drawing. */
    interface Plot {
        int width();

        int height();

        void draw(Graphics2D g);
    }

    /** Matplotlib's tab10: one colour per curve, distinct up to ten curves. */
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private PlotFiles() {}

    /** The colour of the i-th curve of a plot. */
    static Color colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    /** Writes {@code name.png} and {@code name.svg} into {@code dir}; returns the two paths. */
    static List<Path> write(Path dir, String name, Plot plot) throws IOException {
        Files.createDirectories(dir);
        Path png = dir.resolve(name + ".png");
        ImageIO.write(png(plot), "png", png.toFile());
        Path svg = dir.resolve(name + ".svg");
        Files.writeString(svg, svg(plot));
        return List.of(png, svg);
    }

    static BufferedImage png(Plot plot) {
        BufferedImage img = new BufferedImage(plot.width(), plot.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            plot.draw(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    static String svg(Plot plot) throws IOException {
        Document doc = GenericDOMImplementation.getDOMImplementation().createDocument(SVGConstants.SVG_NAMESPACE_URI,
                SVGConstants.SVG_SVG_TAG, null);
        SVGGeneratorContext context = SVGGeneratorContext.createDefault(doc);
        context.setComment(null);
        SVGGraphics2D g = new SVGGraphics2D(context, false);
        g.setSVGCanvasSize(new Dimension(plot.width(), plot.height()));
        plot.draw(g);
        StringWriter out = new StringWriter();
        // Presentation attributes (stroke="...") rather than CSS: the files stay easy to search.
        g.stream(out, false);
        return out.toString();
    }

    /** White, antialiased, the title in bold at the top left; leaves the plain 12 px font and black selected. */
    static void begin(Graphics2D g, int width, int height, String title, int titleX) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, titleX, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }

    /**
     * Runs {@code drawing}; in an SVG its elements go into one group carrying the attributes
     * (which curve it is, for readers of the file), in a PNG nothing changes.
     *
     * @param namesAndValues attribute name, value, name, value...
     */
    static void tagged(Graphics2D g, Runnable drawing, String... namesAndValues) {
        if (!(g instanceof SVGGraphics2D svg)) {
            drawing.run();
            return;
        }
        Element outer = svg.getTopLevelGroup(false);
        drawing.run();
        Element group = svg.getTopLevelGroup(false);
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            group.setAttribute(namesAndValues[i], namesAndValues[i + 1]);
        }
        outer.appendChild(group);
        svg.setTopLevelGroup(outer);
    }
}
