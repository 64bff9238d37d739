package dev.xssab.evaluator.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** A white, antialiased RGB image to draw a report's plot on, with its title already written. */
record PlotCanvas(BufferedImage image, Graphics2D g) {
    static PlotCanvas white(int width, int height, String title, int titleX) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, titleX, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return new PlotCanvas(img, g);
    }
}
