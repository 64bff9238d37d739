package dev.xssab.gateway.image;

import dev.xssab.schemas.RgbImage;
import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import dev.xssab.gateway.PreprocessingException;
import dev.xssab.schemas.ReasonCode;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns untrusted bytes into an upright RGB image, or a typed refusal.
 *
 * <p>Order matters: size in bytes, then the format and the header's dimensions, and only then the
 * pixels. A decompression bomb (a small file declaring 60 megapixels) is refused from its header.
 * Decoder warnings (a truncated JPEG decodes to a half-grey picture with only a warning) are
 * treated as errors, because a half-decoded face must not be verified.
 */
public final class ImageDecoder {
    private final DecodeLimits limits;

    public ImageDecoder(DecodeLimits limits) {
        this.limits = limits;
    }

    public RgbImage decode(byte[] bytes) throws PreprocessingException {
        if (bytes == null || bytes.length == 0) {
            throw new PreprocessingException(ReasonCode.EMPTY_IMAGE, "the image has no bytes");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new PreprocessingException(ReasonCode.IMAGE_TOO_MANY_BYTES,
                    "the image has " + bytes.length + " bytes; the limit is " + limits.maxBytes());
        }
        BufferedImage decoded = decodePixels(bytes);
        RgbImage rgb = toRgb(decoded);
        return applyOrientation(rgb, exifOrientation(bytes));
    }

    private BufferedImage decodePixels(byte[] bytes) throws PreprocessingException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new PreprocessingException(ReasonCode.UNDECODABLE_IMAGE,
                        "not an image in a supported format (JPEG, PNG, BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > limits.maxPixels()) {
                    throw new PreprocessingException(ReasonCode.IMAGE_TOO_MANY_PIXELS, "the image declares "
                            + width + "x" + height + " pixels; the cap is " + limits.maxPixels());
                }
                if (width < limits.minSide() || height < limits.minSide()) {
                    throw new PreprocessingException(ReasonCode.IMAGE_TOO_SMALL, "the image is " + width + "x"
                            + height + "; each side must be at least " + limits.minSide() + " px");
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener(new IIOReadWarningListener() {
                    @Override
                    public void warningOccurred(ImageReader source, String warning) {
                        warnings.add(warning);
                    }
                });
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new PreprocessingException(ReasonCode.UNDECODABLE_IMAGE,
                            "the image is damaged: " + warnings.get(0));
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (PreprocessingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Broken files make some decoders throw unchecked exceptions; all mean "cannot decode".
            throw new PreprocessingException(ReasonCode.UNDECODABLE_IMAGE,
                    "the image cannot be decoded: " + e.getMessage(), e);
        }
    }

    private static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[3 * w * h];
        // Fast paths for what JPEG decoding yields; getRGB per pixel costs more than the decode.
        if (image.getRaster().getDataBuffer() instanceof DataBufferByte buffer && buffer.getNumBanks() == 1
                && image.getRaster().getSampleModel() instanceof ComponentSampleModel sm
                && sm.getPixelStride() * w == sm.getScanlineStride()) {
            byte[] data = buffer.getData();
            if (image.getType() == BufferedImage.TYPE_3BYTE_BGR && data.length == 3 * w * h) {
                for (int i = 0, n = w * h; i < n; i++) {
                    out[3 * i] = data[3 * i + 2];
                    out[3 * i + 1] = data[3 * i + 1];
                    out[3 * i + 2] = data[3 * i];
                }
                return new RgbImage(w, h, out);
            }
            if (image.getType() == BufferedImage.TYPE_BYTE_GRAY && data.length == w * h) {
                for (int i = 0, n = w * h; i < n; i++) {
                    out[3 * i] = data[i];
                    out[3 * i + 1] = data[i];
                    out[3 * i + 2] = data[i];
                }
                return new RgbImage(w, h, out);
            }
        }
        int[] row = new int[w];
        // getRGB converts grey, palette, 16-bit and alpha images to sRGB in one place.
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int o = (y * w + x) * 3;
                out[o] = (byte) (p >> 16);
                out[o + 1] = (byte) (p >> 8);
                out[o + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, out);
    }

    /** EXIF orientation 1..8, or 1 when absent or unreadable (metadata must never block a decode). */
    static int exifOrientation(byte[] bytes) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
            ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (exif != null && exif.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int o = exif.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                return o >= 1 && o <= 8 ? o : 1;
            }
        } catch (Exception e) {
            // Unreadable metadata: keep the pixels as stored.
        }
        return 1;
    }

    /** Rotates/flips so that the image is upright, per the EXIF orientation code. */
    public static RgbImage applyOrientation(RgbImage in, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return in;
        }
        int w = in.width();
        int h = in.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] out = new byte[in.rgb().length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                System.arraycopy(in.rgb(), (sy * w + sx) * 3, out, (y * ow + x) * 3, 3);
            }
        }
        return new RgbImage(ow, oh, out);
    }
}
