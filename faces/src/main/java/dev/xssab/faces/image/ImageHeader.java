package dev.xssab.faces.image;

import dev.xssab.faces.PreprocessingException;
import dev.xssab.schemas.ReasonCode;

/**
 * What an encoded image says about itself before a pixel is decoded: its format, its stored
 * width and height, and whether the data is complete. Read from the bytes directly (a few dozen
 * at the start, and the end), so a hostile file costs nothing to refuse.
 *
 * @param dataStart JPEG: the offset of the first scan (SOS); otherwise 0
 */
record ImageHeader(Format format, int width, int height, int dataStart) {
    /** The accepted formats. GIF, WebP and TIFF are refused by name: no face photo needs them. */
    enum Format {
        JPEG,
        PNG,
        BMP
    }

    static ImageHeader read(byte[] b) throws PreprocessingException {
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return jpeg(b);
        }
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            if (b.length < 33 || !(b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R')) {
                throw damaged("the PNG has no IHDR header");
            }
            return new ImageHeader(Format.PNG, intBe(b, 16), intBe(b, 20), 0);
        }
        if (startsWith(b, 'B', 'M')) {
            if (b.length < 26) {
                throw damaged("the BMP header is cut short");
            }
            return new ImageHeader(Format.BMP, Math.abs(intLe(b, 18)), Math.abs(intLe(b, 22)), 0);
        }
        String refused = startsWith(b, 'G', 'I', 'F', '8') ? "GIF"
                : startsWith(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P'
                        ? "WebP"
                : startsWith(b, 'I', 'I', 0x2A, 0x00) || startsWith(b, 'M', 'M', 0x00, 0x2A) ? "TIFF" : null;
        throw new PreprocessingException(ReasonCode.UNDECODABLE_IMAGE, refused != null
                ? refused + " is not accepted: send JPEG, PNG or BMP" : "not an image in a supported format (JPEG, PNG, BMP)");
    }

    /** The data is all there: a JPEG ends its scan with EOI, a PNG has its IEND chunk, a BMP its declared size. */
    void checkComplete(byte[] b) throws PreprocessingException {
        switch (format) {
            case JPEG -> {
                for (int i = b.length - 2; i >= dataStart; i--) {
                    if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                        return;
                    }
                }
                throw damaged("the JPEG is cut short (no end-of-image marker after its data)");
            }
            case PNG -> {
                for (int i = b.length - 8; i >= Math.max(33, b.length - 64); i--) {
                    if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') {
                        return;
                    }
                }
                throw damaged("the PNG is cut short (no IEND chunk)");
            }
            default -> {
                long declared = intLe(b, 2) & 0xFFFFFFFFL;
                if (declared > b.length) {
                    throw damaged("the BMP is cut short (" + b.length + " of " + declared + " bytes)");
                }
            }
        }
    }

    private static ImageHeader jpeg(byte[] b) throws PreprocessingException {
        int i = 2;
        int width = -1;
        int height = -1;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                throw damaged("the JPEG's markers are broken at byte " + i);
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                i += 2;
                continue;
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame && i + 9 <= b.length) {
                height = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                width = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
            }
            if (marker == 0xDA) {
                if (width < 0) {
                    throw damaged("the JPEG has no frame header before its data");
                }
                return new ImageHeader(Format.JPEG, width, height, i);
            }
            i += 2 + length;
        }
        throw damaged("the JPEG is cut short before its image data");
    }

    private static PreprocessingException damaged(String what) {
        return new PreprocessingException(ReasonCode.UNDECODABLE_IMAGE, "the image is damaged: " + what);
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int intBe(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static int intLe(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) | ((b[at + 2] & 0xFF) << 16) | ((b[at + 3] & 0xFF) << 24);
    }
}
