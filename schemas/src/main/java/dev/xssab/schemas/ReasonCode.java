package dev.xssab.schemas;

/**
 * Why a request or an image was refused. Stable names: they are stored with rejections and
 * matched by clients, so add new codes but never rename old ones.
 */
public enum ReasonCode {
    /** The image has no bytes. */
    EMPTY_IMAGE,
    /** More bytes than the configured limit. */
    IMAGE_TOO_MANY_BYTES,
    /** The bytes are not a decodable JPEG, PNG or BMP (wrong format, truncated, corrupt). */
    UNDECODABLE_IMAGE,
    /** Width or height below the minimum a face can be found in. */
    IMAGE_TOO_SMALL,
    /** The header declares more pixels than the decoded-pixel cap; refused before decoding. */
    IMAGE_TOO_MANY_PIXELS,
    /** The detector found no face. */
    NO_FACE,
    /** An image flagged as already aligned does not have the model's input size. */
    ALIGNED_SIZE_MISMATCH,
    /** The request record itself is malformed (bad schema bytes, missing fields). */
    MALFORMED_REQUEST,
    /** A requestId already seen inside the deduplication window. */
    DUPLICATE_REQUEST,
    /** The model failed on this input. */
    INFERENCE_FAILED
}
