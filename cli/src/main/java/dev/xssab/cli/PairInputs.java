package dev.xssab.cli;

import dev.xssab.faces.PreprocessingException;
import dev.xssab.faces.AlignedFace;
import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and aligns the two images of a command-line pair. */
public final class PairInputs {
    private PairInputs() {}

    public record Aligned(AlignedFace probe, AlignedFace reference, double millis) {}

    static Aligned align(Path probe, Path reference, boolean alreadyAligned, ModelStore store, RecognitionModelSpec spec)
            throws IOException, PreprocessingException {
        byte[] a = read(probe);
        byte[] b = read(reference);
        try (FacePreprocessor pre = FacePreprocessor.standalone(store, spec, DecodeLimits.DEFAULT)) {
            long t0 = System.nanoTime();
            AlignedFace fa = one(pre, a, alreadyAligned, "probe " + probe);
            AlignedFace fb = one(pre, b, alreadyAligned, "reference " + reference);
            return new Aligned(fa, fb, (System.nanoTime() - t0) / 1e6);
        }
    }

    private static AlignedFace one(FacePreprocessor pre, byte[] bytes, boolean aligned, String what)
            throws PreprocessingException {
        try {
            return aligned ? pre.preprocessAligned(bytes) : pre.preprocess(bytes);
        } catch (PreprocessingException e) {
            throw new PreprocessingException(e.reason(), what + ": " + e.getMessage(), e);
        }
    }

    public static byte[] read(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString());
        }
        return Files.readAllBytes(p);
    }
}
