package dev.xssab.render;

import dev.xssab.schemas.RgbImage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes the pictures of one explained pair: per image, the positive, negative and combined maps
 * and their overlays on the aligned face, plus one panel with everything and the decision.
 *
 * <p>Positive and negative maps of one image share a scale (so their intensities compare); the
 * combined map is symmetric around 0 with its own largest magnitude at the ends.
 */
public final class ExplanationPictures {
    private static final int TILE = 224;

    private ExplanationPictures() {}

    /** Writes every PNG into {@code dir}; returns name to path. */
    public static Map<String, Path> write(Path dir, RgbImage probe, RgbImage reference, PairExplanation e,
            String modelId) throws IOException {
        Files.createDirectories(dir);
        Map<String, Path> written = new LinkedHashMap<>();
        Map<String, BufferedImage> probeTiles = tiles(probe, e.probeMaps());
        Map<String, BufferedImage> referenceTiles = tiles(reference, e.referenceMaps());
        for (var entry : probeTiles.entrySet()) {
            written.put("probe_" + entry.getKey(), save(dir, "probe_" + entry.getKey(), entry.getValue()));
        }
        for (var entry : referenceTiles.entrySet()) {
            written.put("reference_" + entry.getKey(), save(dir, "reference_" + entry.getKey(), entry.getValue()));
        }
        written.put("panel", save(dir, "panel", panel(probeTiles, referenceTiles, e, modelId)));
        return written;
    }

    /** The pictures of one face and its maps: face, positive, negative, combined and their overlays. */
    public static Map<String, BufferedImage> tiles(RgbImage face, ArgumentMaps maps) {
        int w = maps.width();
        int h = maps.height();
        double shared = Heatmaps.max(maps.positive(), maps.negative());
        float[] combined = maps.combined();
        BufferedImage pos = Heatmaps.sequential(maps.positive(), w, h, shared, Colormap.GREENS);
        BufferedImage neg = Heatmaps.sequential(maps.negative(), w, h, shared, Colormap.REDS);
        double combinedMax = Heatmaps.max(combined);
        BufferedImage comb = Heatmaps.diverging(combined, w, h, combinedMax);
        Map<String, BufferedImage> t = new LinkedHashMap<>();
        t.put("face", Heatmaps.face(face));
        t.put("positive", pos);
        t.put("negative", neg);
        t.put("combined", comb);
        t.put("positive_overlay", Heatmaps.overlay(pos, maps.positive(), shared, face));
        t.put("negative_overlay", Heatmaps.overlay(neg, maps.negative(), shared, face));
        t.put("combined_overlay", Heatmaps.overlay(comb, combined, combinedMax, face));
        return t;
    }

    static BufferedImage panel(Map<String, BufferedImage> probe, Map<String, BufferedImage> reference,
            PairExplanation e, String modelId) {
        List<String> columns = new ArrayList<>(probe.keySet());
        int pad = 8;
        int header = 74;
        int rowLabel = 26;
        int width = pad + columns.size() * (TILE + pad);
        int height = header + 2 * (rowLabel + TILE + pad) + 40;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            boolean match = e.decision().name().equals("MATCH");
            g.setColor(match ? new Color(0x1a9850) : new Color(0xd73027));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 26));
            g.drawString(e.decision().name(), pad, 32);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
            g.drawString(String.format(Locale.ROOT, "score %.4f   threshold %.4f   model %s", e.cosine(), e.threshold(),
                    modelId), pad + 170, 32);
            g.drawString(String.format(Locale.ROOT,
                    "probe vs reference: s+ %.4f  s- %.4f      reference vs probe: s+ %.4f  s- %.4f",
                    e.probeMaps().sPlus(), e.probeMaps().sMinus(), e.referenceMaps().sPlus(),
                    e.referenceMaps().sMinus()), pad, 60);
            int y = header;
            for (var row : List.of(Map.entry("probe (image 1)", probe), Map.entry("reference (image 2)", reference))) {
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
                g.drawString(row.getKey(), pad, y + 18);
                int x = pad;
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
                for (String col : columns) {
                    g.drawImage(row.getValue().get(col), x, y + rowLabel, TILE, TILE, null);
                    if (row.getKey().startsWith("probe")) {
                        g.setColor(Color.DARK_GRAY);
                        String label = col.replace('_', ' ');
                        int labelX = x + (TILE - g.getFontMetrics().stringWidth(label)) / 2;
                        g.drawString(label, Math.max(x + (col.equals("face") ? 140 : 0), labelX), y + 18);
                        g.setColor(Color.BLACK);
                    }
                    x += TILE + pad;
                }
                y += rowLabel + TILE + pad;
            }
            legend(g, pad, y + 6, width - 2 * pad);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Colour keys: greens = for "same person", reds = against, combined diverging around 0. */
    private static void legend(Graphics2D g, int x, int y, int width) {
        int barW = 160;
        int barH = 12;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        Object[][] keys = {
            {Colormap.GREENS, "positive: for same person"},
            {Colormap.REDS, "negative: against"},
            {Colormap.RD_YL_GN, "combined: against (red) .. for (green)"},
        };
        int cx = x;
        for (Object[] key : keys) {
            Colormap cmap = (Colormap) key[0];
            for (int i = 0; i < barW; i++) {
                g.setColor(new Color(cmap.rgb(i / (double) (barW - 1))));
                g.drawLine(cx + i, y, cx + i, y + barH);
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawRect(cx, y, barW, barH);
            g.setColor(Color.BLACK);
            g.drawString((String) key[1], cx + barW + 6, y + barH);
            cx += barW + 20 + g.getFontMetrics().stringWidth((String) key[1]) + 20;
            if (cx > x + width) {
                break;
            }
        }
    }

    private static Path save(Path dir, String name, BufferedImage img) throws IOException {
        Path p = dir.resolve(name + ".png");
        ImageIO.write(img, "png", p.toFile());
        return p;
    }
}
