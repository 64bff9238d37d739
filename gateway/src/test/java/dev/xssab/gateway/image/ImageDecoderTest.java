package dev.xssab.gateway.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.xssab.gateway.PreprocessingException;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Hostile and unusual inputs: each gets its documented reason code, quickly, without a crash. */
class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);

    static byte[] encode(BufferedImage img, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IllegalStateException("no writer for " + format);
        }
        return out.toByteArray();
    }

    static BufferedImage gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 255 / w) << 16) | ((y * 255 / h) << 8) | 128);
            }
        }
        return img;
    }

    private ReasonCode reasonFor(byte[] bytes) {
        PreprocessingException e = assertThrows(PreprocessingException.class,
                () -> assertTimeoutPreemptively(Duration.ofSeconds(30), () -> decoder.decode(bytes)));
        return e.reason();
    }

    @Test
    void emptyInput() {
        assertEquals(ReasonCode.EMPTY_IMAGE, reasonFor(new byte[0]));
    }

    @Test
    void textIsNotAnImage() {
        assertEquals(ReasonCode.UNDECODABLE_IMAGE, reasonFor("hello, I am not a face\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void truncatedJpegIsRefusedNotHalfDecoded() throws Exception {
        byte[] jpeg = encode(gradient(640, 480), "jpg");
        assertEquals(ReasonCode.UNDECODABLE_IMAGE, reasonFor(Arrays.copyOf(jpeg, jpeg.length / 2)));
    }

    @Test
    void onePixelImageIsTooSmall() throws Exception {
        assertEquals(ReasonCode.IMAGE_TOO_SMALL, reasonFor(encode(gradient(1, 1), "png")));
    }

    @Test
    void tooManyBytes() throws Exception {
        ImageDecoder strict = new ImageDecoder(new DecodeLimits(1000, 40_000_000L, 16));
        byte[] png = encode(gradient(200, 200), "png");
        PreprocessingException e = assertThrows(PreprocessingException.class, () -> strict.decode(png));
        assertEquals(ReasonCode.IMAGE_TOO_MANY_BYTES, e.reason());
    }

    /**
     * A 60-megapixel PNG whose header is real but whose pixel data is absent: a decoder that
     * allocated before checking would need 180 MB; this one must refuse from the header.
     */
    @Test
    void sixtyMegapixelsIsRefusedFromTheHeader() throws Exception {
        byte[] png = encode(gradient(16, 16), "png");
        ByteBuffer b = ByteBuffer.wrap(png);
        // IHDR starts at byte 8: length(4) "IHDR"(4) width(4) height(4) ...; CRC after 13 data bytes.
        b.putInt(16, 10_000);
        b.putInt(20, 6_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        b.putInt(29, (int) crc.getValue());
        assertEquals(ReasonCode.IMAGE_TOO_MANY_PIXELS, reasonFor(png));
    }

    @Test
    void greyAndPalettePngsBecomeRgb() throws Exception {
        BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(3, 4, 0, 200);
        RgbImage g = decoder.decode(encode(grey, "png"));
        assertEquals(200, g.get(3, 4, 0));
        assertEquals(200, g.get(3, 4, 1));
        assertEquals(200, g.get(3, 4, 2));

        byte[] r = {(byte) 255, 0};
        byte[] gr = {0, (byte) 255};
        byte[] bl = {0, 0};
        BufferedImage palette = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(1, 2, r, gr, bl));
        palette.getRaster().setSample(5, 6, 0, 1);
        RgbImage p = decoder.decode(encode(palette, "png"));
        assertArrayEquals(new int[] {0, 255, 0}, new int[] {p.get(5, 6, 0), p.get(5, 6, 1), p.get(5, 6, 2)});
        assertArrayEquals(new int[] {255, 0, 0}, new int[] {p.get(0, 0, 0), p.get(0, 0, 1), p.get(0, 0, 2)});

        RgbImage bmp = decoder.decode(encode(gradient(40, 30), "bmp"));
        assertEquals(40, bmp.width());
        assertEquals(30, bmp.height());
    }

    @Test
    void exifOrientationsMakeTheImageUpright() {
        // A 3x2 image whose pixel values are their index; each orientation is checked by where
        // the top-left stored pixel (0) and the top-right stored pixel (2) end up.
        byte[] rgb = new byte[18];
        for (int i = 0; i < 6; i++) {
            Arrays.fill(rgb, i * 3, i * 3 + 3, (byte) i);
        }
        RgbImage stored = new RgbImage(3, 2, rgb);
        int[][] expected = {
            // orientation: width, height, value at (0,0), value at (w-1,0)
            {1, 3, 2, 0, 2}, {2, 3, 2, 2, 0}, {3, 3, 2, 5, 3}, {4, 3, 2, 3, 5},
            {5, 2, 3, 0, 3}, {6, 2, 3, 3, 0}, {7, 2, 3, 5, 2}, {8, 2, 3, 2, 5},
        };
        for (int[] e : expected) {
            RgbImage up = ImageDecoder.applyOrientation(stored, e[0]);
            assertEquals(e[1], up.width(), "orientation " + e[0]);
            assertEquals(e[2], up.height(), "orientation " + e[0]);
            assertEquals(e[3], up.get(0, 0, 0), "orientation " + e[0] + " top-left");
            assertEquals(e[4], up.get(up.width() - 1, 0, 0), "orientation " + e[0] + " top-right");
        }
    }
}
