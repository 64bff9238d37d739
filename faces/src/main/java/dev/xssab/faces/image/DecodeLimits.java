package dev.xssab.faces.image;

/**
 * Limits checked before an image is decoded, so a hostile or broken input costs almost nothing.
 *
 * @param maxBytes largest accepted encoded size
 * @param maxPixels largest accepted width*height, read from the header before decoding
 * @param minSide smallest accepted width or height
 */
public record DecodeLimits(long maxBytes, long maxPixels, int minSide) {
    /** 10 MB, 40 megapixels (a full-frame camera photo fits; 60 MP does not), 16 px. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(10L * 1024 * 1024, 40_000_000L, 16);

    public DecodeLimits {
        if (maxBytes <= 0 || maxPixels <= 0 || minSide <= 0) {
            throw new IllegalArgumentException("decode limits must be positive");
        }
    }
}
