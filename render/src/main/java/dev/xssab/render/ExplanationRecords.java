package dev.xssab.render;

import dev.xssab.schemas.Float16;
import dev.xssab.schemas.RgbImage;
import dev.xssab.schemas.avro.DirectionMaps;
import dev.xssab.schemas.avro.Explanation;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Draws a stored or streamed Explanation record: the same panel and files as {@code xssab
 * explain}, or one side's pictures in memory (the UI).
 */
public final class ExplanationRecords {
    private ExplanationRecords() {}

    public static Map<String, Path> render(Explanation x, Path dir) throws IOException {
        RgbImage probe = new RgbImage(x.getWidth(), x.getHeight(), bytes(x.getProbeFace()));
        RgbImage reference = new RgbImage(x.getWidth(), x.getHeight(), bytes(x.getReferenceFace()));
        PairExplanation e = new PairExplanation(x.getScore(), x.getThreshold(), maps(x.getProbe(), x),
                maps(x.getReference(), x));
        return ExplanationPictures.write(dir, probe, reference, e, x.getModelId());
    }

    /**
     * One side's pictures: face, positive, negative, combined and the three overlays, by name.
     *
     * @param probe the probe's side, else the reference's
     */
    public static Map<String, BufferedImage> tiles(Explanation x, boolean probe) {
        RgbImage face = new RgbImage(x.getWidth(), x.getHeight(), bytes(probe ? x.getProbeFace() : x.getReferenceFace()));
        return ExplanationPictures.tiles(face, maps(probe ? x.getProbe() : x.getReference(), x));
    }

    private static ArgumentMaps maps(DirectionMaps m, Explanation x) {
        return new ArgumentMaps(m.getSPlus(), m.getSMinus(), x.getWidth(), x.getHeight(),
                Float16.decode(bytes(m.getPositive())), Float16.decode(bytes(m.getNegative())));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
