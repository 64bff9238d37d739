package dev.xssab.faces.image;

import dev.xssab.schemas.RgbImage;
import dev.xssab.faces.PreprocessingException;
import dev.xssab.schemas.ReasonCode;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import javax.imageio.ImageIO;
import org.opencv.core.CvException;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Turns untrusted bytes into an upright RGB image, or a typed refusal.
 *
 * <p>Order matters: size in bytes, then the format and the header's dimensions, then whether the
 * data is complete, and only then the pixels. A decompression bomb (a small file declaring 60
 * megapixels) is refused from its header; a truncated JPEG (which a decoder turns into a
 * half-grey picture with only a warning) is refused because its data has no end, since a
 * half-decoded face must not be verified. Pixels are decoded by OpenCV (libjpeg-turbo), which
 * applies the EXIF orientation and can decode a JPEG at 1/2, 1/4 or 1/8 of its size directly in
 * the DCT domain ({@link #decodeAtLeast}), far faster than decoding everything and shrinking.
 * Accepted: JPEG, PNG (grey, palette, 16-bit and alpha become 8-bit RGB), BMP; GIF, WebP and
 * TIFF are refused by name.
 */
public final class ImageDecoder {
    private final DecodeLimits limits;

    public ImageDecoder(DecodeLimits limits) {
        this.limits = limits;
        OpenCv.load();
    }

    /**
     * A decoded image and the factor it was reduced by while decoding (1, 2, 4 or 8): a pixel
     * coordinate times {@code reduction} is the coordinate in the stored image.
     */
    public record Decoded(RgbImage image, int reduction) {}

    /** The whole image at full size. */
    public RgbImage decode(byte[] bytes) throws PreprocessingException {
        return decodeAtLeast(bytes, Integer.MAX_VALUE).image();
    }

    /**
     * The image reduced as far as possible while its longer side stays at least
     * {@code minLongerSide} (full size if it is smaller than that already). JPEGs are reduced
     * while decoding (1/2, 1/4, 1/8); other formats are decoded at full size.
     */
    public Decoded decodeAtLeast(byte[] bytes, int minLongerSide) throws PreprocessingException {
        if (bytes == null || bytes.length == 0) {
            throw new PreprocessingException(ReasonCode.EMPTY_IMAGE, "the image has no bytes");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new PreprocessingException(ReasonCode.IMAGE_TOO_MANY_BYTES,
                    "the image has " + bytes.length + " bytes; the limit is " + limits.maxBytes());
        }
        ImageHeader header = ImageHeader.read(bytes);
        long width = header.width();
        long height = header.height();
        if (width * height > limits.maxPixels()) {
            throw new PreprocessingException(ReasonCode.IMAGE_TOO_MANY_PIXELS, "the image declares "
                    + width + "x" + height + " pixels; the cap is " + limits.maxPixels());
        }
        if (width < limits.minSide() || height < limits.minSide()) {
            throw new PreprocessingException(ReasonCode.IMAGE_TOO_SMALL, "the image is " + width + "x"
                    + height + "; each side must be at least " + limits.minSide() + " px");
        }
        header.checkComplete(bytes);
        int reduction = header.format() == ImageHeader.Format.JPEG ? reduction(Math.max(width, height), minLongerSide) : 1;
        MatOfByte encoded = new MatOfByte(bytes);
        Mat decoded = null;
        try {
            decoded = Imgcodecs.imdecode(encoded, FLAGS.get(reduction));
            if (decoded.empty() || decoded.channels() != 3) {
                throw new PreprocessingException(ReasonCode.UNDECODABLE_IMAGE, "the image cannot be decoded (damaged "
                        + header.format() + " data)");
            }
            return new Decoded(OpenCv.fromBgr(decoded), reduction);
        } catch (CvException e) {
            throw new PreprocessingException(ReasonCode.UNDECODABLE_IMAGE, "the image cannot be decoded: " + e.getMessage(), e);
        } finally {
            encoded.release();
            if (decoded != null) {
                decoded.release();
            }
        }
    }

    /** imdecode flags per reduction: 8-bit BGR, EXIF orientation applied. */
    private static final Map<Integer, Integer> FLAGS = Map.of(1, Imgcodecs.IMREAD_COLOR, 2, Imgcodecs.IMREAD_REDUCED_COLOR_2,
            4, Imgcodecs.IMREAD_REDUCED_COLOR_4, 8, Imgcodecs.IMREAD_REDUCED_COLOR_8);

    /** The largest of 1, 2, 4, 8 that keeps the longer side at or above {@code min}. */
    static int reduction(long longerSide, int min) {
        int r = 1;
        while (r < 8 && longerSide / (r * 2) >= min) {
            r *= 2;
        }
        return r;
    }

    /**
     * The same image decoded by the JDK's ImageIO, as this decoder worked before OpenCV: kept for
     * the benchmark that measures the speed-up ({@code xssab bench-gateway}). Not used for requests.
     */
    public static RgbImage decodeWithImageIo(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        if (image == null) {
            throw new IOException("ImageIO cannot read it");
        }
        return toRgb(image);
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
}
