package dev.xssab.gateway.stream;

import dev.xssab.faces.PreprocessingException;
import dev.xssab.schemas.avro.AlignedFaceImage;
import java.util.concurrent.Executor;

/** Turns one encoded image into an aligned face, or refuses it with a reason. */
public interface PairAligner extends AutoCloseable {
    /**
     * @param image the encoded image bytes
     * @param alreadyAligned the client says it is an aligned crop of the model's input size
     * @param modelId the model the face is for (its size, template and landmarks); null: the default
     * @throws PreprocessingException UNKNOWN_MODEL for a model this gateway does not know
     */
    AlignedFaceImage align(byte[] image, boolean alreadyAligned, String modelId) throws PreprocessingException;

    /** Where the second image of a pair is prepared while the first is on the caller's thread; the caller's by default. */
    default Executor executor() {
        return Runnable::run;
    }

    @Override
    void close();
}
