package dev.xssab.faces.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.xssab.faces.PreprocessingException;
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

    /**
     * A real JPEG with an EXIF orientation tag: 6 means "rotate 90 degrees clockwise to view". The
     * stored 40x20 image has its red corner at the top left; upright it is 20x40 with that corner
     * at the top right.
     */
    @Test
    void exifOrientationMakesTheImageUpright() throws Exception {
        BufferedImage stored = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                stored.setRGB(x, y, x < 10 && y < 10 ? 0xFF0000 : 0x0000FF);
            }
        }
        RgbImage plain = decoder.decode(encode(stored, "jpg"));
        assertEquals(40, plain.width());
        RgbImage up = decoder.decode(withExifOrientation(encode(stored, "jpg"), 6));
        assertEquals(20, up.width());
        assertEquals(40, up.height());
        assertTrue(up.get(up.width() - 2, 1, 0) > 200 && up.get(up.width() - 2, 1, 2) < 60, "red corner at the top right");
        assertTrue(up.get(1, 1, 0) < 60, "blue at the top left");
    }

    /** Inserts an APP1 Exif segment (big-endian TIFF, one IFD0 entry: Orientation) after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer exif = ByteBuffer.allocate(2 + 2 + 6 + 8 + 2 + 12 + 4);
        exif.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (exif.capacity() - 2));
        exif.put("Exif".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) 0);
        exif.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8); // TIFF header, IFD0 at 8
        exif.putShort((short) 1); // one entry
        exif.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        exif.putInt(0); // no next IFD
        byte[] out = new byte[jpeg.length + exif.capacity()];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(exif.array(), 0, out, 2, exif.capacity());
        System.arraycopy(jpeg, 2, out, 2 + exif.capacity(), jpeg.length - 2);
        return out;
    }

    @Test
    void sixteenBitAndAlphaPngsBecomeEightBitRgb() throws Exception {
        BufferedImage deep = new BufferedImage(32, 32, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(2, 3, 0, 0xFFFF);
        RgbImage d = decoder.decode(encode(deep, "png"));
        assertEquals(255, d.get(2, 3, 0));
        assertEquals(255, d.get(2, 3, 2));
        BufferedImage alpha = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
        alpha.setRGB(4, 5, 0xFF00FF00);
        RgbImage a = decoder.decode(encode(alpha, "png"));
        assertArrayEquals(new int[] {0, 255, 0}, new int[] {a.get(4, 5, 0), a.get(4, 5, 1), a.get(4, 5, 2)});
    }

    /** GIF, WebP and TIFF are refused by name, before decoding: docs/architecture.md promises JPEG, PNG and BMP only. */
    @Test
    void gifWebpAndTiffAreRefused() throws Exception {
        PreprocessingException gif = assertThrows(PreprocessingException.class, () -> decoder.decode(encode(gradient(32, 32), "gif")));
        assertEquals(ReasonCode.UNDECODABLE_IMAGE, gif.reason());
        assertTrue(gif.getMessage().contains("GIF"), gif.getMessage());
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII);
        assertTrue(assertThrows(PreprocessingException.class, () -> decoder.decode(webp)).getMessage().contains("WebP"));
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0};
        assertTrue(assertThrows(PreprocessingException.class, () -> decoder.decode(tiff)).getMessage().contains("TIFF"));
    }

    /** A JPEG decoded reduced keeps its longer side at or above what face work needs. */
    @Test
    void jpegsAreDecodedReducedButNoSmallerThanAsked() throws Exception {
        byte[] jpeg = encode(gradient(3000, 2000), "jpg");
        ImageDecoder.Decoded decoded = decoder.decodeAtLeast(jpeg, 1024);
        assertEquals(2, decoded.reduction());
        RgbImage reduced = decoded.image();
        assertEquals(1500, reduced.width(), "1/2: 1500 >= 1024, and 1/4 would give 750");
        assertEquals(1000, reduced.height());
        assertEquals(3000, decoder.decode(jpeg).width());
        assertEquals(4, ImageDecoder.reduction(4032, 1000));
        assertEquals(1, ImageDecoder.reduction(800, 1024));
    }

    /** A PNG whose data is corrupted in the middle (its CRC no longer matches) is refused, not half decoded. */
    @Test
    void aPngWithABrokenCrcIsRefused() throws Exception {
        byte[] png = encode(gradient(64, 64), "png");
        png[40] ^= 0x55; // inside the first IDAT's data: its CRC no longer matches
        assertEquals(ReasonCode.UNDECODABLE_IMAGE, reasonFor(png));
    }
}
